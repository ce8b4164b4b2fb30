#include "tests/support/openaistubserver.h"

#include <QtCore/QTimer>
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

struct OpenAiStubServer::Client : Connection
{
    StubReply reply;       // the reply configured when the request arrived
    std::string model;
    bool wasHeld = false;
    bool delayed = false;
};

OpenAiStubServer::OpenAiStubServer(QObject *parent)
    : LoopbackHttpServer(parent)
{
}

QString OpenAiStubServer::baseUrl() const
{
    return origin() + u"/v1"_s;
}

void OpenAiStubServer::setReply(const StubReply &reply)
{
    m_reply = reply;
}

std::unique_ptr<LoopbackHttpServer::Connection> OpenAiStubServer::makeConnection()
{
    return std::make_unique<Client>();
}

void OpenAiStubServer::resume(Connection *connection, int from)
{
    streamFrom(static_cast<Client *>(connection), from);
}

void OpenAiStubServer::respond(Connection *connection, const RecordedRequest &request)
{
    auto *client = static_cast<Client *>(connection);
    if (m_reply.delayMs > 0 && !client->delayed) {
        client->delayed = true;
        QTimer::singleShot(m_reply.delayMs, client->socket, [this, connection, request] { respond(connection, request); });
        return;
    }
    client->reply = m_reply;
    const Json body = request.json();
    client->model = body.is_object() && body.value("model", Json()).is_string()
        ? body["model"].get<std::string>() : std::string("stub-model");
    QTcpSocket *socket = client->socket;
    const StubReply &reply = client->reply;
    if (reply.status != 200) {
        sendJson(client, reply.status, reply.errorBody);
        return;
    }
    if (reply.ignoreStream) {
        Json answer = {{"id", "chatcmpl-stub"}, {"object", "chat.completion"}, {"model", client->model},
                       {"choices", Json::array({{{"index", 0},
                                                 {"message", {{"role", "assistant"}, {"content", toStd(reply.deltas.join(QString()))}}},
                                                 {"finish_reason", toStd(reply.finishReason)}}})}};
        if (reply.promptTokens >= 0 && reply.completionTokens >= 0)
            answer["usage"] = {{"prompt_tokens", reply.promptTokens}, {"completion_tokens", reply.completionTokens}};
        sendJson(client, 200, dumpJson(answer));
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
    writeLastChunk(client);
    finish(client);
}

void OpenAiStubServer::writeFrame(Client *client, const QByteArray &json)
{
    const QByteArray frame = "data: " + json + "\n\n";
    const int step = client->reply.maxChunkBytes > 0 ? client->reply.maxChunkBytes : int(frame.size());
    for (qsizetype at = 0; at < frame.size(); at += step)
        writeChunk(client, frame.mid(at, step));
}

} // namespace invoke::test
