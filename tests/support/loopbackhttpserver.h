#pragma once
// The part every loopback test server shares: it listens on 127.0.0.1 on a free port,
// accepts connections, reads one request from each (httprequest.h), records it, and
// hands it to respond(), which the concrete server writes its answer in. Answers that
// stop part-way (holdAfter in OpenAiStubServer and PlainInvokeServer) park a connection
// at an index and go on in resume() on release(). Lives in the thread that creates it.
#include "tests/support/httprequest.h" // RecordedRequest

#include <QtCore/QMutex>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <memory>

class QTcpServer;
class QTcpSocket;

namespace invoke::test {

class LoopbackHttpServer : public QObject
{
    Q_OBJECT
public:
    explicit LoopbackHttpServer(QObject *parent = nullptr);
    ~LoopbackHttpServer() override;

    bool listen(); // 127.0.0.1 on a free port
    quint16 port() const;
    QString origin() const; // "http://127.0.0.1:<port>"

    void release(); // resumes the answers held at holdAfter

    // Every request received, in order; may be read from another thread.
    QList<RecordedRequest> requests() const;
    int requestCount() const;

Q_SIGNALS:
    void requestReceived();
    void held();               // an answer stopped at holdAfter
    void clientDisconnected(); // a client went away before its answer was complete

protected:
    // One client's connection; a server keeps what its answer needs in a subclass.
    struct Connection
    {
        virtual ~Connection() = default;
        QPointer<QTcpSocket> socket; // null once the client went away
        QByteArray buffer;
        bool answered = false; // a whole request was read: the rest is respond()'s
        bool complete = false; // the answer went out in full
        int heldAt = -1;       // waiting for release() before this index
    };

    virtual std::unique_ptr<Connection> makeConnection() { return std::make_unique<Connection>(); }
    virtual void respond(Connection *connection, const RecordedRequest &request) = 0;
    // Goes on with an answer held at `from` (Connection::heldAt).
    virtual void resume(Connection *connection, int from) { Q_UNUSED(connection) Q_UNUSED(from) }

    // One HTTP chunk (nothing for empty bytes: an empty chunk ends the body), the last
    // chunk, and the end of an answer: complete, flushed, the connection closed.
    static void writeChunk(Connection *connection, const QByteArray &bytes);
    static void writeLastChunk(Connection *connection);
    static void finish(Connection *connection);
    // A whole application/json answer, then finish().
    static void sendJson(Connection *connection, int status, const QByteArray &body);

private:
    void onConnection();
    void onReadyRead(Connection *connection);

    QTcpServer *m_server = nullptr;
    mutable QMutex m_mutex; // guards m_requests: tests may read them from another thread
    QList<RecordedRequest> m_requests;
    std::vector<std::unique_ptr<Connection>> m_connections;
};

} // namespace invoke::test
