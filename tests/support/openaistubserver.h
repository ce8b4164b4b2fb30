#pragma once
// A real HTTP/1.1 server on loopback that answers POST .../chat/completions the way an
// OpenAI-compatible server streams: chunked text/event-stream, one `data: {...}` chunk
// per delta, a usage chunk, `data: [DONE]`. Each test configures the reply (text split
// into deltas, usage, an error status, a disconnect or a stall mid-stream) and reads
// back every request it received. Lives in the thread that creates it.
#include "core/model/json.h"
#include "tests/support/httprequest.h" // RecordedRequest

#include <QtCore/QMutex>
#include <QtCore/QObject>
#include <QtCore/QPointer>

class QTcpServer;
class QTcpSocket;

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

    static StubReply text(const QStringList &deltas, qint64 promptTokens = -1,
                          qint64 completionTokens = -1);
    // {"error": {"message": message, "type": ..., "code": ...}} with `status`.
    static StubReply error(int status, const QString &message);
};

class OpenAiStubServer : public QObject
{
    Q_OBJECT
public:
    explicit OpenAiStubServer(QObject *parent = nullptr);
    ~OpenAiStubServer() override;

    bool listen(); // 127.0.0.1 on a free port
    quint16 port() const;
    QString baseUrl() const; // "http://127.0.0.1:<port>/v1", as OpenAI's clients take it

    void setReply(const StubReply &reply); // used for every request from now on
    void release();                        // resumes the replies held at holdAfter

    QList<RecordedRequest> requests() const;
    int requestCount() const;

Q_SIGNALS:
    void requestReceived();
    void held();               // a reply stopped at holdAfter
    void clientDisconnected(); // a client went away before its reply was complete

private:
    struct Client;
    void onConnection();
    void onReadyRead(Client *client);
    void respond(Client *client);
    void streamFrom(Client *client, int firstDelta);
    void writeFrame(Client *client, const QByteArray &json);
    void writeChunk(Client *client, const QByteArray &bytes);
    void finish(Client *client);

    QTcpServer *m_server = nullptr;
    StubReply m_reply;
    mutable QMutex m_mutex; // guards m_requests: tests may read them from another thread
    QList<RecordedRequest> m_requests;
    QList<Client *> m_clients;
};

} // namespace invoke::test
