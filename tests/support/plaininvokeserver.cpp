#include "tests/support/plaininvokeserver.h"
#include "core/wire/listingcodec.h"

#include <QtCore/QUrl>
#include <QtNetwork/QTcpSocket>

using namespace Qt::StringLiterals;

namespace invoke::test {

namespace {

Json textChunk(const QString &text, const char *id)
{
    return Json{{"payload", toStd(text)},
                {"metadata", {{"message_content_id", id}, {"content_type", "text"}, {"user_visibility", "visible"}}}};
}

} // namespace

PlainScript PlainScript::stream(QList<Json> events)
{
    PlainScript script;
    script.events = std::move(events);
    return script;
}

PlainScript PlainScript::error(int status, const QString &message)
{
    PlainScript script;
    script.status = status;
    script.errorBody = dumpJson(Json{{"error", toStd(message)}});
    return script;
}

QList<Json> PlainInvokeServer::plainRun(const QString &botName, const QStringList &chunks)
{
    const QString text = chunks.join(QString());
    QList<Json> events;
    events << Json{{"payload", {{"bot_name", toStd(botName)}, {"invocation_id", "inv-plain-1"}}}, {"metadata", Json::object()}};
    events << Json{{"payload", {{"key", "lookup"}, {"action_type", "utils.echo"}}}, {"metadata", Json::object()}};
    events << Json{{"payload", {{"status", "step finished"}, {"key", "lookup"},
                                {"result", {{"status", "success"}, {"output", {{"topic", "tea"}}}}}}}};
    events << Json{{"payload", {{"key", "answer"}, {"action_type", "llm.message"}}}, {"metadata", Json::object()}};
    for (const QString &chunk : chunks)
        events << textChunk(chunk, "msg-answer");
    events << Json{{"payload", {{"status", "step finished"}, {"key", "answer"},
                                {"result", {{"status", "success"}, {"output", {{"content", toStd(text)}}}, {"error", nullptr}}}}},
                   {"metadata", Json::object()}};
    events << Json{{"payload", {{"status", "success"},
                                {"output", {{"content", Json::array({{{"content_type", "text"}, {"content", toStd(text)}}})}}},
                                {"error", nullptr}}},
                   {"metadata", Json::object()}};
    return events;
}

struct PlainInvokeServer::Client : Connection
{
    PlainScript script;
};

PlainInvokeServer::PlainInvokeServer(QObject *parent) : LoopbackHttpServer(parent)
{
}

void PlainInvokeServer::addBot(const BotInfo &bot, const PlainScript &script)
{
    m_bots.append(bot);
    m_scripts.insert(bot.key, script);
}

std::unique_ptr<LoopbackHttpServer::Connection> PlainInvokeServer::makeConnection()
{
    return std::make_unique<Client>();
}

void PlainInvokeServer::resume(Connection *connection, int from)
{
    streamFrom(static_cast<Client *>(connection), from);
}

void PlainInvokeServer::respond(Connection *connection, const RecordedRequest &request)
{
    auto *client = static_cast<Client *>(connection);
    if (!m_token.isEmpty() && request.header("authorization") != "Bearer " + m_token.toUtf8()) {
        sendJson(client, 401, dumpJson(Json{{"error", request.header("authorization").isEmpty()
                                                          ? "a bearer token is required"
                                                          : "the token is not recognised"}}));
        return;
    }
    const QList<QByteArray> parts = request.path.split('/');
    // "", "bots" | "", "datasets" | "", "bots", KEY, "invoke"
    if (request.method == "GET" && request.path == "/bots") {
        sendJson(client, 200, m_rawBotsBody.isEmpty() ? dumpJson(wire::botListingBody(m_bots)) : m_rawBotsBody);
        return;
    }
    if (request.method == "GET" && request.path == "/datasets") {
        Json datasets = Json::array();
        for (const DatasetInfo &dataset : std::as_const(m_datasets))
            datasets.push_back(dataset.toJson());
        sendJson(client, 200, dumpJson(datasets)); // a bare array: both shapes are read
        return;
    }
    const QString key = parts.size() == 4 ? QUrl::fromPercentEncoding(parts[2]) : QString();
    if (request.method != "POST" || parts.size() != 4 || parts[1] != "bots" || parts[3] != "invoke") {
        sendJson(client, 404, dumpJson(Json{{"error", "no such endpoint"}}));
        return;
    }
    if (!m_scripts.contains(key)) {
        sendJson(client, 404, dumpJson(Json{{"error", toStd(u"bot \"%1\" not found"_s.arg(key))}}));
        return;
    }
    client->script = m_scripts.value(key);
    const PlainScript &script = client->script;
    if (script.neverAnswer)
        return;
    if (script.status != 200) {
        sendJson(client, script.status,
                 script.errorBody.isEmpty() ? dumpJson(Json{{"error", reasonPhrase(script.status).toStdString()}})
                                            : script.errorBody);
        return;
    }
    client->socket->write("HTTP/1.1 200 OK\r\nContent-Type: " + script.contentType
                          + "\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    if (!script.preamble.isEmpty())
        writeChunk(client, script.preamble);
    streamFrom(client, 0);
}

void PlainInvokeServer::streamFrom(Client *client, int first)
{
    const PlainScript &script = client->script;
    QByteArray burst;
    for (int i = first; i < script.events.size(); ++i) {
        if (i == script.cutAfter) {
            writeChunk(client, burst);
            client->socket->flush();
            client->socket->abort(); // no terminating chunk: the stream is cut
            return;
        }
        if (i == script.stallAfter) {
            writeChunk(client, burst);
            return;
        }
        if (i == script.holdAfter && client->heldAt < 0) {
            writeChunk(client, burst);
            client->heldAt = i; // the held event itself goes out on release()
            client->script.holdAfter = -1;
            Q_EMIT held();
            return;
        }
        const QByteArray frame = "data: " + dumpJson(script.events[i]) + "\n\n";
        if (script.batched)
            burst += frame;
        else
            writeChunk(client, frame);
    }
    writeChunk(client, burst);
    const int n = int(script.events.size());
    if (script.cutAfter >= n) {
        client->socket->flush();
        client->socket->abort();
        return;
    }
    if (script.stallAfter >= n)
        return;
    if (script.hugeEventBytes > 0) {
        // One data line that never ends, in pieces.
        writeChunk(client, "data: {\"payload\": \"");
        const QByteArray piece(1 << 20, 'x');
        for (qsizetype sent = 0; sent < script.hugeEventBytes && client->socket; sent += piece.size())
            writeChunk(client, piece);
        return;
    }
    writeLastChunk(client);
    finish(client);
}

} // namespace invoke::test
