#include "tests/support/teeproxy.h"

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QTcpSocket>

#include <memory>

using namespace Qt::StringLiterals;

namespace invoke::test {

TeeProxy::TeeProxy(QUrl upstream, QObject *parent)
    : LoopbackHttpServer(parent), m_upstream(std::move(upstream)), m_network(new QNetworkAccessManager(this))
{
}

void TeeProxy::respond(Connection *connection, const RecordedRequest &request)
{
    QUrl url = m_upstream;
    const qsizetype query = request.path.indexOf('?');
    url.setPath(QString::fromUtf8(query < 0 ? request.path : request.path.first(query)), QUrl::TolerantMode);
    if (query >= 0)
        url.setQuery(QString::fromUtf8(request.path.mid(query + 1)));
    QNetworkRequest upstream(url);
    for (const QByteArray name : {QByteArray("authorization"), QByteArray("content-type"), QByteArray("accept")})
        if (const QByteArray value = request.header(name); !value.isEmpty())
            upstream.setRawHeader(name, value);
    QNetworkReply *reply = m_network->sendCustomRequest(upstream, request.method, request.body);
    reply->setParent(this);

    const QByteArray path = request.path;
    auto started = std::make_shared<bool>(false);
    const auto start = [this, connection, reply, path, started] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (*started || status == 0)
            return;
        *started = true;
        const QByteArray contentType = reply->rawHeader("Content-Type");
        if (connection->socket)
            connection->socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
                                      + "\r\nContent-Type: " + contentType
                                      + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        Q_EMIT answerStarted(path, status, contentType);
    };
    connect(reply, &QNetworkReply::metaDataChanged, this, start);
    connect(reply, &QNetworkReply::readyRead, this, [this, connection, reply, path, start] {
        start();
        const QByteArray bytes = reply->readAll();
        writeChunk(connection, bytes);
        if (connection->socket)
            connection->socket->flush();
        Q_EMIT bodyBytes(path, bytes);
    });
    connect(reply, &QNetworkReply::finished, this, [this, connection, reply, path, start] {
        start();
        if (const QByteArray rest = reply->readAll(); !rest.isEmpty()) {
            writeChunk(connection, rest);
            Q_EMIT bodyBytes(path, rest);
        }
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 0) {
            // No answer upstream at all: say so rather than hang the client.
            sendJson(connection, 502, dumpJson(Json{{"error", toStd(u"upstream: "_s + reply->errorString())}}));
        } else {
            writeLastChunk(connection);
            finish(connection);
        }
        Q_EMIT answerFinished(path);
        reply->deleteLater();
    });
}

} // namespace invoke::test
