#pragma once
// The answer to one request, written on its connection: either one JSON answer with a
// Content-Length, or a text/event-stream (chunked for HTTP/1.1, ended by the close for
// HTTP/1.0). A streaming connection carries one request only and closes after the stream;
// a JSON answer keeps the connection for the next request unless the request said
// `Connection: close` or was HTTP/1.0 (ConnectionGuard decides, when told the answer left).
#include "core/model/json/json.h"

#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtNetwork/QTcpSocket>

#include <utility>


namespace invoke::server {

class ConnectionGuard;

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

QByteArray reasonPhrase(int status);
// "HTTP/1.1 <status> <reason>\r\n" and the headers, with the blank line that ends them.
QByteArray responseHead(int status, const HeaderList &headers);

class HttpReply
{
public:
    HttpReply(QTcpSocket *socket, ConnectionGuard *guard, bool keepAlive, bool chunkedAllowed);
    HttpReply(const HttpReply &) = delete;
    HttpReply &operator=(const HttpReply &) = delete;

    // The connection, or null once the client has gone.
    QTcpSocket *socket() const { return m_socket.data(); }
    bool connected() const;
    // Bytes written but not yet taken by the kernel: a client that stops reading grows it.
    qint64 pendingBytes() const;

    // One complete answer: `body` as JSON, with Content-Length; then the connection takes
    // its next request, or closes.
    void sendJson(int status, const Json &body, const HeaderList &extraHeaders = {});
    // {"error": message}
    void sendError(int status, const QString &message, const HeaderList &extraHeaders = {});

    // 200 text/event-stream, Connection: close. An SSE comment goes out at once, so the
    // client sees the headers before the first event. Nothing more is read from the
    // connection as a request.
    void beginEventStream();
    // A header the event stream's answer carries too (before beginEventStream()).
    void addStreamHeader(const QByteArray &name, const QByteArray &value) { m_streamHeaders.append({name, value}); }
    void writeChunk(const QByteArray &bytes); // never empty: an empty chunk ends the stream
    void endEventStream();                    // the last chunk, then the connection closes

private:
    QPointer<QTcpSocket> m_socket;
    QPointer<ConnectionGuard> m_guard;
    bool m_keepAlive;
    bool m_chunked;
    bool m_answered = false;
    bool m_streaming = false;
    bool m_ended = false;
    HeaderList m_streamHeaders;
};

} // namespace invoke::server
