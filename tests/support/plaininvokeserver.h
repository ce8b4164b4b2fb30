#pragma once
// A real HTTP/1.1 server on loopback that speaks the wire contract (docs/events.md) the
// way a server without our metadata additions does: events are plain
// {"payload", "metadata"} objects as the public SDK documents them — no "type", no
// path, no seq. Each bot key gets a scripted answer: a stream of events (chunked
// text/event-stream), an error status with a JSON body, a stream cut off or stalled
// part-way, no answer at all, or an oversized event. Lives in the thread that creates it.
#include "core/model/botinfo.h"
#include "core/model/dataset/datasetinfo.h"
#include "tests/support/loopbackhttpserver.h"

#include <QtCore/QHash>

namespace invoke::test {

struct PlainScript
{
    int status = 200;          // anything else: errorBody as application/json
    QByteArray errorBody;      // default {"error": "<reason phrase>"}
    QList<Json> events;        // sent one SSE message each ("data: <json>\n\n")
    QByteArray contentType = "text/event-stream";
    QByteArray preamble;       // raw bytes before the first event (comments, non-JSON data)
    int cutAfter = -1;         // close the connection after this many events, mid-stream
    int stallAfter = -1;       // send nothing more (connection open) after this many events
    bool neverAnswer = false;  // read the request and send nothing at all
    int holdAfter = -1;        // wait for release() after this many events
    qsizetype hugeEventBytes = 0; // then one data line this long, never ended
    bool batched = false;      // every event in one HTTP chunk (a burst), not one chunk each
    bool crlf = false;         // line ends are CRLF ("data: <json>\r\n\r\n"), not LF
    // Each event goes out in pieces, one HTTP chunk each, kSplitPauseMs apart, so the
    // client reads them separately: cut inside its JSON and between the CR and LF of
    // every line end. The options that stop a stream part-way are not used with it.
    bool split = false;

    static PlainScript stream(QList<Json> events);
    static PlainScript error(int status, const QString &message);
};

class PlainInvokeServer : public LoopbackHttpServer
{
    Q_OBJECT
public:
    explicit PlainInvokeServer(QObject *parent = nullptr);

    QString endpoint() const { return origin(); } // "http://127.0.0.1:<port>"

    // Requests without "Authorization: Bearer <token>" get 401 (none required by default).
    void setToken(const QString &token) { m_token = token; }
    // GET /bots lists these; POST /bots/{key}/invoke answers with the script (404 if unknown).
    void addBot(const BotInfo &bot, const PlainScript &script);
    void setDatasets(const QList<DatasetInfo> &datasets) { m_datasets = datasets; }
    // GET /bots answers exactly these bytes instead (a hostile or broken listing).
    void setRawBotsBody(const QByteArray &body) { m_rawBotsBody = body; }

    // A two-step run in the plain SDK shape: "lookup" (utils.echo) then "answer"
    // (llm.message) streaming `chunks` as text, then the final result.
    static QList<Json> plainRun(const QString &botName, const QStringList &chunks);
    // A two-step run as the public SDK's backend sends it: "think" (llm.message, hidden,
    // writing "private notes") then "tidy" (utils.write, visible, writing "Clean answer."),
    // each ended by a "step finished" with neither key nor path; invocation "inv-keyless-1".
    static QList<Json> keylessFinishRun(const QString &botName);

    static constexpr int kSplitPauseMs = 10;

private:
    struct Client;
    std::unique_ptr<Connection> makeConnection() override;
    void respond(Connection *connection, const RecordedRequest &request) override;
    void resume(Connection *connection, int from) override;
    void streamFrom(Client *client, int first);
    void sendPieces(Client *client, QList<QByteArray> pieces, int next);

    QString m_token;
    QList<BotInfo> m_bots;
    QHash<QString, PlainScript> m_scripts;
    QList<DatasetInfo> m_datasets;
    QByteArray m_rawBotsBody;
};

} // namespace invoke::test
