#include "tests/support/openaistubserver.h"

#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

using namespace Qt::StringLiterals;

namespace invoke::test {

StubReply StubReply::text(const QStringList &deltas, qint64 promptTokens, qint64 completionTokens)
{
    StubReply r;
    r.deltas = deltas;
    r.promptTokens = promptTokens;
    r.completionTokens = completionTokens;
    return r;
}

StubReply StubReply::error(int status, const QString &message)
{
    StubReply r;
    r.status = status;
    const Json body = {{"error", {{"message", toStd(message)}, {"type", "stub_error"}, {"code", status}}}};
    r.errorBody = dumpJson(body);
    return r;
}

struct OpenAiStubServer::Client
{
    QPointer<QTcpSocket> socket;
    QByteArray buffer;
    bool answered = false; // a request was read and the reply started
    bool complete = false; // the reply was sent in full
    StubReply reply;       // the reply configured when the request arrived
    std::string model;
    int heldAt = -1;       // waiting for release() before this delta
    bool wasHeld = false;
};

OpenAiStubServer::OpenAiStubServer(QObject *parent)
    : QObject(parent), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &OpenAiStubServer::onConnection);
}

OpenAiStubServer::~OpenAiStubServer()
{
    for (Client *client : std::as_const(m_clients)) {
        if (client->socket)
            client->socket->abort();
        delete client;
    }
}

bool OpenAiStubServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 OpenAiStubServer::port() const
{
    return m_server->serverPort();
}

QString OpenAiStubServer::baseUrl() const
{
    return u"http://127.0.0.1:%1/v1"_s.arg(port());
}

void OpenAiStubServer::setReply(const StubReply &reply)
{
    m_reply = reply;
}

void OpenAiStubServer::release()
{
    for (Client *client : std::as_const(m_clients)) {
        if (client->heldAt >= 0 && client->socket) {
            const int from = std::exchange(client->heldAt, -1);
            streamFrom(client, from);
        }
    }
}

QList<RecordedRequest> OpenAiStubServer::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

int OpenAiStubServer::requestCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_requests.size());
}

void OpenAiStubServer::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *client = new Client;
        client->socket = socket;
        m_clients.append(client);
        connect(socket, &QTcpSocket::readyRead, this, [this, client] { onReadyRead(client); });
        connect(socket, &QTcpSocket::disconnected, this, [this, client] {
            if (client->answered && !client->complete)
                Q_EMIT clientDisconnected();
            client->heldAt = -1;
            if (client->socket)
                client->socket->deleteLater();
        });
    }
}

void OpenAiStubServer::onReadyRead(Client *client)
{
    if (!client->socket || client->answered)
        return;
    client->buffer += client->socket->readAll();
    RecordedRequest request;
    if (!readRequest(client->buffer, &request))
        return;
    client->answered = true;
    client->reply = m_reply;
    const Json body = request.json();
    client->model = body.is_object() && body.value("model", Json()).is_string()
        ? body["model"].get<std::string>() : std::string("stub-model");
    {
        QMutexLocker lock(&m_mutex);
        m_requests.append(request);
    }
    Q_EMIT requestReceived();
    respond(client);
}

void OpenAiStubServer::respond(Client *client)
{
    QTcpSocket *socket = client->socket;
    const StubReply &reply = client->reply;
    if (reply.status != 200) {
        socket->write("HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status)
                      + "\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(reply.errorBody.size()) + "\r\nConnection: close\r\n\r\n"
                      + reply.errorBody);
        finish(client);
        return;
    }
    if (reply.ignoreStream) {
        Json body = {{"id", "chatcmpl-stub"}, {"object", "chat.completion"}, {"model", client->model},
                     {"choices", Json::array({{{"index", 0},
                                               {"message", {{"role", "assistant"}, {"content", toStd(reply.deltas.join(QString()))}}},
                                               {"finish_reason", toStd(reply.finishReason)}}})}};
        if (reply.promptTokens >= 0 && reply.completionTokens >= 0)
            body["usage"] = {{"prompt_tokens", reply.promptTokens}, {"completion_tokens", reply.completionTokens}};
        const QByteArray bytes = dumpJson(body);
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(bytes.size()) + "\r\nConnection: close\r\n\r\n" + bytes);
        finish(client);
        return;
    }
    socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                  "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    // The first chunk names the role, as OpenAI's does.
    writeFrame(client, dumpJson({{"id", "chatcmpl-stub"}, {"object", "chat.completion.chunk"},
                                 {"model", client->model},
                                 {"choices", Json::array({{{"index", 0},
                                                           {"delta", {{"role", "assistant"}, {"content", ""}}},
                                                           {"finish_reason", nullptr}}})}}));
    streamFrom(client, 0);
}

void OpenAiStubServer::streamFrom(Client *client, int firstDelta)
{
    const StubReply &reply = client->reply;
    for (int i = firstDelta; i < reply.deltas.size(); ++i) {
        if (i == reply.disconnectAfter) {
            client->socket->flush();
            client->socket->disconnectFromHost();
            return;
        }
        if (i == reply.stallAfter) {
            client->socket->flush();
            return;
        }
        if (i == reply.holdAfter && !client->wasHeld) {
            client->wasHeld = true;
            client->heldAt = i;
            client->socket->flush();
            Q_EMIT held();
            return;
        }
        writeFrame(client, dumpJson({{"id", "chatcmpl-stub"}, {"object", "chat.completion.chunk"},
                                     {"model", client->model},
                                     {"choices", Json::array({{{"index", 0},
                                                               {"delta", {{"content", toStd(reply.deltas[i])}}},
                                                               {"finish_reason", nullptr}}})}}));
    }
    const int n = int(reply.deltas.size());
    if (reply.disconnectAfter >= n) {
        client->socket->flush();
        client->socket->disconnectFromHost();
        return;
    }
    if (reply.stallAfter >= n) {
        client->socket->flush();
        return;
    }
    if (!reply.finishReason.isEmpty())
        writeFrame(client, dumpJson({{"id", "chatcmpl-stub"}, {"object", "chat.completion.chunk"},
                                     {"model", client->model},
                                     {"choices", Json::array({{{"index", 0}, {"delta", Json::object()},
                                                               {"finish_reason", toStd(reply.finishReason)}}})}}));
    if (reply.promptTokens >= 0 && reply.completionTokens >= 0)
        writeFrame(client, dumpJson({{"id", "chatcmpl-stub"}, {"object", "chat.completion.chunk"},
                                     {"model", client->model}, {"choices", Json::array()},
                                     {"usage", {{"prompt_tokens", reply.promptTokens},
                                                {"completion_tokens", reply.completionTokens},
                                                {"total_tokens", reply.promptTokens + reply.completionTokens}}}}));
    if (reply.sendDone)
        writeFrame(client, "[DONE]");
    writeChunk(client, {}); // the last chunk: "0\r\n\r\n"
    finish(client);
}

void OpenAiStubServer::writeFrame(Client *client, const QByteArray &json)
{
    const QByteArray frame = "data: " + json + "\n\n";
    const int step = client->reply.maxChunkBytes > 0 ? client->reply.maxChunkBytes : int(frame.size());
    for (qsizetype at = 0; at < frame.size(); at += step)
        writeChunk(client, frame.mid(at, step));
}

void OpenAiStubServer::writeChunk(Client *client, const QByteArray &bytes)
{
    client->socket->write(QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n");
}

void OpenAiStubServer::finish(Client *client)
{
    client->complete = true;
    client->socket->flush();
    client->socket->disconnectFromHost();
}

} // namespace invoke::test
