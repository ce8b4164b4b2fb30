#pragma once
// A real HTTP/1.1 server on loopback that answers POST .../chat/completions the way an
// OpenAI-compatible server streams: chunked text/event-stream, one `data: {...}` chunk
// per delta, a usage chunk, `data: [DONE]`. Each test configures the reply (text split
// into deltas, usage, an error status, a disconnect or a stall mid-stream) and reads
// back every request it received (LoopbackHttpServer::requests). Lives in the thread
// that creates it.
#include "core/model/json/json.h"
#include "tests/support/loopbackhttpserver.h"

#include <QtCore/QStringList>

namespace invoke::test {

struct StubReply
{
    int status = 200;
    QStringList deltas;             // the answer's text, one SSE chunk each
    qint64 promptTokens = -1;       // a usage chunk is sent when both are >= 0
    qint64 completionTokens = -1;
    QString finishReason = QStringLiteral("stop"); // empty: no finish chunk
    bool sendDone = true;           // the final `data: [DONE]`
    QByteArray errorBody;           // the body of a non-200 answer
    int disconnectAfter = -1;       // close the connection after this many deltas
    int stallAfter = -1;            // send nothing more (connection open) after this many deltas
    int holdAfter = -1;             // wait for release() after this many deltas
    int maxChunkBytes = 0;          // > 0: split every SSE frame into HTTP chunks this small
    bool ignoreStream = false;      // answer with one application/json chat.completion
    int delayMs = 0;                // answer this long after the request came (a slow model)

    static StubReply text(const QStringList &deltas, qint64 promptTokens = -1,
                          qint64 completionTokens = -1);
    // {"error": {"message": message, "type": ..., "code": ...}} with `status`.
    static StubReply error(int status, const QString &message);
};

class OpenAiStubServer : public LoopbackHttpServer
{
    Q_OBJECT
public:
    explicit OpenAiStubServer(QObject *parent = nullptr);

    QString baseUrl() const; // "http://127.0.0.1:<port>/v1", as OpenAI's clients take it

    void setReply(const StubReply &reply); // used for every request from now on

private:
    struct Client;
    std::unique_ptr<Connection> makeConnection() override;
    void respond(Connection *connection, const RecordedRequest &request) override;
    void resume(Connection *connection, int from) override;
    void streamFrom(Client *client, int firstDelta);
    void writeFrame(Client *client, const QByteArray &json);

    StubReply m_reply;
};

} // namespace invoke::test
