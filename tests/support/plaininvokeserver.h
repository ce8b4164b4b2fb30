#pragma once
// A real HTTP/1.1 server on loopback that speaks the wire contract (DESIGN.md §4) the
// way a server without our metadata additions does: events are plain
// {"payload", "metadata"} objects as the public SDK documents them — no "type", no
// path, no seq. Each bot key gets a scripted answer: a stream of events (chunked
// text/event-stream), an error status with a JSON body, a stream cut off or stalled
// part-way, no answer at all, or an oversized event. Lives in the thread that creates it.
#include "core/model/botinfo.h"
#include "core/model/datasetinfo.h"
#include "tests/support/httprequest.h" // RecordedRequest

#include <QtCore/QHash>
#include <QtCore/QObject>

class QTcpServer;
class QTcpSocket;

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

    static PlainScript stream(QList<Json> events);
    static PlainScript error(int status, const QString &message);
};

class PlainInvokeServer : public QObject
{
    Q_OBJECT
public:
    explicit PlainInvokeServer(QObject *parent = nullptr);
    ~PlainInvokeServer() override;

    bool listen(); // 127.0.0.1 on a free port
    quint16 port() const;
    QString endpoint() const; // "http://127.0.0.1:<port>"

    // Requests without "Authorization: Bearer <token>" get 401 (none required by default).
    void setToken(const QString &token) { m_token = token; }
    // GET /bots lists these; POST /bots/{key}/invoke answers with the script (404 if unknown).
    void addBot(const BotInfo &bot, const PlainScript &script);
    void setDatasets(const QList<DatasetInfo> &datasets) { m_datasets = datasets; }
    // GET /bots answers exactly these bytes instead (a hostile or broken listing).
    void setRawBotsBody(const QByteArray &body) { m_rawBotsBody = body; }
    void release(); // resumes the streams held at holdAfter

    QList<RecordedRequest> requests() const { return m_requests; }

    // A two-step run in the plain SDK shape: "lookup" (utils.echo) then "answer"
    // (llm.message) streaming `chunks` as text, then the final result.
    static QList<Json> plainRun(const QString &botName, const QStringList &chunks);

Q_SIGNALS:
    void requestReceived();
    void held();
    void clientDisconnected(); // a client went away before its answer was complete

private:
    struct Client;
    void onConnection();
    void onReadyRead(Client *client);
    void respond(Client *client, const RecordedRequest &request);
    void sendJson(Client *client, int status, const QByteArray &body);
    void streamFrom(Client *client, int first);
    void writeChunk(Client *client, const QByteArray &bytes);
    void close(Client *client);

    class QTcpServer *m_server = nullptr;
    QString m_token;
    QList<BotInfo> m_bots;
    QHash<QString, PlainScript> m_scripts;
    QList<DatasetInfo> m_datasets;
    QByteArray m_rawBotsBody;
    QList<RecordedRequest> m_requests;
    QList<Client *> m_clients;
};

} // namespace invoke::test
