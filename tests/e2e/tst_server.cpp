// End to end: the real build/bin/invoke-server on a free loopback port, driven over HTTP
// by QNetworkAccessManager (and curl), its events read with the core's SSE decoder. The
// LLM is a real HTTP server in this process (OpenAiStubServer), so the tests can hold an
// answer mid-way and count the requests that reach it.
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/wire/eventcodec.h"
#include "core/wire/events.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QSaveFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QByteArray kTokenAcme = "test-token-acme-0123456789";
const QByteArray kTokenBeta = "test-token-beta-0123456789";

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QString error() const { return stringField(parseJson(body), "error"); }
    QHash<QByteArray, QByteArray> headers;
};

// One streaming invocation read as it arrives.
struct SseClient
{
    std::unique_ptr<QNetworkAccessManager> nam; // its own: QNAM opens 6 connections per host at most
    QNetworkReply *reply = nullptr;
    wire::EventStreamDecoder decoder;
    QList<Event> events;
    bool done = false;
    int status = 0;

    SseClient(const QUrl &url, const QByteArray &token, const Json &body)
        : nam(std::make_unique<QNetworkAccessManager>())
    {
        QNetworkRequest request(url);
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        request.setRawHeader("Accept", "text/event-stream");
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        reply = nam->post(request, dumpJson(body));
        QObject::connect(reply, &QNetworkReply::readyRead, reply, [this] {
            status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            decoder.feed(reply->readAll(), events);
        });
        QObject::connect(reply, &QNetworkReply::finished, reply, [this] {
            status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (reply->isOpen()) // not after abort()
                decoder.feed(reply->readAll(), events);
            done = true;
        });
    }
    ~SseClient() { delete reply; }

    bool hasKind(EventKind kind) const
    {
        return std::any_of(events.cbegin(), events.cend(), [kind](const Event &e) { return wire::kindOf(e) == kind; });
    }
    Json finalPayload() const
    {
        return events.isEmpty() ? Json() : wire::payloadOf(events.last().json());
    }
};

// Empty when the stream is whole: seq 0, 1, 2... with no gap or repeat, one invocation
// id, invocation_started first and invocation_finished last.
QString streamProblem(const QList<Event> &events)
{
    if (events.isEmpty())
        return u"no events"_s;
    const QString id = stringField(wire::metadataOf(events.first().json()), "invocation_id");
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (events[i].seq != i)
            return u"event %1 has seq %2"_s.arg(i).arg(events[i].seq);
        if (stringField(wire::metadataOf(events[i].json()), "invocation_id") != id)
            return u"event %1 belongs to another invocation"_s.arg(i);
    }
    if (wire::kindOf(events.first()) != EventKind::InvocationStarted)
        return u"the first event is %1"_s.arg(events.first().type);
    if (wire::kindOf(events.last()) != EventKind::InvocationFinished)
        return u"the last event is %1"_s.arg(events.last().type);
    return {};
}

Json mocksOf(const QString &key)
{
    QFile file(test::sourcePath(u"resources/mocks/%1.mocks.json"_s.arg(key)));
    return file.open(QIODevice::ReadOnly) ? parseJson(file.readAll()) : Json();
}

Json manualBody(const QString &key, const QString &message)
{
    return Json{{"messages", Json::array({{{"role", "user"}, {"content", toStd(message)}}})},
                {"mode", "manual"},
                {"manual_mocks", mocksOf(key)}};
}

Json chatBody(const char *mode, const QString &message = u"Hello"_s)
{
    return Json{{"messages", Json::array({{{"role", "user"}, {"content", toStd(message)}}})}, {"mode", mode}};
}

} // namespace

class TstServer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::ServerProcess> startServer(const QStringList &extra = {}, const QString &llmUrl = {});
    HttpResult send(const QByteArray &method, const QUrl &url, const QByteArray &token = {},
                    const QByteArray &body = {});
    void writeTokens(const QByteArray &content);
    bool waitDone(SseClient &client);

    QTemporaryDir m_home;
    QString m_tokens;
    QNetworkAccessManager m_nam;

private Q_SLOTS:
    void initTestCase();
    void init();

    void usageErrors_data();
    void usageErrors();
    void insecureNoAuthOnLoopback();
    void healthzNeedsNoToken();
    void listingsNeedAToken();
    void errorsAreJson();
    void brokenBotFileIs404WithItsLine();
    void bodyOverTheLimitIsRefused();
    void streamDeliversEventsAsTheyHappen();
    void replayCacheIsScopedPerOrganisation();
    void clientDisconnectCancelsTheRun();
    void fiftyConcurrentStreams();
    void clientThatStopsReadingIsDropped();
    void idleConnectionsAreClosed();
    void tokensFileIsReadAgain();
    void sigtermCancelsOpenStreams();
    void sigtermLetsStreamsFinishWithinGrace();
    void curlStreamsARun();
};

void TstServer::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY2(QFileInfo(test::binDir() + u"/invoke-server"_s).isExecutable(),
             "build invoke-server first (it is a dependency of tst_server)");
    m_tokens = m_home.filePath(u"tokens.txt"_s);
}

void TstServer::init()
{
    writeTokens("# two organisations\n" + kTokenAcme + " acme\n" + kTokenBeta + " beta  # the other one\n");
}

void TstServer::writeTokens(const QByteArray &content)
{
    QSaveFile file(m_tokens); // replaced atomically, as an editor would
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    QVERIFY(file.commit());
}

std::unique_ptr<test::ServerProcess> TstServer::startServer(const QStringList &extra, const QString &llmUrl)
{
    return test::ServerProcess::launch(
        QStringList{u"--tokens"_s, m_tokens, u"--cache"_s, test::ServerProcess::cacheFileForTest(m_home.path())} + extra,
        test::ServerProcess::scratchEnvironment(m_home.path(), llmUrl));
}

HttpResult TstServer::send(const QByteArray &method, const QUrl &url, const QByteArray &token, const QByteArray &body)
{
    QNetworkRequest request(url);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(60000);
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        result.headers.insert(pair.first.toLower(), pair.second);
    reply->deleteLater();
    return result;
}

bool TstServer::waitDone(SseClient &client)
{
    return QTest::qWaitFor([&] { return client.done; }, 60000);
}

void TstServer::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("no tokens") << QStringList{} << u"--tokens FILE is required"_s;
    QTest::newRow("missing file") << QStringList{u"--tokens"_s, u"/nonexistent/tokens.txt"_s}
                                  << u"cannot read the tokens file /nonexistent/tokens.txt"_s;
    QTest::newRow("no auth beyond loopback") << QStringList{u"--insecure-no-auth"_s, u"--listen"_s, u"0.0.0.0:0"_s}
                                             << u"--insecure-no-auth listens on loopback only"_s;
    QTest::newRow("bad listen") << QStringList{u"--insecure-no-auth"_s, u"--listen"_s, u"here"_s}
                                << u"--listen: expected HOST:PORT"_s;
    QTest::newRow("bad size") << QStringList{u"--insecure-no-auth"_s, u"--max-body"_s, u"-3"_s}
                              << u"--max-body: expected a positive number of bytes"_s;
    QTest::newRow("bad head timeout") << QStringList{u"--insecure-no-auth"_s, u"--head-timeout"_s, u"0"_s}
                                      << u"--head-timeout: expected seconds between 0 and 3600"_s;
    QTest::newRow("bad body timeout") << QStringList{u"--insecure-no-auth"_s, u"--body-timeout"_s, u"never"_s}
                                      << u"--body-timeout: expected seconds between 0 and 3600"_s;
    QTest::newRow("bad connection cap") << QStringList{u"--insecure-no-auth"_s, u"--max-connections"_s, u"many"_s}
                                        << u"--max-connections: expected a count between 1 and 1000000"_s;
    QTest::newRow("bad stream cap") << QStringList{u"--insecure-no-auth"_s, u"--max-streams-per-token=0"_s}
                                    << u"--max-streams-per-token: expected a count between 1 and 1000000"_s;
    QTest::newRow("unknown flag") << QStringList{u"--insecure-no-auth"_s, u"--verbose"_s}
                                  << u"unknown argument \"--verbose\""_s;
}

void TstServer::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    QProcess process;
    process.setProcessEnvironment(test::ServerProcess::scratchEnvironment(m_home.path()));
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(test::binDir() + u"/invoke-server"_s, arguments);
    QVERIFY(finished.wait(60000));
    QCOMPARE(process.exitCode(), 2);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.startsWith(u"invoke-server: "_s) && err.contains(message), qPrintable(err));
}

void TstServer::insecureNoAuthOnLoopback()
{
    test::ServerProcess server({u"--insecure-no-auth"_s}, test::ServerProcess::scratchEnvironment(m_home.path()));
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QCOMPARE(send("GET", server.url(u"/bots"_s)).status, 200);
    SseClient client(server.url(u"/bots/chat/invoke"_s), {}, manualBody(u"chat"_s, u"hi"_s));
    QVERIFY(waitDone(client));
    QCOMPARE(streamProblem(client.events), QString());
    QVERIFY2(server.log().contains(u"NO AUTHENTICATION"_s), qPrintable(server.log()));
    QTRY_VERIFY(server.log().contains(u"POST /bots/chat/invoke 200 org=local "_s));
    QCOMPARE(server.terminate(), 0);
}

void TstServer::healthzNeedsNoToken()
{
    auto server = startServer();
    QVERIFY(server);
    const HttpResult r = send("GET", server->url(u"/healthz"_s));
    QCOMPARE(r.status, 200);
    QVERIFY2(parseJson(r.body) == (Json{{"status", "ok"}}), r.body.constData());
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
}

void TstServer::listingsNeedAToken()
{
    auto server = startServer();
    QVERIFY(server);
    for (const QString &path : {u"/bots"_s, u"/datasets"_s}) {
        HttpResult r = send("GET", server->url(path));
        QCOMPARE(r.status, 401);
        QVERIFY2(r.error().contains(u"Authorization: Bearer"_s), r.body.constData());
        QCOMPARE(r.header("www-authenticate"), QByteArray("Bearer"));
        r = send("GET", server->url(path), "not-a-token-we-know-at-all");
        QCOMPARE(r.status, 401);
        QVERIFY2(r.error().contains(u"not recognised"_s), r.body.constData());
    }

    HttpResult r = send("GET", server->url(u"/bots"_s), kTokenAcme);
    QCOMPARE(r.status, 200);
    const Json bots = parseJson(r.body)["bots"];
    QStringList keys;
    for (const Json &bot : bots) {
        keys.append(stringField(bot, "key"));
        QVERIFY2(!bot.contains("source_file"), "the server's file paths stay home");
        QVERIFY(bot["parameter_definitions"].is_array());
        QVERIFY(!stringField(bot, "updated_at").isEmpty());
    }
    for (const QString &key : {u"chat"_s, u"summariser"_s, u"ticket-triage"_s, u"research-assistant"_s})
        QVERIFY2(keys.contains(key), qPrintable(keys.join(u", "_s)));

    r = send("GET", server->url(u"/datasets"_s), kTokenBeta);
    QCOMPARE(r.status, 200);
    QVERIFY2(parseJson(r.body)["datasets"].is_array(), r.body.constData());

    // One line per request, with the organisation; never a token.
    const QString log = server->log();
    QVERIFY2(log.contains(u"GET /bots 401 org=- "_s), qPrintable(log));
    QVERIFY2(log.contains(u"GET /bots 200 org=acme "_s), qPrintable(log));
    QVERIFY2(log.contains(u"GET /datasets 200 org=beta "_s), qPrintable(log));
    QVERIFY2(!log.contains(QString::fromLatin1(kTokenAcme)) && !log.contains(u"not-a-token"_s), qPrintable(log));
}

void TstServer::errorsAreJson()
{
    auto server = startServer();
    QVERIFY(server);
    const QUrl chat = server->url(u"/bots/chat/invoke"_s);

    HttpResult r = send("POST", server->url(u"/bots/no-such-bot/invoke"_s), kTokenAcme, "{}");
    QCOMPARE(r.status, 404);
    QVERIFY2(r.error().contains(u"\"no-such-bot\" not found"_s), r.body.constData());

    r = send("POST", chat, kTokenAcme, "{\"messages\": [\n  {\"role\": \"user\" \"content\": \"hi\"}]}");
    QCOMPARE(r.status, 400);
    QVERIFY2(r.error().contains(u"not valid JSON"_s) && r.error().contains(u"line 2, column"_s), r.body.constData());

    r = send("POST", chat, kTokenAcme, dumpJson(Json{{"messages", Json::array({{{"role", "robot"}, {"content", "hi"}}})}}));
    QCOMPARE(r.status, 400);
    QVERIFY2(r.error().startsWith(u"messages[0]"_s), r.body.constData());

    r = send("POST", chat, kTokenAcme, dumpJson(Json{{"mode", "sometimes"}}));
    QCOMPARE(r.status, 400);
    QVERIFY2(r.error().startsWith(u"mode"_s), r.body.constData());

    r = send("POST", chat, {}, "{}"); // the token is checked before the body
    QCOMPARE(r.status, 401);

    r = send("GET", chat, kTokenAcme);
    QCOMPARE(r.status, 405);
    QCOMPARE(r.header("allow"), QByteArray("POST"));

    r = send("GET", server->url(u"/nothing/here"_s), kTokenAcme);
    QCOMPARE(r.status, 404);
    QVERIFY2(r.error().contains(u"POST /bots/{key}/invoke"_s), r.body.constData());
}

void TstServer::brokenBotFileIs404WithItsLine()
{
    // A bot file in --bots-dir that does not load: the answer names the file and line,
    // not the server's folder; a bot added while the server runs is found.
    const QString folder = m_home.filePath(u"more-bots"_s);
    QVERIFY(QDir().mkpath(folder));
    QFile broken(folder + u"/broken.bot.json"_s);
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\n  \"bot\": {\"key\": \"broken\"},\n  \"steps\": [\n");
    broken.close();
    auto server = startServer({u"--bots-dir"_s, folder});
    QVERIFY(server);

    HttpResult r = send("POST", server->url(u"/bots/broken/invoke"_s), kTokenAcme, "{}");
    QCOMPARE(r.status, 404);
    QVERIFY2(r.error().startsWith(u"bot \"broken\" could not be loaded: broken.bot.json:"_s), r.body.constData());
    QVERIFY2(!r.error().contains(folder), r.body.constData());

    QFile added(folder + u"/echo.bot.json"_s);
    QVERIFY(added.open(QIODevice::WriteOnly));
    added.write(dumpJson(Json{{"bot", {{"key", "echo"}, {"name", "Echo"}}},
                              {"steps", Json::array({{{"key", "say"}, {"action_type", "utils.echo"},
                                                      {"parameters", {{"data", "{{query}}"}}}}})}}));
    added.close();
    SseClient client(server->url(u"/bots/echo/invoke"_s), kTokenAcme, chatBody("manual", u"ping"_s));
    QVERIFY(waitDone(client));
    QCOMPARE(client.status, 200);
    QCOMPARE(streamProblem(client.events), QString());
}

void TstServer::bodyOverTheLimitIsRefused()
{
    auto server = startServer({u"--max-body"_s, u"4096"_s});
    QVERIFY(server);
    const QUrl chat = server->url(u"/bots/chat/invoke"_s);
    Json body = manualBody(u"chat"_s, QString(5000, u'x'));
    HttpResult r = send("POST", chat, kTokenAcme, dumpJson(body));
    QCOMPARE(r.status, 413);
    QVERIFY2(r.error().contains(u"at most 4096"_s), r.body.constData());
    QTRY_VERIFY2(server->log().contains(u"POST /bots/chat/invoke 413 org=- 0ms refused before reading the body"_s),
                 qPrintable(server->log()));

    // Just under the limit runs.
    body = manualBody(u"chat"_s, u"hi"_s);
    SseClient client(chat, kTokenAcme, body);
    QVERIFY(waitDone(client));
    QCOMPARE(client.status, 200);
    QCOMPARE(streamProblem(client.events), QString());
}

void TstServer::streamDeliversEventsAsTheyHappen()
{
    test::OpenAiStubServer llm;
    QVERIFY(llm.listen());
    test::StubReply answer = test::StubReply::text({u"Streaming"_s, u" is"_s, u" live."_s}, 9, 3);
    answer.holdAfter = 1; // the first delta goes out, then the answer waits
    llm.setReply(answer);
    QSignalSpy held(&llm, &test::OpenAiStubServer::held);
    auto server = startServer({}, llm.baseUrl());
    QVERIFY(server);

    SseClient client(server->url(u"/bots/chat/invoke"_s), kTokenAcme, chatBody("live"));
    QVERIFY(held.wait(60000));
    // While the LLM is held, the events so far have arrived: the stream is not buffered.
    QTRY_VERIFY_WITH_TIMEOUT(client.hasKind(EventKind::MessageContent), 60000);
    QCOMPARE(client.status, 200);
    QCOMPARE(client.reply->header(QNetworkRequest::ContentTypeHeader).toString(), u"text/event-stream"_s);
    QVERIFY(!client.hasKind(EventKind::InvocationFinished));
    QVERIFY(!client.done);
    QCOMPARE(wire::readTextChunk(client.events.last())->text, u"Streaming"_s);

    llm.release();
    QVERIFY(waitDone(client));
    QCOMPARE(client.reply->error(), QNetworkReply::NoError);
    QCOMPARE(streamProblem(client.events), QString());
    const Json result = client.finalPayload();
    QCOMPARE(stringField(result, "status"), u"success"_s);
    QCOMPARE(toQString(result["output"]["content"][0]["content"].get<std::string>()), u"Streaming is live."_s);
    QTRY_VERIFY(server->log().contains(u"POST /bots/chat/invoke 200 org=acme "_s));
    QVERIFY2(server->log().contains(u" success"_s), qPrintable(server->log()));
}

void TstServer::replayCacheIsScopedPerOrganisation()
{
    test::OpenAiStubServer llm;
    QVERIFY(llm.listen());
    llm.setReply(test::StubReply::text({u"A cached"_s, u" answer."_s}, 5, 3));
    auto server = startServer({}, llm.baseUrl());
    QVERIFY(server);
    const QUrl chat = server->url(u"/bots/chat/invoke"_s);

    // The source of the one LLM step, as the step_finished event tells it.
    auto runAs = [&](const QByteArray &token) -> QString {
        SseClient client(chat, token, chatBody("replay", u"Same question"_s));
        if (!waitDone(client) || !streamProblem(client.events).isEmpty())
            return u"broken stream: "_s + streamProblem(client.events);
        for (const Event &event : std::as_const(client.events))
            if (wire::kindOf(event) == EventKind::StepFinished)
                return stringField(wire::metadataOf(event.json()), "source");
        return u"no step finished"_s;
    };

    QCOMPARE(runAs(kTokenAcme), u"replay_stored"_s);
    QCOMPARE(llm.requestCount(), 1);
    QCOMPARE(runAs(kTokenAcme), u"replay_hit"_s);
    QCOMPARE(llm.requestCount(), 1);
    // The same request from another organisation never sees acme's answer.
    QCOMPARE(runAs(kTokenBeta), u"replay_stored"_s);
    QCOMPARE(llm.requestCount(), 2);
    QCOMPARE(runAs(kTokenBeta), u"replay_hit"_s);
    QCOMPARE(runAs(kTokenAcme), u"replay_hit"_s);
    QCOMPARE(llm.requestCount(), 2);
}

void TstServer::clientDisconnectCancelsTheRun()
{
    test::OpenAiStubServer llm;
    QVERIFY(llm.listen());
    test::StubReply answer = test::StubReply::text({u"Never"_s, u" finished."_s});
    answer.holdAfter = 1;
    llm.setReply(answer);
    QSignalSpy held(&llm, &test::OpenAiStubServer::held);
    QSignalSpy llmDropped(&llm, &test::OpenAiStubServer::clientDisconnected);
    auto server = startServer({}, llm.baseUrl());
    QVERIFY(server);

    SseClient client(server->url(u"/bots/chat/invoke"_s), kTokenAcme, chatBody("live"));
    QVERIFY(held.wait(60000));
    QTRY_VERIFY(client.hasKind(EventKind::MessageContent));
    client.reply->abort();

    // The server cancels the run, and the run drops its LLM request.
    QTRY_VERIFY_WITH_TIMEOUT(llmDropped.count() > 0, 60000);
    QTRY_VERIFY2_WITH_TIMEOUT(server->log().contains(u"cancelled (client disconnected)"_s), qPrintable(server->log()), 60000);
    QCOMPARE(send("GET", server->url(u"/healthz"_s)).status, 200); // and serves on
}

void TstServer::fiftyConcurrentStreams()
{
    // 50 live runs held at once inside their LLM step: all run at the same time. Then each
    // stream must carry every event once, in order.
    test::OpenAiStubServer llm;
    QVERIFY(llm.listen());
    QStringList words;
    for (int i = 0; i < 20; ++i)
        words.append(u"w%1 "_s.arg(i));
    test::StubReply answer = test::StubReply::text(words, 4, 20);
    answer.holdAfter = 2;
    llm.setReply(answer);
    QSignalSpy held(&llm, &test::OpenAiStubServer::held);
    auto server = startServer({}, llm.baseUrl());
    QVERIFY(server);

    constexpr int kClients = 50;
    std::vector<std::unique_ptr<SseClient>> clients;
    for (int i = 0; i < kClients; ++i)
        clients.push_back(std::make_unique<SseClient>(server->url(u"/bots/chat/invoke"_s),
                                                      i % 2 ? kTokenAcme : kTokenBeta,
                                                      chatBody("live", u"client %1"_s.arg(i))));
    QTRY_COMPARE_WITH_TIMEOUT(held.count(), kClients, 120000);
    for (const auto &client : clients)
        QVERIFY(!client->done);
    llm.release();

    QSet<QString> ids;
    for (int i = 0; i < kClients; ++i) {
        SseClient &client = *clients[size_t(i)];
        QVERIFY(waitDone(client));
        QCOMPARE(client.reply->error(), QNetworkReply::NoError);
        QCOMPARE(streamProblem(client.events), QString());
        QCOMPARE(stringField(client.finalPayload(), "status"), u"success"_s);
        QCOMPARE(toQString(client.finalPayload()["output"]["content"][0]["content"].get<std::string>()), words.join(QString()));
        ids.insert(stringField(wire::metadataOf(client.events.first().json()), "invocation_id"));
        // The question of this client reached the LLM in this client's run.
        const Json started = wire::payloadOf(client.events[1].json());
        QCOMPARE(toQString(started["parameters"]["message_history"][0]["content"].get<std::string>()), u"client %1"_s.arg(i));
    }
    QCOMPARE(ids.size(), kClients);
    QCOMPARE(llm.requestCount(), kClients);
}

void TstServer::clientThatStopsReadingIsDropped()
{
    // A run that writes ~24 MB (a 6 MB answer, repeated by the step and final events) to a
    // client that reads nothing: the kernel's buffers fill, then the server's own grows
    // past --max-unsent and the server drops the client instead of holding it all.
    auto server = startServer({u"--max-body"_s, u"33554432"_s, u"--max-unsent"_s, u"1048576"_s});
    QVERIFY(server);
    const QString big(6 * 1024 * 1024, u'z');
    const Json mocks{{"answer", {{"status", "success"}, {"output", {{"content", toStd(big)}}}}}};
    const QByteArray body = dumpJson(Json{{"mode", "manual"}, {"manual_mocks", mocks}});

    QTcpSocket socket;
    socket.setReadBufferSize(1024); // Qt stops taking bytes from the kernel past this
    socket.connectToHost(QHostAddress::LocalHost, server->port());
    QVERIFY(socket.waitForConnected(30000));
    socket.write("POST /bots/chat/invoke HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kTokenAcme
                 + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
                 + "\r\n\r\n" + body);
    QTRY_VERIFY2_WITH_TIMEOUT(server->log().contains(u"client too slow (over 1048576 bytes unsent)"_s),
                              qPrintable(server->log().right(2000)), 120000);
    QCOMPARE(send("GET", server->url(u"/healthz"_s)).status, 200);
}

void TstServer::idleConnectionsAreClosed()
{
    // A connection that sends half a request and stops is closed after --idle-timeout;
    // a stream that stays quiet longer (the LLM held) is not.
    test::OpenAiStubServer llm;
    QVERIFY(llm.listen());
    test::StubReply answer = test::StubReply::text({u"Slow"_s, u" answer."_s});
    answer.holdAfter = 1;
    llm.setReply(answer);
    QSignalSpy held(&llm, &test::OpenAiStubServer::held);
    auto server = startServer({u"--idle-timeout"_s, u"0.5"_s}, llm.baseUrl());
    QVERIFY(server);

    SseClient stream(server->url(u"/bots/chat/invoke"_s), kTokenAcme, chatBody("live"));
    QVERIFY(held.wait(60000));

    QTcpSocket idle;
    QSignalSpy closed(&idle, &QTcpSocket::disconnected);
    idle.connectToHost(QHostAddress::LocalHost, server->port());
    QVERIFY(idle.waitForConnected(30000));
    idle.write("POST /bots/chat/invoke HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{");
    QVERIFY(closed.wait(60000));

    // The stream outlived the idle limit and still ends whole.
    QVERIFY(!stream.done);
    llm.release();
    QVERIFY(waitDone(stream));
    QCOMPARE(streamProblem(stream.events), QString());
    QCOMPARE(stringField(stream.finalPayload(), "status"), u"success"_s);
}

void TstServer::tokensFileIsReadAgain()
{
    writeTokens(kTokenAcme + " acme\nshort-token beta\n");
    auto server = startServer();
    QVERIFY(server);
    const QUrl bots = server->url(u"/bots"_s);
    QCOMPARE(send("GET", bots, kTokenAcme).status, 200);
    QCOMPARE(send("GET", bots, kTokenBeta).status, 401);
    // The bad line is named by file and line, without its token.
    QVERIFY2(server->log().contains(m_tokens + u":2: the token is too short"_s), qPrintable(server->log()));
    QVERIFY(!server->log().contains(u"short-token"_s));

    // Replaced atomically (a new file under the same name): beta comes in.
    writeTokens(kTokenAcme + " acme\n" + kTokenBeta + " beta\n");
    QTRY_COMPARE_WITH_TIMEOUT(send("GET", bots, kTokenBeta).status, 200, 30000);

    // Rewritten in place: acme goes away (the watch survived the replace).
    QFile file(m_tokens);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(kTokenBeta + " beta\n");
    file.close();
    QTRY_COMPARE_WITH_TIMEOUT(send("GET", bots, kTokenAcme).status, 401, 30000);
    QCOMPARE(send("GET", bots, kTokenBeta).status, 200);
    QVERIFY2(server->log().contains(u"tokens file re-read: 1 token(s)"_s), qPrintable(server->log()));
}

void TstServer::sigtermCancelsOpenStreams()
{
    test::OpenAiStubServer llm;
    QVERIFY(llm.listen());
    test::StubReply answer = test::StubReply::text({u"Cut"_s, u" short."_s});
    answer.holdAfter = 1;
    llm.setReply(answer);
    QSignalSpy held(&llm, &test::OpenAiStubServer::held);
    auto server = startServer({u"--shutdown-grace"_s, u"0"_s}, llm.baseUrl());
    QVERIFY(server);

    SseClient client(server->url(u"/bots/chat/invoke"_s), kTokenAcme, chatBody("live"));
    QVERIFY(held.wait(60000));
    QTRY_VERIFY(client.hasKind(EventKind::MessageContent));
    QCOMPARE(server->terminate(), 0);

    // The client got the end of the run, and the stream ended properly.
    QVERIFY(waitDone(client));
    QCOMPARE(client.reply->error(), QNetworkReply::NoError);
    QCOMPARE(streamProblem(client.events), QString());
    QCOMPARE(stringField(client.finalPayload(), "status"), u"cancelled"_s);
    const QString log = server->log();
    QVERIFY2(log.contains(u"shutting down: 1 open stream(s)"_s), qPrintable(log));
    QVERIFY2(log.contains(u"cancelled (server shutting down)"_s), qPrintable(log));
    QVERIFY2(log.trimmed().endsWith(u"stopped"_s), qPrintable(log));
}

void TstServer::sigtermLetsStreamsFinishWithinGrace()
{
    test::OpenAiStubServer llm;
    QVERIFY(llm.listen());
    test::StubReply answer = test::StubReply::text({u"Finished"_s, u" anyway."_s});
    answer.holdAfter = 1;
    llm.setReply(answer);
    QSignalSpy held(&llm, &test::OpenAiStubServer::held);
    auto server = startServer({u"--shutdown-grace"_s, u"120"_s}, llm.baseUrl());
    QVERIFY(server);
    const QUrl healthz = server->url(u"/healthz"_s);

    SseClient client(server->url(u"/bots/chat/invoke"_s), kTokenAcme, chatBody("live"));
    QVERIFY(held.wait(60000));
    QSignalSpy exited(&server->process(), &QProcess::finished);
    ::kill(pid_t(server->process().processId()), SIGTERM);
    QTRY_VERIFY(server->log().contains(u"shutting down"_s));
    // No new connections, while the open stream goes on.
    QCOMPARE(send("GET", healthz).status, 0);
    QVERIFY(!client.done);
    llm.release();

    QVERIFY(waitDone(client));
    QCOMPARE(streamProblem(client.events), QString());
    QCOMPARE(stringField(client.finalPayload(), "status"), u"success"_s);
    QTRY_COMPARE_WITH_TIMEOUT(exited.count(), 1, 60000);
    QCOMPARE(server->process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(server->process().exitCode(), 0);
}

void TstServer::curlStreamsARun()
{
    // The README's command, as a user types it (the token from the environment).
    const QString curl = QStandardPaths::findExecutable(u"curl"_s);
    QVERIFY2(!curl.isEmpty(), "curl is needed (scripts/install-deps.sh installs it)");
    auto server = startServer({u"--max-body"_s, u"65536"_s});
    QVERIFY(server);

    auto run = [&](const QString &command) {
        QProcess shell;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"INVOKE_AUTH_TOKEN"_s, QString::fromLatin1(kTokenAcme));
        env.insert(u"PORT"_s, QString::number(server->port()));
        shell.setProcessEnvironment(env);
        shell.setWorkingDirectory(m_home.path());
        QSignalSpy finished(&shell, &QProcess::finished);
        shell.start(u"sh"_s, {u"-c"_s, command});
        if (!finished.wait(60000))
            shell.kill();
        return QString::fromUtf8(shell.readAllStandardOutput() + shell.readAllStandardError());
    };

    const QString out = run(u"curl -sS -N -H \"Authorization: Bearer $INVOKE_AUTH_TOKEN\" -H \"Content-Type: application/json\" "
                            "-d '{\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}], \"mode\": \"manual\", "
                            "\"manual_mocks\": {\"answer\": {\"status\": \"success\", \"output\": {\"content\": \"Hi from a mock\"}}}}' "
                            "http://127.0.0.1:$PORT/bots/chat/invoke"_s);
    QList<Event> events;
    wire::EventStreamDecoder decoder;
    decoder.feed(out.toUtf8(), events);
    QCOMPARE(streamProblem(events), QString());
    QVERIFY2(out.contains(u"data: {"_s), qPrintable(out));
    QCOMPARE(toQString(wire::payloadOf(events.last().json())["output"]["content"][0]["content"].get<std::string>()),
             u"Hi from a mock"_s);

    // A chunked body over the limit is refused while it arrives.
    QFile big(m_home.filePath(u"big.json"_s));
    QVERIFY(big.open(QIODevice::WriteOnly));
    big.write(QByteArray(300 * 1024, ' ') + "{}");
    big.close();
    const QString refused = run(u"curl -sS -H \"Authorization: Bearer $INVOKE_AUTH_TOKEN\" -H \"Transfer-Encoding: chunked\" "
                                "--data-binary @big.json -w '\\n%{http_code}' http://127.0.0.1:$PORT/bots/chat/invoke"_s);
    QVERIFY2(refused.trimmed().endsWith(u"413"_s) && refused.contains(u"over 65536 bytes"_s), qPrintable(refused));
}

QTEST_GUILESS_MAIN(TstServer)
#include "tst_server.moc"
