#include "app/server/httpreply.h"

#include <QtHttpServer/QHttpServerResponder>
#include <QtNetwork/QTcpSocket>

using namespace Qt::StringLiterals;

namespace invoke::server {

using Status = QHttpServerResponder::StatusCode;

HttpReply::HttpReply(QHttpServerResponder &&responder)
    : m_responder(std::make_unique<QHttpServerResponder>(std::move(responder))),
      m_socket(m_responder->socket())
{
}

HttpReply::~HttpReply() = default;

bool HttpReply::connected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

qint64 HttpReply::pendingBytes() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void HttpReply::sendJson(int status, const Json &body, const QByteArray &extraHeader,
                         const QByteArray &extraValue)
{
    if (!connected())
        return;
    const QByteArray bytes = dumpJson(body) + '\n';
    if (extraHeader.isEmpty())
        m_responder->write(bytes, {{"Content-Type", "application/json"}}, Status(status));
    else
        m_responder->write(bytes, {{"Content-Type", "application/json"}, {extraHeader, extraValue}},
                           Status(status));
}

void HttpReply::sendError(int status, const QString &message)
{
    sendJson(status, Json{{"error", toStd(message)}});
}

void HttpReply::beginEventStream()
{
    if (!connected())
        return;
    m_streaming = true;
    // Not write(...): its overloads add a Content-Length.
    m_responder->writeStatusLine(Status::Ok);
    m_responder->writeHeaders({{"Content-Type", "text/event-stream"},
                               {"Cache-Control", "no-cache"},
                               {"X-Accel-Buffering", "no"},
                               {"Connection", "close"},
                               {"Transfer-Encoding", "chunked"}});
    writeChunk(QByteArrayLiteral(": open\n\n"));
}

void HttpReply::writeChunk(const QByteArray &bytes)
{
    if (!m_streaming || m_ended || bytes.isEmpty() || !connected())
        return;
    QByteArray chunk = QByteArray::number(bytes.size(), 16);
    chunk.reserve(chunk.size() + bytes.size() + 4);
    chunk += "\r\n";
    chunk += bytes;
    chunk += "\r\n";
    m_responder->writeBody(chunk);
}

void HttpReply::endEventStream()
{
    if (!m_streaming || m_ended)
        return;
    m_ended = true;
    if (!connected())
        return;
    m_responder->writeBody(QByteArrayLiteral("0\r\n\r\n"));
    m_socket->disconnectFromHost(); // after the bytes above are sent
}

} // namespace invoke::server
