#include "app/server/connectionguard.h"

#include "core/model/json.h"

#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>

using namespace Qt::StringLiterals;

namespace invoke::server {

namespace {
constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr qint64 kChunkOverheadBytes = 64 * 1024; // chunk-size lines around a chunked body
constexpr int kDrainMs = 2000; // how long a refused client may go on sending

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    default: return "Bad Request";
    }
}
} // namespace

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, qint64 maxBodyBytes, int idleMs, GuardLog log)
    : QObject(socket), m_socket(socket), m_idle(new QTimer(this)), m_maxBody(maxBodyBytes), m_log(std::move(log))
{
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
    m_idle->setSingleShot(true);
    m_idle->setInterval(idleMs);
    connect(m_idle, &QTimer::timeout, socket, &QTcpSocket::abort);
    connect(socket, &QTcpSocket::bytesWritten, m_idle, qOverload<>(&QTimer::start));
    m_idle->start();
}

ConnectionGuard *ConnectionGuard::of(QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
}

void ConnectionGuard::beginStreaming(QObject *httpServer)
{
    if (m_state == State::Draining)
        return;
    m_state = State::Draining;
    disconnect(m_socket, &QTcpSocket::readyRead, httpServer, nullptr);
    m_idle->stop(); // a stream may be quiet for long (an LLM thinking)
    disconnect(m_socket, &QTcpSocket::bytesWritten, m_idle, nullptr);
}

void ConnectionGuard::onReadyRead()
{
    if (m_state != State::Draining || m_closeWhenDrained) // a stream's socket has no idle limit
        m_idle->start();
    if (m_state == State::Draining) {
        drain();
        return;
    }
    // The server's slot reads everything available after this one, so what is
    // available now is exactly what arrived since the last call.
    consume(m_socket->peek(m_socket->bytesAvailable()));
}

void ConnectionGuard::consume(QByteArray bytes)
{
    while (!bytes.isEmpty()) {
        switch (m_state) {
        case State::Head:
            m_head += bytes;
            bytes.clear();
            if (!readHead()) {
                if (m_head.size() > kMaxHeadBytes)
                    refuse(431, u"the request head is over %1 bytes"_s.arg(kMaxHeadBytes));
                return;
            }
            bytes = std::exchange(m_head, {}); // what followed the head
            break;
        case State::Body: {
            const qint64 take = qMin<qint64>(bytes.size(), m_bodyLeft);
            m_bodyLeft -= take;
            bytes.remove(0, take);
            if (m_bodyLeft == 0)
                m_state = State::Head;
            break;
        }
        case State::ChunkedBody:
            m_chunkedSeen += bytes.size();
            if (m_chunkedSeen > m_maxBody + kChunkOverheadBytes) {
                refuse(413, u"the body is over %1 bytes, the most this server takes (--max-body)"_s.arg(m_maxBody));
                return;
            }
            m_chunkTail = QByteArray(m_chunkTail + bytes).right(7);
            bytes.clear();
            if (m_chunkTail.endsWith("\n0\r\n\r\n")) { // the last chunk (trailers are not expected)
                m_chunkTail.clear();
                m_state = State::Head;
            }
            break;
        case State::Draining:
            return;
        }
    }
}

bool ConnectionGuard::readHead()
{
    const qsizetype end = m_head.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const QList<QByteArray> lines = m_head.left(end).split('\n');
    m_head.remove(0, end + 4);
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    m_method = requestLine.value(0);
    m_path = requestLine.value(1);
    if (const qsizetype query = m_path.indexOf('?'); query >= 0)
        m_path.truncate(query); // a query may hold anything; the log shows the path only

    qint64 length = 0;
    bool chunked = false;
    bool expectContinue = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length")
            length = value.toLongLong();
        else if (name == "transfer-encoding")
            chunked = value.toLower().contains("chunked");
        else if (name == "expect")
            expectContinue = value.toLower() == "100-continue";
    }

    if (chunked) {
        m_state = State::ChunkedBody;
        m_chunkedSeen = 0;
    } else if (length > m_maxBody) {
        m_bodyLeft = length;
        refuse(413, u"the body is %1 bytes; this server takes at most %2 (--max-body)"_s.arg(length).arg(m_maxBody));
        return true;
    } else {
        m_bodyLeft = length;
        m_state = length > 0 ? State::Body : State::Head;
    }
    if (expectContinue)
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n"); // Qt HttpServer 6.4 never sends it
    return true;
}

void ConnectionGuard::refuse(int status, const QString &message)
{
    m_state = State::Draining;
    // The server's slot must not see this request: it would read the whole body first.
    disconnect(m_socket, &QTcpSocket::readyRead, nullptr, nullptr);
    connect(m_socket, &QTcpSocket::readyRead, this, &ConnectionGuard::drain);

    const QByteArray body = dumpJson(Json{{"error", toStd(message)}}) + '\n';
    QByteArray reply = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: " + QByteArray::number(body.size()) + "\r\n"
        "Connection: close\r\n\r\n" + body;
    m_socket->write(reply);
    if (m_log)
        m_log(m_method, m_path, status, u"refused before reading the body"_s);

    m_closeWhenDrained = true;
    QTimer::singleShot(kDrainMs, m_socket, [socket = m_socket] { socket->disconnectFromHost(); });
    drain();
}

void ConnectionGuard::drain()
{
    const qint64 dropped = m_socket->skip(m_socket->bytesAvailable());
    if (!m_closeWhenDrained)
        return;
    m_bodyLeft -= qMax<qint64>(dropped, 0);
    if (m_bodyLeft <= 0)
        m_socket->disconnectFromHost(); // the client sent all it announced: close cleanly
}

GuardedTcpServer::GuardedTcpServer(qint64 maxBodyBytes, int idleMs, GuardLog log, QObject *parent)
    : QTcpServer(parent), m_maxBody(maxBodyBytes), m_idleMs(idleMs), m_log(std::move(log))
{
    setListenBacklogSize(1024);
}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    new ConnectionGuard(socket, m_maxBody, m_idleMs, m_log); // before the HTTP server connects its slot
    addPendingConnection(socket);
}

} // namespace invoke::server
