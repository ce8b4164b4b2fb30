// LocalBackend: the bundled chat example in manual mode, batches in order and one
// finished(); an unknown bot; cancel and destruction while an llm.message streams from
// the OpenAI stub server on loopback; replay with a bot file that changes; a run's own bot
// folders (invokeWithBotFolders: a run file's bots) win for that run and no other.
#include "core/backend/localbackend.h"
#include "core/backend/invocation.h"
#include "core/wire/events.h"
#include "tests/support/openaistubserver.h"

#include <QtCore/QFile>
#include <QtCore/QPointer>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThreadPool>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

// What an invocation delivered, in the order it was delivered.
struct Recorder
{
    QList<QList<Event>> batches;
    QList<Event> events; // all batches, concatenated
    QStringList order;   // "batch" per batch, "finished" for finished()
    QList<InvokeResult> results;

    void attach(Invocation *invocation)
    {
        QObject::connect(invocation, &Invocation::eventsArrived, invocation, [this](const QList<Event> &batch) {
            batches.append(batch);
            events += batch;
            order.append(u"batch"_s);
        });
        QObject::connect(invocation, &Invocation::finished, invocation, [this](const InvokeResult &result) {
            results.append(result);
            order.append(u"finished"_s);
        });
    }
    bool sawContent() const
    {
        return std::any_of(events.cbegin(), events.cend(),
                           [](const Event &e) { return e.type == QLatin1String(wire::EventType::MessageContent); });
    }
};

const char ChattyBot[] = R"({
  "bot": {"key": "chatty", "name": "Chatty"},
  "steps": [
    {"key": "hello", "action_type": "utils.echo", "parameters": {"data": "before the LLM"}},
    {"key": "answer", "action_type": "llm.message", "depends_on": ["hello"], "parameters": {"query": "{{query}}"}},
    {"key": "after", "action_type": "utils.echo", "depends_on": ["answer"], "parameters": {"data": "{{steps.answer.content}}"}}
  ]})";

} // namespace

class TestLocalBackend : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::OpenAiStubServer m_server;

    QString botsDir() const { return m_dir.filePath(u"bots"_s); }

    LocalBackend::Options options(const QString &cacheName = u"replay.sqlite"_s) const
    {
        LocalBackend::Options o;
        o.botFolders = {u":/bots"_s, botsDir()};
        o.replayCacheFile = m_dir.filePath(cacheName);
        o.datasetFolders = {u":/datasets"_s};
        o.datasetIndexFile = m_dir.filePath(u"dataset-index.sqlite"_s);
        o.llm.baseUrl = m_server.baseUrl();
        o.llm.model = u"stub-model"_s;
        return o;
    }

    static InvokeRequest chatty(Mode mode = Mode::live())
    {
        InvokeRequest r;
        r.botKey = u"chatty"_s;
        r.messages = {Message::user(u"say hello"_s)};
        r.mode = mode;
        return r;
    }

private Q_SLOTS:
    void initTestCase();
    void init();
    void chatExampleInManualMode();
    void aBurstArrivesWholeAndInOrder();
    void unknownBot();
    void cancelDuringAnLlmStep();
    void destroyingARunningInvocation();
    void destroyingTheBackendWhileRunning();
    void replayFollowsTheBotFile();
    void replayKeyCoversTheConversation();
    void replayCacheThatCannotOpen();
    void llmSettingsForLaterInvocations();
    void listings();
    void aRunsOwnBotFoldersServeThatRunOnly();
};

void TestLocalBackend::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qRegisterMetaType<InvokeResult>();
    qRegisterMetaType<QList<Event>>();
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir().mkpath(botsDir()));
    QFile file(QDir(botsDir()).filePath(u"chatty.bot.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(ChattyBot);
    file.close();
    QVERIFY(m_server.listen());
}

void TestLocalBackend::init()
{
    m_server.release(); // nothing held over from the last test
    m_server.setReply(test::StubReply::text({u"Hel"_s, u"lo"_s, u" there"_s}, 5, 3));
}

void TestLocalBackend::chatExampleInManualMode()
{
    QString error;
    const auto mocks = MockSet::load(u":/mocks/chat.mocks.json"_s, &error);
    QVERIFY2(mocks, qPrintable(error));

    LocalBackend backend(options());
    InvokeRequest request;
    request.botKey = u"chat"_s;
    request.messages = {Message::user(u"hi"_s)};
    request.mode = Mode::manual();
    request.manualMocks = *mocks;
    Invocation *invocation = backend.invoke(request, this);
    invocation->setKeepEvents(true); // asked right after invoke(): every event is kept
    Recorder recorder;
    recorder.attach(invocation); // connecting after invoke() loses nothing
    QVERIFY(!invocation->isFinished());

    QSignalSpy finished(invocation, &Invocation::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(recorder.results.size(), 1);
    QVERIFY(!recorder.batches.isEmpty());
    QCOMPARE(recorder.order.last(), u"finished"_s);
    QCOMPARE(recorder.order.count(u"finished"_s), 1);
    for (const QList<Event> &batch : std::as_const(recorder.batches))
        QVERIFY(!batch.isEmpty());

    // The batches, in order, are the whole stream: seq 0..n-1, started first, finished last;
    // the invocation asked to keep them kept them all, in that order.
    const InvokeResult &result = recorder.results.first();
    QCOMPARE(result.events, recorder.events);
    QCOMPARE(invocation->eventCount(), qint64(recorder.events.size()));
    for (qsizetype i = 0; i < recorder.events.size(); ++i)
        QCOMPARE(recorder.events[i].seq, i);
    QCOMPARE(recorder.events.first().type, u"invocation_started"_s);
    QCOMPARE(recorder.events.last().type, u"invocation_finished"_s);
    QStringList types;
    for (const Event &event : std::as_const(recorder.events))
        types.append(event.type);
    QCOMPARE(types, (QStringList{u"invocation_started"_s, u"step_started"_s, u"message_content"_s,
                                 u"step_finished"_s, u"invocation_finished"_s}));

    QVERIFY2(result.success, qPrintable(result.error));
    QCOMPARE(result.botKey, u"chat"_s);
    QCOMPARE(result.botName, u"Chat"_s);
    QVERIFY(!result.invocationId.isEmpty());
    const QString expected = toQString(mocks->value(u"answer"_s)->output["content"].get<std::string>());
    QCOMPARE(result.visibleText(), expected);
    QCOMPARE(result.steps.size(), 1);
    QCOMPARE(result.steps.first().path, u"answer"_s);
    QCOMPARE(result.steps.first().status, StepStatus::Success);
    QCOMPARE(result.steps.first().source, Source::Mock);
    QCOMPARE(invocation->result(), result);
    QCOMPARE(m_server.requestCount(), 0); // manual mode never calls the LLM
}

void TestLocalBackend::aBurstArrivesWholeAndInOrder()
{
    // 300 visible steps: 902 events, produced faster than the owner takes them.
    Json steps = Json::array();
    for (int i = 0; i < 300; ++i)
        steps.push_back({{"key", "s" + std::to_string(i)}, {"action_type", "utils.echo"},
                         {"user_output_visibility", "visible"}, {"parameters", {{"data", "chunk " + std::to_string(i)}}}});
    QTemporaryDir dir;
    QFile file(dir.filePath(u"burst.bot.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(dumpJson(Json{{"bot", {{"key", "burst"}}}, {"steps", steps}}));
    file.close();

    LocalBackend::Options o = options();
    o.botFolders = {dir.path()};
    LocalBackend backend(o);
    InvokeRequest request;
    request.botKey = u"burst"_s;
    Invocation *invocation = backend.invoke(request, this);
    Recorder recorder;
    recorder.attach(invocation);
    QSignalSpy finished(invocation, &Invocation::finished);
    QVERIFY(finished.wait(20000));
    const InvokeResult &result = recorder.results.first();
    QVERIFY2(result.success, qPrintable(result.error));
    QCOMPARE(recorder.events.size(), 2 + 300 * 3);
    // Not asked to keep its events: it kept none, but folded and counted them all.
    QVERIFY(!invocation->keepsEvents());
    QVERIFY(result.events.isEmpty());
    QCOMPARE(invocation->eventCount(), qint64(2 + 300 * 3));
    for (qsizetype i = 0; i < recorder.events.size(); ++i)
        QCOMPARE(recorder.events[i].seq, i);
    QCOMPARE(result.messages.size(), 300);
    QCOMPARE(result.messages.last().content, u"chunk 299"_s);
    QCOMPARE(recorder.order.last(), u"finished"_s);
    qInfo("%lld events in %lld batches", qint64(recorder.events.size()), qint64(recorder.batches.size()));
}

void TestLocalBackend::unknownBot()
{
    LocalBackend backend(options());
    InvokeRequest request;
    request.botKey = u"nobody"_s;
    Invocation *invocation = backend.invoke(request, this);
    Recorder recorder;
    recorder.attach(invocation);
    QVERIFY(!invocation->isFinished()); // delivered from the event loop, not inside invoke()
    QSignalSpy finished(invocation, &Invocation::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(recorder.order, QStringList{u"finished"_s});
    const InvokeResult &result = recorder.results.first();
    QVERIFY(!result.success);
    QCOMPARE(result.error, u"bot \"nobody\" not found"_s);
    QVERIFY(result.events.isEmpty());
}

void TestLocalBackend::cancelDuringAnLlmStep()
{
    test::StubReply reply = test::StubReply::text({u"Hel"_s, u"lo"_s, u" there"_s}, 5, 3);
    reply.holdAfter = 1; // one delta, then the server waits: the step is mid-stream
    m_server.setReply(reply);
    const int requestsBefore = m_server.requestCount();

    LocalBackend backend(options());
    Invocation *invocation = backend.invoke(chatty(), this);
    Recorder recorder;
    recorder.attach(invocation);
    QSignalSpy disconnected(&m_server, &test::OpenAiStubServer::clientDisconnected);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.sawContent(), 10000); // "Hel" arrived, the rest is held
    QVERIFY(!invocation->isFinished());

    invocation->cancel();
    QSignalSpy finished(invocation, &Invocation::finished);
    QVERIFY(finished.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(disconnected.size() >= 1, 10000); // the request was aborted
    QCOMPARE(m_server.requestCount(), requestsBefore + 1);

    const InvokeResult &result = recorder.results.first();
    QVERIFY(result.cancelled);
    QVERIFY(!result.success);
    QCOMPARE(result.error, u"cancelled"_s);
    QCOMPARE(result.steps.size(), 3);
    QCOMPARE(result.steps[0].status, StepStatus::Success);
    QCOMPARE(result.steps[1].path, u"answer"_s);
    QCOMPARE(result.steps[1].status, StepStatus::Cancelled);
    QCOMPARE(result.steps[2].status, StepStatus::Skipped);
    QCOMPARE(result.visibleText(), u"Hel"_s); // the partial output is kept
    QCOMPARE(stringField(result.result, "status"), u"cancelled"_s);
    QCOMPARE(recorder.order.last(), u"finished"_s);
    QCOMPARE(recorder.order.count(u"finished"_s), 1);
}

void TestLocalBackend::destroyingARunningInvocation()
{
    test::StubReply reply = test::StubReply::text({u"Hel"_s, u"lo"_s}, 5, 3);
    reply.holdAfter = 1;
    m_server.setReply(reply);

    LocalBackend backend(options());
    QPointer<Invocation> invocation = backend.invoke(chatty(), this);
    Recorder recorder;
    recorder.attach(invocation);
    QSignalSpy disconnected(&m_server, &test::OpenAiStubServer::clientDisconnected);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.sawContent(), 10000);

    delete invocation.data(); // cancels and joins the worker
    QVERIFY(invocation.isNull());
    QTRY_VERIFY_WITH_TIMEOUT(disconnected.size() >= 1, 10000);
    QVERIFY(recorder.results.isEmpty()); // nothing is delivered by a destroyed invocation
    QCoreApplication::processEvents(); // a flush posted before the delete must not arrive
    QVERIFY(recorder.results.isEmpty());
}

void TestLocalBackend::destroyingTheBackendWhileRunning()
{
    test::StubReply reply = test::StubReply::text({u"Hel"_s, u"lo"_s}, 5, 3);
    reply.holdAfter = 1;
    m_server.setReply(reply);

    auto *backend = new LocalBackend(options());
    Invocation *invocation = backend->invoke(chatty(), this);
    Recorder recorder;
    recorder.attach(invocation);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.sawContent(), 10000);

    delete backend; // cancels and joins; the invocation, owned by us, still finishes
    QSignalSpy finished(invocation, &Invocation::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(recorder.results.size(), 1);
    QVERIFY(recorder.results.first().cancelled);
    delete invocation;
}

void TestLocalBackend::replayFollowsTheBotFile()
{
    // The bot folders are read per invocation: a new modification time is a new
    // updated_at, so the replay cache misses and stores again.
    const auto runOnce = [&](LocalBackend &backend) -> InvokeResult {
        Invocation *invocation = backend.invoke(chatty(Mode::replay()), this);
        QSignalSpy finished(invocation, &Invocation::finished);
        if (!finished.wait(10000))
            return {};
        const InvokeResult result = invocation->result();
        delete invocation;
        return result;
    };
    QTemporaryDir cacheDir;
    LocalBackend::Options o = options();
    o.replayCacheFile = cacheDir.filePath(u"replay.sqlite"_s);
    LocalBackend backend(o);
    const int before = m_server.requestCount();

    const InvokeResult first = runOnce(backend);
    QVERIFY2(first.success, qPrintable(first.error));
    QCOMPARE(first.steps[1].source, Source::ReplayStored);
    QCOMPARE(first.visibleText(), u"Hello there"_s);
    QCOMPARE(m_server.requestCount(), before + 1);

    const InvokeResult second = runOnce(backend);
    QVERIFY2(second.success, qPrintable(second.error));
    QCOMPARE(second.steps[1].source, Source::ReplayHit);
    QCOMPARE(second.visibleText(), u"Hello there"_s); // a replayed answer streams too
    QCOMPARE(m_server.requestCount(), before + 1);

    QFile file(QDir(botsDir()).filePath(u"chatty.bot.json"_s));
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(60), QFileDevice::FileModificationTime));
    file.close();
    const InvokeResult third = runOnce(backend);
    QVERIFY2(third.success, qPrintable(third.error));
    QCOMPARE(third.steps[1].source, Source::ReplayStored);
    QCOMPARE(m_server.requestCount(), before + 2);
}

void TestLocalBackend::replayKeyCoversTheConversation()
{
    // "chatty" sends the conversation by default (no message_history in the file): two
    // conversations ending with the same user message must not share a cached answer.
    QTemporaryDir cacheDir;
    LocalBackend::Options o = options();
    o.replayCacheFile = cacheDir.filePath(u"replay.sqlite"_s);
    LocalBackend backend(o);
    const auto runWith = [&](const QList<Message> &messages) -> InvokeResult {
        InvokeRequest request = chatty(Mode::replay());
        request.messages = messages;
        Invocation *invocation = backend.invoke(request, this);
        QSignalSpy finished(invocation, &Invocation::finished);
        if (!finished.wait(10000))
            return {};
        const InvokeResult result = invocation->result();
        delete invocation;
        return result;
    };
    const int before = m_server.requestCount();
    const InvokeResult first = runWith({Message::user(u"say hello"_s)});
    QCOMPARE(first.steps[1].source, Source::ReplayStored);
    // The step shows what decides the answer: the conversation and the model.
    const Json &shown = first.steps[1].parameters;
    QVERIFY(shown.contains("message_history") && shown.at("message_history").size() == 1);
    QVERIFY(shown.value("model", Json()) == Json("stub-model"));

    const InvokeResult longer = runWith({Message::user(u"I am Ada"_s), Message::assistant(u"Hi Ada"_s),
                                         Message::user(u"say hello"_s)});
    QVERIFY2(longer.success, qPrintable(longer.error));
    QCOMPARE(longer.steps[1].source, Source::ReplayStored);
    QCOMPARE(m_server.requestCount(), before + 2);

    const InvokeResult again = runWith({Message::user(u"I am Ada"_s), Message::assistant(u"Hi Ada"_s),
                                        Message::user(u"say hello"_s)});
    QCOMPARE(again.steps[1].source, Source::ReplayHit);
    QCOMPARE(m_server.requestCount(), before + 2);
}

void TestLocalBackend::replayCacheThatCannotOpen()
{
    // A regular file where the cache's folder should be.
    QFile blocker(m_dir.filePath(u"not-a-folder"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    LocalBackend::Options o = options();
    o.replayCacheFile = m_dir.filePath(u"not-a-folder/replay.sqlite"_s);
    LocalBackend backend(o);
    for (int i = 0; i < 2; ++i) { // opened once; the second invocation gets the same message
        Invocation *invocation = backend.invoke(chatty(Mode::replay()), this);
        QSignalSpy finished(invocation, &Invocation::finished);
        QVERIFY(finished.wait(10000));
        const InvokeResult result = invocation->result();
        QVERIFY(!result.success);
        QVERIFY2(result.error.startsWith(u"replay mode: the replay cache "_s), qPrintable(result.error));
        QVERIFY2(result.error.contains(u"not-a-folder/replay.sqlite"_s), qPrintable(result.error));
        QVERIFY(result.events.isEmpty());
        delete invocation;
    }
    // Live mode does not need the cache.
    Invocation *live = backend.invoke(chatty(), this);
    QSignalSpy finished(live, &Invocation::finished);
    QVERIFY(finished.wait(10000));
    QVERIFY2(live->result().success, qPrintable(live->result().error));
    delete live;
}

void TestLocalBackend::llmSettingsForLaterInvocations()
{
    LocalBackend::Options o = options();
    o.llm = {};
    LocalBackend backend(o);
    const auto runOnce = [&]() -> InvokeResult {
        Invocation *invocation = backend.invoke(chatty(), this);
        QSignalSpy finished(invocation, &Invocation::finished);
        if (!finished.wait(10000))
            return {};
        const InvokeResult result = invocation->result();
        delete invocation;
        return result;
    };
    const InvokeResult unconfigured = runOnce();
    QVERIFY(!unconfigured.success);
    QVERIFY2(unconfigured.error.contains(u"not configured"_s), qPrintable(unconfigured.error));

    backend.setLlmSettings(options().llm);
    QCOMPARE(backend.llmSettings(), options().llm);
    const InvokeResult configured = runOnce();
    QVERIFY2(configured.success, qPrintable(configured.error));
    QCOMPARE(configured.visibleText(), u"Hello there"_s);
}

void TestLocalBackend::listings()
{
    LocalBackend backend(options());
    QList<BotListing> bots;
    QList<DatasetListing> datasets;
    backend.listBots(this, [&](const BotListing &listing) { bots.append(listing); });
    backend.listDatasets(this, [&](const DatasetListing &listing) { datasets.append(listing); });
    QVERIFY(datasets.isEmpty()); // asynchronous: nothing before the event loop runs
    QTRY_COMPARE_WITH_TIMEOUT(bots.size(), 1, 10000);
    QTRY_COMPARE(datasets.size(), 1);
    QVERIFY(datasets.first().error.isEmpty());
    QVERIFY(datasets.first().problems.isEmpty());
    QCOMPARE(datasets.first().datasets.size(), 1); // the bundled example, indexed on a pool thread
    QCOMPARE(datasets.first().datasets.first().slug, u"solar-system"_s);
    QCOMPARE(datasets.first().datasets.first().size, 13);
    QStringList keys;
    for (const BotInfo &bot : std::as_const(bots.first().bots))
        keys.append(bot.key);
    QVERIFY2(keys.contains(u"chat"_s) && keys.contains(u"chatty"_s), qPrintable(keys.join(u", "_s)));

    // A context destroyed before the answer: the callback never runs.
    auto *context = new QObject;
    bool called = false;
    backend.listBots(context, [&](const BotListing &) { called = true; });
    delete context;
    QVERIFY(QThreadPool::globalInstance()->waitForDone(10000)); // the listing is done...
    QCoreApplication::processEvents();                          // ...and its answer delivered
    QVERIFY(!called);
}

void TestLocalBackend::aRunsOwnBotFoldersServeThatRunOnly()
{
    // The user's "echoer" says "mine"; the run's own folder holds another "echoer" and a
    // bot the user lacks.
    QTemporaryDir userBots, runBots;
    const auto write = [](const QString &folder, const QString &key, const QString &says) {
        QFile file(QDir(folder).filePath(key + u".bot.json"_s));
        if (!file.open(QIODevice::WriteOnly))
            return false;
        file.write(QStringLiteral(R"({"bot": {"key": "%1", "name": "%1"}, "steps": [{"key": "say",
            "action_type": "utils.echo", "parameters": {"data": "%2"}, "user_output_visibility": "visible"}]})")
                       .arg(key, says).toUtf8());
        return true;
    };
    QVERIFY(write(userBots.path(), u"echoer"_s, u"mine"_s));
    QVERIFY(write(runBots.path(), u"echoer"_s, u"the file's"_s));
    QVERIFY(write(runBots.path(), u"only-in-file"_s, u"from the file"_s));
    LocalBackend::Options o = options();
    o.botFolders = {u":/bots"_s, userBots.path()};
    LocalBackend backend(o);
    QVERIFY(backend.readsLocalBotFolders());
    const auto run = [&](const QString &key, const QStringList &folders) -> InvokeResult {
        InvokeRequest request;
        request.botKey = key;
        request.messages = {Message::user(u"hi"_s)};
        Invocation *invocation = folders.isEmpty() ? backend.invoke(request, this)
                                                   : backend.invokeWithBotFolders(request, folders, this);
        QSignalSpy finished(invocation, &Invocation::finished);
        if (!finished.wait(10000))
            return {};
        const InvokeResult result = invocation->result();
        delete invocation;
        return result;
    };
    const auto said = [](const InvokeResult &result) {
        return result.steps.isEmpty() ? QString() : QString::fromUtf8(dumpJson(result.steps.first().output));
    };

    const InvokeResult withFile = run(u"echoer"_s, {runBots.path()});
    QVERIFY2(withFile.success, qPrintable(withFile.error));
    QVERIFY2(said(withFile).contains(u"the file's"_s), qPrintable(said(withFile))); // read after the user's: it wins
    const InvokeResult onlyInFile = run(u"only-in-file"_s, {runBots.path()});
    QVERIFY2(onlyInFile.success, qPrintable(onlyInFile.error));
    // Runs without the folder never see it, and the backend's own folders are unchanged.
    const InvokeResult mine = run(u"echoer"_s, {});
    QVERIFY2(mine.success, qPrintable(mine.error));
    QVERIFY2(said(mine).contains(u"mine"_s), qPrintable(said(mine)));
    const InvokeResult lacking = run(u"only-in-file"_s, {});
    QVERIFY(!lacking.success);
    QCOMPARE(lacking.error, u"bot \"only-in-file\" not found"_s);
    QCOMPARE(backend.botFolders(), o.botFolders);
}

QTEST_GUILESS_MAIN(TestLocalBackend)
#include "tst_localbackend.moc"
