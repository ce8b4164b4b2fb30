#include "tests/support/plaininvokeserver.h"
#include "core/wire/listingcodec.h"

#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtNetwork/QTcpSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::test {

namespace {

Json textChunk(const QString &text, const char *id, bool visible = true)
{
    return Json{{"payload", toStd(text)},
                {"metadata", {{"message_content_id", id}, {"content_type", "text"},
                              {"user_visibility", visible ? "visible" : "hidden"}}}};
}

QByteArray frameOf(const PlainScript &script, const Json &event)
{
    const QByteArray end = script.crlf ? "\r\n" : "\n";
    return "data: " + dumpJson(event) + end + end;
}

// A frame cut in the middle of its JSON and after every CR (between the CR and LF).
QList<QByteArray> piecesOf(const QByteArray &frame)
{
    QList<qsizetype> cuts{frame.size() / 2};
    for (qsizetype at = frame.indexOf('\r'); at >= 0; at = frame.indexOf('\r', at + 1))
        cuts.append(at + 1);
    std::sort(cuts.begin(), cuts.end());
    QList<QByteArray> pieces;
    qsizetype from = 0;
    for (const qsizetype cut : std::as_const(cuts)) {
        if (cut > from && cut < frame.size()) {
            pieces.append(frame.mid(from, cut - from));
            from = cut;
        }
    }
    pieces.append(frame.mid(from));
    return pieces;
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

QList<Json> PlainInvokeServer::keylessFinishRun(const QString &botName)
{
    const auto finished = [](const char *visibility, Json output) {
        return Json{{"payload", {{"status", "step finished"},
                                 {"result", {{"status", "success"}, {"output", std::move(output)}, {"error", nullptr}}}}},
                    {"metadata", {{"user_visibility", visibility}}}};
    };
    QList<Json> events;
    events << Json{{"payload", {{"bot_name", toStd(botName)}, {"invocation_id", "inv-keyless-1"}}}, {"metadata", Json::object()}};
    events << Json{{"payload", {{"key", "think"}, {"action_type", "llm.message"}, {"parameters", Json::object()}}},
                   {"metadata", {{"user_visibility", "hidden"}}}};
    events << textChunk(u"private "_s, "msg-think", false) << textChunk(u"notes"_s, "msg-think", false);
    events << finished("hidden", Json{{"content", "private notes"}});
    events << Json{{"payload", {{"key", "tidy"}, {"action_type", "utils.write"}, {"parameters", Json::object()}}},
                   {"metadata", {{"user_visibility", "visible"}}}};
    events << textChunk(u"Clean "_s, "msg-tidy") << textChunk(u"answer."_s, "msg-tidy");
    events << finished("visible", "Clean answer.");
    events << Json{{"payload", {{"status", "success"},
                                {"output", {{"content", Json::array({{{"content_type", "text"}, {"content", "Clean answer."}}})}}},
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
    if (script.split) {
        QList<QByteArray> pieces;
        for (int i = first; i < script.events.size(); ++i)
            pieces += piecesOf(frameOf(script, script.events[i]));
        sendPieces(client, std::move(pieces), 0);
        return;
    }
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
        const QByteArray frame = frameOf(script, script.events[i]);
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

void PlainInvokeServer::sendPieces(Client *client, QList<QByteArray> pieces, int next)
{
    if (next < pieces.size()) {
        writeChunk(client, pieces[next]);
        if (client->socket)
            client->socket->flush();
        // The connection lives as long as the server, the timer's context.
        QTimer::singleShot(kSplitPauseMs, this, [this, client, pieces = std::move(pieces), next]() mutable {
            sendPieces(client, std::move(pieces), next + 1);
        });
        return;
    }
    writeLastChunk(client);
    finish(client);
}

} // namespace invoke::test
