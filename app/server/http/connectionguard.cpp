#include "app/server/http/connectionguard.h"

#include "app/server/http/requestlog.h"

#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>

#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace invoke::server {

namespace {
constexpr int kLingerMs = 2000;                 // a refused client may go on sending this long
constexpr qint64 kMaxLingerBytes = 1024 * 1024; // and this much, then the connection is cut
// Qt reads no further ahead of the guard than this: while a request is in flight the
// bytes after it stay in the kernel, and TCP makes the client wait.
constexpr qint64 kReadAheadBytes = 64 * 1024;
} // namespace

qint64 ConnectionGuard::nowMs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return clock.elapsed();
}

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, const ConnectionLimits &limits, RequestHandler *handler)
    : QObject(socket), m_socket(socket), m_limits(limits), m_handler(handler), m_idle(new QTimer(this)),
      m_headDeadline(new QTimer(this)), m_bodyDeadline(new QTimer(this))
{
    socket->setReadBufferSize(kReadAheadBytes);
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        touch();
        if (m_state == State::Head || m_state == State::Body || m_state == State::ChunkedBody)
            m_idle->start();
    });
    m_idle->setSingleShot(true);
    m_idle->setInterval(limits.idleTimeoutMs);
    connect(m_idle, &QTimer::timeout, socket, &QTcpSocket::abort);
    m_headDeadline->setSingleShot(true);
    m_headDeadline->setInterval(limits.headTimeoutMs);
    connect(m_headDeadline, &QTimer::timeout, this, &ConnectionGuard::onHeadTimeout);
    m_bodyDeadline->setSingleShot(true);
    m_bodyDeadline->setInterval(limits.bodyTimeoutMs);
    connect(m_bodyDeadline, &QTimer::timeout, this, &ConnectionGuard::onBodyTimeout);
    touch();
    m_idle->start();
}

ConnectionGuard *ConnectionGuard::of(QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
}

void ConnectionGuard::touch()
{
    m_lastActivityMs = nowMs();
}

void ConnectionGuard::onReadyRead()
{
    touch();
    switch (m_state) {
    case State::Streaming:
        m_socket->skip(m_socket->bytesAvailable()); // never read as a request
        return;
    case State::Closing:
        m_drained += qMax<qint64>(m_socket->skip(m_socket->bytesAvailable()), 0);
        if (m_drained > kMaxLingerBytes)
            m_socket->abort();
        return;
    case State::InFlight:
        return; // read once the answer has left (answered())
    case State::Head:
    case State::Body:
    case State::ChunkedBody:
        break;
    }
    // A drip of bytes restarts the idle timer, never the head deadline.
    m_idle->start();
    m_buffer += m_socket->readAll();
    process();
}

void ConnectionGuard::process()
{
    for (;;) {
        switch (m_state) {
        case State::Head:
            if (m_buffer.isEmpty())
                return;
            if (!m_headDeadline->isActive())
                m_headDeadline->start(); // from the head's first byte
            // The head is parsed again only when a line has ended (or it is too long):
            // a head dripped a byte at a time costs one parse per line, not per byte.
            if (m_buffer.indexOf('\n', m_headScanned) < 0 && m_buffer.size() <= kMaxHeadBytes) {
                m_headScanned = m_buffer.size();
                return;
            }
            m_headScanned = m_buffer.size();
            if (!takeHead())
                return;
            m_headScanned = 0;
            break;
        case State::Body: {
            const qsizetype take = qsizetype(qMin<qint64>(m_buffer.size(), m_bodyLeft));
            m_body += QByteArrayView(m_buffer).first(take);
            m_buffer.remove(0, take);
            m_bodyLeft -= take;
            if (m_bodyLeft > 0)
                return;
            dispatch();
            break;
        }
        case State::ChunkedBody: {
            qsizetype consumed = 0;
            const ChunkedBody::Outcome outcome = m_chunked->feed(m_buffer, &consumed, m_body);
            m_buffer.remove(0, consumed);
            if (outcome == ChunkedBody::Outcome::NeedMore)
                return;
            if (outcome != ChunkedBody::Outcome::Done) {
                refuse(outcome == ChunkedBody::Outcome::TooLarge ? 413 : 400, m_chunked->reason());
                return;
            }
            dispatch();
            break;
        }
        case State::InFlight:
        case State::Streaming:
        case State::Closing:
            return;
        }
    }
}

bool ConnectionGuard::takeHead()
{
    const HeadParse parse = parseRequestHead(m_buffer);
    m_head = parse.head;
    if (parse.outcome == HeadParse::Outcome::Incomplete)
        return false;
    if (parse.outcome == HeadParse::Outcome::Invalid) {
        refuse(parse.status, parse.reason);
        return false;
    }
    m_headDeadline->stop();
    m_since.start();
    m_buffer.remove(0, parse.headBytes);
    if (m_head.contentLength > m_limits.maxBodyBytes) {
        refuse(413, u"the body is %1 bytes; this server takes at most %2 (--max-body)"_s
                        .arg(m_head.contentLength).arg(m_limits.maxBodyBytes));
        return false;
    }
    Admission admission = m_handler->admit(m_head, m_socket->localPort());
    if (admission.refusal) {
        refuse(admission.refusal->status, admission.refusal->message, admission.refusal->headers);
        return false;
    }
    m_admission = std::move(admission);
    m_body.clear();
    if (m_head.expectContinue && m_head.hasBody())
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    if (m_head.chunked) {
        m_chunked.emplace(m_limits.maxBodyBytes);
        m_state = State::ChunkedBody;
        m_bodyDeadline->start();
    } else if (m_head.contentLength > 0) {
        m_bodyLeft = m_head.contentLength;
        m_state = State::Body;
        m_bodyDeadline->start();
    } else {
        dispatch();
    }
    return true;
}

void ConnectionGuard::dispatch()
{
    m_state = State::InFlight;
    m_bodyDeadline->stop();
    m_idle->stop(); // the server is working: the connection is not idle
    m_chunked.reset();
    const bool keepAlive = m_head.keepAlive;
    const bool chunkedAllowed = m_head.minorVersion >= 1;
    HttpRequest request{std::move(m_head), std::exchange(m_body, {}), std::move(*m_admission), m_since};
    m_head = {};
    m_admission.reset();
    m_handler->handle(std::move(request), std::make_shared<HttpReply>(m_socket, this, keepAlive, chunkedAllowed));
}

void ConnectionGuard::beginStreaming()
{
    m_state = State::Streaming;
    m_buffer.clear(); // a pipelined request after a stream is never answered
    m_idle->stop();   // a stream may be quiet for long (an LLM thinking)
    m_headDeadline->stop();
    m_socket->skip(m_socket->bytesAvailable());
}

void ConnectionGuard::answered(bool keepAlive)
{
    if (m_state != State::InFlight)
        return;
    if (!keepAlive) { // Connection: close, or HTTP/1.0
        m_state = State::Closing;
        lingerAndClose();
        return;
    }
    m_state = State::Head;
    m_idle->start();
    // Bytes that came while the request was in flight are read now.
    QMetaObject::invokeMethod(this, &ConnectionGuard::onReadyRead, Qt::QueuedConnection);
}

void ConnectionGuard::refuse(int status, const QString &message, const HeaderList &headers, bool linger)
{
    const bool bodyAnnounced = m_head.hasBody();
    m_state = State::Closing;
    m_idle->stop();
    m_headDeadline->stop();
    m_buffer.clear();
    m_body.clear();
    m_chunked.reset();

    const QByteArray body = dumpJson(Json{{"error", toStd(message)}}) + '\n';
    HeaderList all{{"Content-Type", "application/json"},
                   {"Content-Length", QByteArray::number(body.size())},
                   {"Connection", "close"}};
    all += headers;
    m_socket->write(responseHead(status, all) + body);

    QString note;
    if (status == 400 || status == 408 || status == 431 || status == 501 || status == 505)
        note = message;
    else if (bodyAnnounced || status == 413)
        note = u"refused before reading the body"_s;
    writeLogLine({m_head.method.isEmpty() ? QByteArray("-") : m_head.method,
                  m_head.path.isEmpty() ? QByteArray("-") : m_head.path, status, {},
                  m_since.isValid() ? m_since.elapsed() : 0, note});

    if (linger)
        lingerAndClose();
    else
        m_socket->disconnectFromHost();
}

void ConnectionGuard::lingerAndClose()
{
    // Our side is shut once the answer is out, so the client reads it and sees the end;
    // what it still sends is dropped for a moment, then the connection closes (closing
    // with unread bytes would reset it and could destroy the answer on its way).
    QTcpSocket *socket = m_socket;
    auto shutWhenSent = [socket] {
        if (socket->bytesToWrite() == 0 && socket->socketDescriptor() >= 0)
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    };
    connect(socket, &QTcpSocket::bytesWritten, this, shutWhenSent);
    shutWhenSent();
    QTimer::singleShot(kLingerMs, socket, [socket] { socket->abort(); });
    m_drained = qMax<qint64>(m_socket->skip(m_socket->bytesAvailable()), 0);
}

void ConnectionGuard::onBodyTimeout()
{
    if (m_state != State::Body && m_state != State::ChunkedBody)
        return;
    refuse(408, u"the request body did not arrive within %1 s (--body-timeout)"_s.arg(m_limits.bodyTimeoutMs / 1000.0),
           {}, false);
}

void ConnectionGuard::onHeadTimeout()
{
    if (m_state != State::Head)
        return;
    refuse(408, u"the request head did not arrive within %1 s (--head-timeout)"_s.arg(m_limits.headTimeoutMs / 1000.0),
           {}, false);
}

} // namespace invoke::server
