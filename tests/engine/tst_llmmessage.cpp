// llm.message against a real HTTP server on loopback that streams like OpenAI's. The
// action runs on a worker thread, as in the engine; the server lives in the test's thread.
#include "core/engine/actiongate.h"
#include "core/engine/actionregistry.h"
#include "core/engine/actions/llmmessage.h"
#include "core/cache/sqlite/sqlitereplaycache.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/jsontext.h"

#include <QtCore/QMutex>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::engine;
using namespace invoke::cache;
using invoke::test::OpenAiStubServer;
using invoke::test::StubReply;
using invoke::test::jsonText;

namespace {

const QString ApiKey = u"sk-test-secret-123"_s;

class TestContext : public ActionContext
{
public:
    void emitContent(const QString &chunk) override
    {
        QMutexLocker lock(&m_mutex);
        m_chunks.append(chunk);
    }
    void emitStatus(const QString &, const QString &) override {}
    const CancelToken &cancelToken() const override { return token; }
    const QList<Message> &conversation() const override { return messages; }
    QString invocationId() const override { return u"inv-1"_s; }
    QStringList datasets() const override { return {}; }

    QStringList chunks() const
    {
        QMutexLocker lock(&m_mutex);
        return m_chunks;
    }
    void clearChunks()
    {
        QMutexLocker lock(&m_mutex);
        m_chunks.clear();
    }

    CancelToken token;
    QList<Message> messages{Message::user(u"What is 2+2?"_s)};

private:
    mutable QMutex m_mutex;
    QStringList m_chunks;
};

// Runs `work` on its own thread while the test's thread keeps serving HTTP.
template<typename Result>
class Worker
{
public:
    explicit Worker(std::function<Result()> work)
        : m_thread(QThread::create([this, work] {
              m_result = work();
              m_done.storeRelease(1);
          }))
    {
        m_thread->start();
    }
    ~Worker() { m_thread->wait(); }
    bool done() const { return m_done.loadAcquire() == 1; }
    const Result &result() const { return m_result; }

private:
    Result m_result;
    QAtomicInt m_done = 0;
    std::unique_ptr<QThread> m_thread;
};

QString str(const Json &value)
{
    return value.is_string() ? toQString(value.get<std::string>()) : jsonText(value);
}

} // namespace

class TestLlmMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_server = std::make_unique<OpenAiStubServer>();
        QVERIFY(m_server->listen());
        m_settings = {};
        m_settings.baseUrl = m_server->baseUrl() + u"/"_s; // a trailing slash is fine
        m_settings.model = u"settings-model"_s;
        m_settings.apiKey = ApiKey;
        m_settings.timeoutSeconds = 30;
    }
    void cleanup() { m_server.reset(); }

    void streamsDeltasInOrderAsTheyArrive()
    {
        StubReply reply = StubReply::text({u"Hel"_s, u"lo, "_s, u"wör"_s, u"ld!"_s}, 11, 4);
        reply.holdAfter = 2;      // the rest waits until the test has seen the first two
        reply.maxChunkBytes = 7;  // SSE frames split across HTTP chunks
        m_server->setReply(reply);
        QSignalSpy held(m_server.get(), &OpenAiStubServer::held);

        TestContext context;
        LlmMessageAction action(m_settings);
        ActionCall call = llmCall(Json{{"system_prompt", "Be brief."}, {"query", "What is 2+2?"},
                                       {"max_tokens", 64}, {"temperature", 0.2}, {"response_format", "json"}});
        Worker<ActionOutcome> worker([&] { return action.run(call, context); });

        QVERIFY(held.wait());
        QTRY_COMPARE(context.chunks(), (QStringList{u"Hel"_s, u"lo, "_s}));
        QVERIFY(!worker.done());
        m_server->release();
        QTRY_VERIFY(worker.done());

        const ActionOutcome &outcome = worker.result();
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
        QCOMPARE(context.chunks(), (QStringList{u"Hel"_s, u"lo, "_s, u"wör"_s, u"ld!"_s}));
        QCOMPARE(jsonText(outcome.output),
                 jsonText(Json{{"content", "Hello, wörld!"},
                           {"usage", {{"input_tokens", 11}, {"output_tokens", 4}}},
                           {"finish_reason", "stop"}}));
        QCOMPARE(outcome.usage.inputTokens, 11);
        QCOMPARE(outcome.usage.outputTokens, 4);

        // What went out.
        QCOMPARE(m_server->requestCount(), 1);
        const test::RecordedRequest request = m_server->requests().first();
        QCOMPARE(request.method, "POST");
        QCOMPARE(request.path, "/v1/chat/completions");
        QCOMPARE(request.header("Authorization"), "Bearer " + ApiKey.toUtf8());
        QVERIFY(request.header("Content-Type").startsWith("application/json"));
        QCOMPARE(request.header("Accept"), "text/event-stream");
        const Json body = request.json();
        QCOMPARE(jsonText(body),
                 jsonText(Json{{"model", "settings-model"},
                           {"messages", Json::array({{{"role", "system"}, {"content", "Be brief."}},
                                                     {{"role", "user"}, {"content", "What is 2+2?"}}})},
                           {"max_tokens", 64},
                           {"temperature", 0.2},
                           {"response_format", {{"type", "json_object"}}},
                           {"stream", true},
                           {"stream_options", {{"include_usage", true}}}}));
    }

    void noKeyNoAuthorizationHeader()
    {
        m_server->setReply(StubReply::text({u"ok"_s}));
        m_settings.apiKey.clear();
        const ActionOutcome outcome = runInWorker(Json{{"query", "hi"}, {"model", "step-model"}});
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
        QVERIFY(!m_server->requests().first().headers.contains("authorization"));
        QCOMPARE(str(m_server->requests().first().json()["model"]), u"step-model"_s);
        // No usage chunk: the usage is unknown, not zero.
        QVERIFY(outcome.output.value("usage", Json::object()).value("input_tokens", Json(0)).is_null());
        QVERIFY(!outcome.usage.known());
    }

    void serverThatIgnoresStreamTrue()
    {
        StubReply reply = StubReply::text({u"whole "_s, u"answer"_s}, 8, 2);
        reply.ignoreStream = true;
        m_server->setReply(reply);
        TestContext context;
        const ActionOutcome outcome = runInWorker(Json{{"query", "hi"}}, &context);
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
        QCOMPARE(context.chunks(), QStringList{u"whole answer"_s});
        QCOMPARE(jsonText(outcome.output), jsonText(Json{{"content", "whole answer"},
                                                 {"usage", {{"input_tokens", 8}, {"output_tokens", 2}}},
                                                 {"finish_reason", "stop"}}));
    }

    void requestBodyFromParameters()
    {
        const QList<Message> conversation{Message::user(u"first"_s), Message::assistant(u"answer"_s),
                                          Message::user(u"second"_s)};
        QString error;
        // The conversation is the default history, and {{query}} = its last user turn is not repeated.
        auto body = LlmMessageAction::requestBody(Json{{"query", "second"}}, conversation, u"m"_s, &error);
        QVERIFY2(body, qPrintable(error));
        QCOMPARE(int((*body)["messages"].size()), 3);
        QCOMPARE(str((*body)["messages"][2]["content"]), u"second"_s);
        QCOMPARE(str((*body)["model"]), u"m"_s);
        // A different query is a new user turn.
        body = LlmMessageAction::requestBody(Json{{"query", "third"}}, conversation, u"m"_s, &error);
        QCOMPARE(int((*body)["messages"].size()), 4);
        QCOMPARE(jsonText((*body)["messages"][3]), jsonText(Json{{"role", "user"}, {"content", "third"}}));
        // An explicit history replaces the conversation.
        const Json history = Json::array({{{"role", "user"}, {"content", "only"}}});
        body = LlmMessageAction::requestBody(Json{{"message_history", history}, {"query", "only"}},
                                             conversation, u"m"_s, &error);
        QCOMPARE(jsonText((*body)["messages"]), jsonText(history));
        // An object response_format passes through; "text" and no model are fine.
        body = LlmMessageAction::requestBody(
            Json{{"query", "q"}, {"response_format", {{"type", "json_schema"}, {"json_schema", {{"name", "x"}}}}}},
            {}, {}, &error);
        QCOMPARE(str((*body)["response_format"]["type"]), u"json_schema"_s);
        QVERIFY(!body->contains("model"));

        QVERIFY(!LlmMessageAction::requestBody(Json{{"query", "q"}, {"max_tokens", "lots"}}, {}, u"m"_s, &error));
        QCOMPARE(error, u"parameter max_tokens must be a positive whole number, got \"lots\""_s);
        QVERIFY(!LlmMessageAction::requestBody(Json{{"query", "q"}, {"temperature", "warm"}}, {}, u"m"_s, &error));
        QVERIFY2(error.contains(u"temperature"_s), qPrintable(error));
        QVERIFY(!LlmMessageAction::requestBody(Json{{"query", "q"}, {"response_format", 3}}, {}, u"m"_s, &error));
        QVERIFY2(error.contains(u"response_format"_s), qPrintable(error));
        QVERIFY(!LlmMessageAction::requestBody(Json{{"message_history", Json::array({{{"role", "robot"}}})}},
                                               {}, u"m"_s, &error));
        QVERIFY2(error.startsWith(u"parameter message_history: "_s), qPrintable(error));
        QVERIFY(!LlmMessageAction::requestBody(Json{{"system_prompt", "alone"}}, {}, u"m"_s, &error));
        QVERIFY2(error.contains(u"nothing to send"_s), qPrintable(error));
    }

    void httpErrorsCarryTheProvidersMessage_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("429") << 429 << StubReply::error(429, u"Rate limit reached for requests"_s).errorBody
                             << u"answered HTTP 429 Too Many Requests: Rate limit reached for requests"_s;
        QTest::newRow("500") << 500 << StubReply::error(500, u"The server had an error"_s).errorBody
                             << u"answered HTTP 500 Internal Server Error: The server had an error"_s;
        QTest::newRow("ollama") << 404 << QByteArray("{\"error\":\"model 'llama9' not found\"}")
                                << u"answered HTTP 404 Not Found: model 'llama9' not found"_s;
        QTest::newRow("not JSON") << 503 << QByteArray("upstream   down\n")
                                  << u"answered HTTP 503 Service Unavailable: upstream down"_s;
        QTest::newRow("401") << 401 << StubReply::error(401, u"Incorrect API key provided"_s).errorBody
                             << u"Incorrect API key provided (check the API key"_s;
    }
    void httpErrorsCarryTheProvidersMessage()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        StubReply reply;
        reply.status = status;
        reply.errorBody = body;
        m_server->setReply(reply);
        TestContext context;
        const ActionOutcome outcome = runInWorker(Json{{"query", "hi"}}, &context);
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.error.contains(expected), qPrintable(outcome.error));
        QVERIFY2(outcome.error.contains(m_server->baseUrl()), qPrintable(outcome.error));
        QVERIFY(!outcome.error.contains(ApiKey));
        QVERIFY(!jsonText(outcome.output).contains(ApiKey));
        QVERIFY(context.chunks().isEmpty());
    }

    void disconnectMidStreamSaysWhere()
    {
        StubReply reply = StubReply::text({u"abc"_s, u"defg"_s, u"hij"_s}, 5, 3);
        reply.disconnectAfter = 2;
        m_server->setReply(reply);
        TestContext context;
        const ActionOutcome outcome = runInWorker(Json{{"query", "hi"}}, &context);
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.error.contains(u"cut off after 7 characters"_s), qPrintable(outcome.error));
        QCOMPARE(context.chunks(), (QStringList{u"abc"_s, u"defg"_s}));
        QCOMPARE(str(outcome.output.value("content", Json())), u"abcdefg"_s); // what did arrive is kept
    }

    void stalledStreamTimesOut()
    {
        StubReply reply = StubReply::text({u"abc"_s, u"def"_s});
        reply.stallAfter = 1;
        m_server->setReply(reply);
        m_settings.timeoutSeconds = 1;
        const ActionOutcome outcome = runInWorker(Json{{"query", "hi"}});
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.error.contains(u"stopped sending for 1 s after 3 characters"_s), qPrintable(outcome.error));
    }

    void cancelAbortsTheRequestInFlight()
    {
        StubReply reply = StubReply::text({u"first "_s, u"second"_s});
        reply.holdAfter = 1; // the server would wait forever
        m_server->setReply(reply);
        QSignalSpy gone(m_server.get(), &OpenAiStubServer::clientDisconnected);
        TestContext context;
        LlmMessageAction action(m_settings);
        const ActionCall call = llmCall(Json{{"query", "hi"}});
        Worker<ActionOutcome> worker([&] { return action.run(call, context); });
        QTRY_COMPARE(context.chunks(), QStringList{u"first "_s});

        context.token.cancel(); // from this thread, as the UI's Stop button would
        QTRY_VERIFY(worker.done()); // well before the 30 s timeout
        QVERIFY(!worker.result().ok);
        QVERIFY2(worker.result().error.startsWith(u"cancelled"_s), qPrintable(worker.result().error));
        QTRY_COMPARE(gone.size(), 1); // the connection was closed, not left hanging
    }

    void cancelledBeforeStartSendsNothing()
    {
        m_server->setReply(StubReply::text({u"never"_s}));
        TestContext context;
        context.token.cancel();
        const ActionOutcome outcome = runInWorker(Json{{"query", "hi"}}, &context);
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.error.contains(u"cancelled"_s), qPrintable(outcome.error));
        QCOMPARE(m_server->requestCount(), 0);
    }

    void connectionRefusedNamesTheUrl()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close(); // nothing listens there now
        m_settings.baseUrl = u"http://127.0.0.1:%1/v1"_s.arg(port);
        const ActionOutcome outcome = runInWorker(Json{{"query", "hi"}});
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.error.contains(u"connection refused"_s), qPrintable(outcome.error));
        QVERIFY2(outcome.error.contains(u"http://127.0.0.1:%1/v1/chat/completions"_s.arg(port)),
                 qPrintable(outcome.error));
    }

    void notConfiguredSaysHowToSetIt()
    {
        m_settings.baseUrl.clear();
        TestContext context;
        const ActionOutcome outcome = LlmMessageAction(m_settings).run(llmCall(Json{{"query", "hi"}}), context);
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.error.contains(u"INVOKE_LLM_BASE_URL"_s) && outcome.error.contains(u"settings"_s),
                 qPrintable(outcome.error));

        m_settings.baseUrl = u"localhost:11434"_s; // no scheme
        const ActionOutcome bad = LlmMessageAction(m_settings).run(llmCall(Json{{"query", "hi"}}), context);
        QVERIFY(!bad.ok);
        QVERIFY2(bad.error.contains(u"is not an http:// or https:// URL"_s), qPrintable(bad.error));
        QCOMPARE(m_server->requestCount(), 0);
    }

    void registeredAsLlmMessage()
    {
        ActionRegistry registry;
        registerLlmAction(registry, m_settings);
        QVERIFY(dynamic_cast<LlmMessageAction *>(registry.find(u"llm.message"_s)));
    }

    void replayHitMakesNoRequestAndRefreshDoes()
    {
        QTemporaryDir dir;
        SqliteReplayCache cache(dir.filePath(u"replay.sqlite"_s));
        QVERIFY(cache.open());
        LlmMessageAction action(m_settings);
        TestContext context;
        const ActionCall call = llmCall(Json{{"query", "What is 2+2?"}});
        const auto invoke = [&](Mode mode) {
            context.clearChunks();
            Worker<GateAnswer> worker([&] {
                return ActionGate({mode, {}, &cache}).run(call, [&] { return action.run(call, context); });
            });
            if (!QTest::qWaitFor([&] { return worker.done(); }, 20000))
                return GateAnswer{ActionOutcome::failure(u"timed out"_s)};
            return worker.result();
        };

        m_server->setReply(StubReply::text({u"Four"_s, u"."_s}, 9, 2));
        GateAnswer answer = invoke(Mode::replay());
        QVERIFY2(answer.outcome.ok, qPrintable(answer.outcome.error));
        QCOMPARE(answer.source, Source::ReplayStored);
        QCOMPARE(m_server->requestCount(), 1);
        QCOMPARE(context.chunks(), (QStringList{u"Four"_s, u"."_s}));

        answer = invoke(Mode::replay());
        QVERIFY2(answer.outcome.ok, qPrintable(answer.outcome.error));
        QCOMPARE(answer.source, Source::ReplayHit);
        QCOMPARE(m_server->requestCount(), 1); // no HTTP request
        QVERIFY(context.chunks().isEmpty());   // the executor streams replayed text itself
        QCOMPARE(str(answer.outcome.output["content"]), u"Four."_s);
        QCOMPARE(answer.outcome.usage.inputTokens, 9);

        m_server->setReply(StubReply::text({u"4"_s}, 9, 1));
        answer = invoke(Mode::replay(true));
        QVERIFY2(answer.outcome.ok, qPrintable(answer.outcome.error));
        QCOMPARE(answer.source, Source::Refreshed);
        QCOMPARE(m_server->requestCount(), 2);
        QCOMPARE(str(answer.outcome.output["content"]), u"4"_s);

        answer = invoke(Mode::replay());
        QCOMPARE(answer.source, Source::ReplayHit);
        QCOMPARE(str(answer.outcome.output["content"]), u"4"_s);
        QCOMPARE(m_server->requestCount(), 2);

        answer = invoke(Mode::live());
        QCOMPARE(answer.source, Source::Live);
        QCOMPARE(m_server->requestCount(), 3);
    }

private:
    static ActionCall llmCall(const Json &parameters)
    {
        ActionCall call;
        call.botKey = u"chat"_s;
        call.botUpdatedAt = u"2024-05-01T10:00:00Z"_s;
        call.stepPath = u"answer"_s;
        call.stepKey = u"answer"_s;
        call.actionType = u"llm.message"_s;
        call.parameters = parameters;
        return call;
    }

    ActionOutcome runInWorker(const Json &parameters, TestContext *given = nullptr)
    {
        TestContext local;
        TestContext &context = given ? *given : local;
        LlmMessageAction action(m_settings);
        const ActionCall call = llmCall(parameters);
        Worker<ActionOutcome> worker([&] { return action.run(call, context); });
        if (!QTest::qWaitFor([&] { return worker.done(); }, 20000))
            return ActionOutcome::failure(u"the test gave up waiting for the action"_s);
        return worker.result();
    }

    std::unique_ptr<OpenAiStubServer> m_server;
    LlmSettings m_settings;
};

QTEST_GUILESS_MAIN(TestLlmMessage)
#include "tst_llmmessage.moc"
