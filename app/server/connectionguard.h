#pragma once
// What Qt HttpServer 6.4 does not do for us, per connection (RECIPES.md): it reads a
// whole request body before any handler sees it, never answers `Expect: 100-continue`,
// and would read a pipelined request on a socket that is streaming. The guard reads the
// bytes first (its readyRead slot is connected before the server's), so a declared body
// over the limit is refused with 413 before it is read.
#include <QtCore/QObject>
#include <QtNetwork/QTcpServer>

#include <functional>

class QTcpSocket;
class QTimer;

namespace invoke::server {

// method, path, status, note: one log line for a request the guard answered itself.
using GuardLog = std::function<void(const QByteArray &, const QByteArray &, int, const QString &)>;

class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    // A connection with no traffic for `idleMs` is closed (a half-sent request too), unless
    // it carries an event stream.
    ConnectionGuard(QTcpSocket *socket, qint64 maxBodyBytes, int idleMs, GuardLog log);

    // The guard of a socket made by GuardedTcpServer, or null.
    static ConnectionGuard *of(QTcpSocket *socket);

    // The socket now carries an event stream: further bytes are read and dropped, never
    // parsed as requests (pipelined requests would interleave with the stream).
    void beginStreaming(QObject *httpServer);

private:
    enum class State { Head, Body, ChunkedBody, Draining };

    void onReadyRead();
    void consume(QByteArray bytes);
    bool readHead(); // true when a head was complete; consumes it from m_head
    void refuse(int status, const QString &message);
    void drain();

    QTcpSocket *m_socket;
    QTimer *m_idle;
    qint64 m_maxBody;
    GuardLog m_log;
    State m_state = State::Head;
    QByteArray m_head;        // the head of the request being read
    QByteArray m_method;
    QByteArray m_path;
    qint64 m_bodyLeft = 0;    // Content-Length bytes still to come
    qint64 m_chunkedSeen = 0; // bytes of a chunked body so far
    QByteArray m_chunkTail;   // the last bytes of a chunked body, to see its end
    bool m_closeWhenDrained = false; // refused: close once the announced body is in
};

// A QTcpServer whose sockets come with a ConnectionGuard, and whose listen backlog is
// large enough for hundreds of simultaneous connects (QHttpServer::listen uses 50).
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    GuardedTcpServer(qint64 maxBodyBytes, int idleMs, GuardLog log, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    qint64 m_maxBody;
    int m_idleMs;
    GuardLog m_log;
};

} // namespace invoke::server
