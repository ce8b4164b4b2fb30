#include "app/server/http/httpreply.h"

#include "app/server/http/connectionguard.h"

#include <QtNetwork/QTcpSocket>

using namespace Qt::StringLiterals;

namespace invoke::server {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

QByteArray responseHead(int status, const HeaderList &headers)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        head += name + ": " + value + "\r\n";
    head += "\r\n";
    return head;
}

HttpReply::HttpReply(QTcpSocket *socket, ConnectionGuard *guard, bool keepAlive, bool chunkedAllowed)
    : m_socket(socket), m_guard(guard), m_keepAlive(keepAlive), m_chunked(chunkedAllowed)
{
}

bool HttpReply::connected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

qint64 HttpReply::pendingBytes() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void HttpReply::sendJson(int status, const Json &body, const HeaderList &extraHeaders)
{
    if (m_answered || m_streaming || !connected())
        return;
    m_answered = true;
    const QByteArray bytes = dumpJson(body) + '\n';
    HeaderList headers{{"Content-Type", "application/json"},
                       {"Content-Length", QByteArray::number(bytes.size())},
                       {"Connection", m_keepAlive ? "keep-alive" : "close"}};
    headers += extraHeaders;
    m_socket->write(responseHead(status, headers) + bytes);
    if (m_guard)
        m_guard->answered(m_keepAlive);
}

void HttpReply::sendError(int status, const QString &message, const HeaderList &extraHeaders)
{
    sendJson(status, Json{{"error", toStd(message)}}, extraHeaders);
}

void HttpReply::beginEventStream()
{
    if (m_answered || m_streaming || !connected())
        return;
    m_streaming = true;
    if (m_guard)
        m_guard->beginStreaming(); // one request per streaming connection
    HeaderList headers{{"Content-Type", "text/event-stream"},
                       {"Cache-Control", "no-cache"},
                       {"X-Accel-Buffering", "no"},
                       {"Connection", "close"}};
    if (m_chunked)
        headers.append({QByteArray("Transfer-Encoding"), QByteArray("chunked")});
    headers += m_streamHeaders;
    m_socket->write(responseHead(200, headers));
    writeChunk(QByteArrayLiteral(": open\n\n"));
}

void HttpReply::writeChunk(const QByteArray &bytes)
{
    if (!m_streaming || m_ended || bytes.isEmpty() || !connected())
        return;
    if (!m_chunked) { // HTTP/1.0: the body ends with the connection
        m_socket->write(bytes);
        return;
    }
    QByteArray chunk = QByteArray::number(bytes.size(), 16);
    chunk.reserve(chunk.size() + bytes.size() + 4);
    chunk += "\r\n";
    chunk += bytes;
    chunk += "\r\n";
    m_socket->write(chunk);
}

void HttpReply::endEventStream()
{
    if (!m_streaming || m_ended)
        return;
    m_ended = true;
    if (!connected())
        return;
    if (m_chunked)
        m_socket->write(QByteArrayLiteral("0\r\n\r\n"));
    m_socket->disconnectFromHost(); // after the bytes above are sent
}

} // namespace invoke::server
