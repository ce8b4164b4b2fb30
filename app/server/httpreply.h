#pragma once
// The one place that speaks Qt HttpServer 6.4's responder API (RECIPES.md: its streaming
// calls are gone in 6.8, replaced by writeBeginChunked / writeChunk / writeEndChunked).
// A reply is either one JSON answer or a chunked text/event-stream.
#include "core/model/json.h"

#include <QtCore/QPointer>

#include <memory>

class QHttpServerResponder;
class QTcpSocket;

namespace invoke::server {

class HttpReply
{
public:
    explicit HttpReply(QHttpServerResponder &&responder);
    ~HttpReply();
    HttpReply(const HttpReply &) = delete;
    HttpReply &operator=(const HttpReply &) = delete;

    // The connection, or null once the client has gone (never touch the responder then).
    QTcpSocket *socket() const { return m_socket.data(); }
    bool connected() const;
    // Bytes written but not yet taken by the kernel: a client that stops reading grows it.
    qint64 pendingBytes() const;

    // One complete answer: `body` as JSON, with Content-Length.
    void sendJson(int status, const Json &body, const QByteArray &extraHeader = {},
                  const QByteArray &extraValue = {});
    // {"error": message}
    void sendError(int status, const QString &message);

    // 200 text/event-stream, chunked, Connection: close. The headers leave with the first
    // chunk, so an SSE comment goes out at once.
    void beginEventStream();
    void writeChunk(const QByteArray &bytes); // never empty: an empty chunk ends the stream
    void endEventStream();                    // the last chunk, then the connection closes

private:
    std::unique_ptr<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket;
    bool m_streaming = false;
    bool m_ended = false;
};

} // namespace invoke::server
