#include "tests/support/loopbackhttpserver.h"

#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

using namespace Qt::StringLiterals;

namespace invoke::test {

LoopbackHttpServer::LoopbackHttpServer(QObject *parent)
    : QObject(parent), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &LoopbackHttpServer::onConnection);
}

LoopbackHttpServer::~LoopbackHttpServer()
{
    for (const auto &connection : m_connections) {
        if (connection->socket) {
            connection->socket->disconnect(this);
            connection->socket->abort();
        }
    }
}

bool LoopbackHttpServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 LoopbackHttpServer::port() const
{
    return m_server->serverPort();
}

QString LoopbackHttpServer::origin() const
{
    return u"http://127.0.0.1:%1"_s.arg(port());
}

void LoopbackHttpServer::release()
{
    for (const auto &connection : m_connections)
        if (connection->heldAt >= 0 && connection->socket)
            resume(connection.get(), std::exchange(connection->heldAt, -1));
}

QList<RecordedRequest> LoopbackHttpServer::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

int LoopbackHttpServer::requestCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_requests.size());
}

void LoopbackHttpServer::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        Connection *connection = m_connections.emplace_back(makeConnection()).get();
        connection->socket = socket;
        connect(socket, &QTcpSocket::readyRead, this, [this, connection] { onReadyRead(connection); });
        connect(socket, &QTcpSocket::disconnected, this, [this, connection] {
            if (connection->answered && !connection->complete)
                Q_EMIT clientDisconnected();
            connection->heldAt = -1;
            if (connection->socket)
                connection->socket->deleteLater();
        });
    }
}

void LoopbackHttpServer::onReadyRead(Connection *connection)
{
    if (!connection->socket || connection->answered)
        return;
    connection->buffer += connection->socket->readAll();
    RecordedRequest request;
    if (!readRequest(connection->buffer, &request))
        return;
    connection->answered = true;
    {
        QMutexLocker lock(&m_mutex);
        m_requests.append(request);
    }
    Q_EMIT requestReceived();
    respond(connection, request);
}

void LoopbackHttpServer::writeChunk(Connection *connection, const QByteArray &bytes)
{
    if (!connection->socket || bytes.isEmpty())
        return;
    connection->socket->write(QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n");
}

void LoopbackHttpServer::writeLastChunk(Connection *connection)
{
    if (connection->socket)
        connection->socket->write("0\r\n\r\n");
}

void LoopbackHttpServer::finish(Connection *connection)
{
    connection->complete = true;
    if (!connection->socket)
        return;
    connection->socket->flush();
    connection->socket->disconnectFromHost();
}

void LoopbackHttpServer::sendJson(Connection *connection, int status, const QByteArray &body)
{
    if (connection->socket)
        connection->socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
                                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                                  + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    finish(connection);
}

} // namespace invoke::test
