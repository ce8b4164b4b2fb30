#pragma once
// One client connection, read by the server's own strict framing (httphead.h,
// chunkedbody.h): there is one HTTP parser, so no second one can read a request
// differently. Per request, in order: the head (within --head-timeout of its first
// byte, at most 64 KiB), its framing checked, a declared body over --max-body refused,
// the head admitted by the RequestHandler (token, route) — all before a byte of body is
// read — then the body, then the handler. One request is in flight at a time: bytes
// that follow it wait, unread, until its answer has left; a streaming answer ends the
// connection's requests (what follows is dropped, never answered). A refused request
// is answered and the connection closed.
#include "app/server/http/chunkedbody.h"
#include "app/server/http/httphead.h"
#include "app/server/http/httpreply.h"
#include "app/server/requesthandler.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>

#include <optional>

class QTcpSocket;
class QTimer;

namespace invoke::server {

struct ConnectionLimits
{
    qint64 maxBodyBytes = 1024 * 1024;
    int idleTimeoutMs = 60000;  // no traffic between requests (a stream excepted)
    int headTimeoutMs = 10000;  // the whole head, from its first byte
    int bodyTimeoutMs = 30000;  // the whole body, from the end of an admitted head
    int maxConnections = 1024;  // GuardedTcpServer
};

class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    ConnectionGuard(QTcpSocket *socket, const ConnectionLimits &limits, RequestHandler *handler);

    // The guard of a socket made by GuardedTcpServer, or null.
    static ConnectionGuard *of(QTcpSocket *socket);
    QTcpSocket *socket() const { return m_socket; }

    // HttpReply: the request's answer carries an event stream; no request after it.
    void beginStreaming();
    // HttpReply: the request's JSON answer is written; take the next request or close.
    void answered(bool keepAlive);

    // A request is being handled or streamed: the connection is not idle.
    bool requestInFlight() const { return m_state == State::InFlight || m_state == State::Streaming; }
    // Monotonic milliseconds of the last byte read or written.
    qint64 lastActivityMs() const { return m_lastActivityMs; }

    static qint64 nowMs();

private:
    enum class State { Head, Body, ChunkedBody, InFlight, Streaming, Closing };

    void onReadyRead();
    void process();
    bool takeHead();     // false when the head is incomplete or refused
    void dispatch();
    // Answers `status` with {"error": message} and closes. `linger`: read and drop what
    // the client still sends for a moment, so it reads the answer before the close.
    void refuse(int status, const QString &message, const HeaderList &headers = {}, bool linger = true);
    void lingerAndClose();
    void onHeadTimeout();
    void onBodyTimeout();
    void touch();

    QTcpSocket *m_socket;
    ConnectionLimits m_limits;
    RequestHandler *m_handler;
    QTimer *m_idle;
    QTimer *m_headDeadline;
    QTimer *m_bodyDeadline; // a body dripped by an admitted client cannot hold the connection
    State m_state = State::Head;
    QByteArray m_buffer;      // bytes read and not yet consumed
    qsizetype m_headScanned = 0; // bytes of a partial head already seen to hold no new LF
    HttpHead m_head;          // of the request being read (or refused)
    QByteArray m_body;
    qint64 m_bodyLeft = 0;    // Content-Length bytes still to come
    std::optional<ChunkedBody> m_chunked;
    std::optional<Admission> m_admission;
    QElapsedTimer m_since;    // since the head was complete
    qint64 m_lastActivityMs = 0;
    qint64 m_drained = 0;     // bytes dropped while closing
};

} // namespace invoke::server
