// RunHistory on the real engine: a run is recorded with every event it streamed, its
// bot's plan and the secrets masked; a run whose invocation goes away mid-stream stays,
// unfinished, under its id; a history that cannot be opened says why and the run still
// finishes; a plan that does not come is waited for only briefly at a command's exit; a
// run of the embedded engine keeps the bot files it ran (sub-bots included,
// secrets masked), as they were when it ran, however they change afterwards; a run with
// bots of its own (a run file's re-run) keeps those and the plan read with them.
#include "core/backend/backend.h"
#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "core/history/historystore.h"
#include "core/history/runhistory.h"
#include "tests/support/openaistubserver.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::history;

namespace {
// The user's own bot and its sub-bot; SECRET is replaced by the engine's LLM key.
const QByteArray kOwnBrewer = R"({"bot": {"key": "tea-brewer", "name": "Tea brewer", "description": "not SECRET"},
  "steps": [{"key": "draft", "action_type": "llm.message", "parameters": {"query": "{{query}}"}},
            {"key": "polish", "action_type": "bot.invoke", "depends_on": ["draft"],
             "parameters": {"bot_key": "tea-polisher", "messages": "{{steps.draft.content}}"}}]})";
const QByteArray kOwnPolisher = R"({"bot": {"key": "tea-polisher", "name": "Tea polisher"},
  "steps": [{"key": "answer", "action_type": "llm.message", "parameters": {"query": "{{query}}"}}]})";
const QByteArray kEditedBrewer = R"({"bot": {"key": "tea-brewer"}, "steps": []})";

// A server whose plan never answers (a slow or stuck one): only botPlan is asked.
class SilentPlanBackend final : public Backend
{
public:
    QString displayName() const override { return u"silent"_s; }
    void listBots(QObject *, std::function<void(const BotListing &)>) override {}
    void listDatasets(QObject *, std::function<void(const DatasetListing &)>) override {}
    void botPlan(const QString &, QObject *, std::function<void(const BotPlanResult &)>) override { ++asked; }
    Invocation *invoke(const InvokeRequest &, QObject *) override { return nullptr; }
    int asked = 0;
};
} // namespace

class TestRunHistory : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::OpenAiStubServer m_llm;

    std::unique_ptr<LocalBackend> backend()
    {
        LocalBackend::Options o;
        o.botFolders = {u":/bots"_s};
        o.replayCacheFile = m_dir.filePath(u"replay.sqlite"_s);
        o.datasetFolders = {u":/datasets"_s};
        o.datasetIndexFile = m_dir.filePath(u"index.sqlite"_s);
        o.llm.baseUrl = m_llm.baseUrl();
        o.llm.model = u"stub-model"_s;
        o.llm.apiKey = u"sk-stub-key-0123456789abcdef"_s;
        return std::make_unique<LocalBackend>(o);
    }

    static InvokeRequest chat(Mode mode, const QString &text)
    {
        InvokeRequest r;
        r.botKey = u"chat"_s;
        r.messages = {Message::user(text)};
        r.mode = mode;
        return r;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_llm.listen()); }

    void aRunIsRecordedWhole()
    {
        const QString file = m_dir.filePath(u"h1.sqlite"_s);
        auto engine = backend();
        RunHistory history({file});
        QSignalSpy recorded(&history, &RunHistory::runRecorded);
        m_llm.setReply(test::StubReply::text({u"Hello "_s, u"from "_s, u"the stub"_s}, 7, 3));
        const QString secret = u"hunter2-password"_s;
        std::unique_ptr<Invocation> invocation(engine->invoke(chat(Mode::live(), u"my password is "_s + secret)));
        QList<Event> seen;
        connect(invocation.get(), &Invocation::eventsArrived, this, [&](const QList<Event> &e) { seen += e; });
        history.record(invocation.get(), chat(Mode::live(), u"my password is "_s + secret),
                       {u"Embedded"_s, {secret}, engine.get()});
        QVERIFY(QTest::qWaitFor([&] { return invocation->isFinished(); }, 60000));
        QVERIFY(QTest::qWaitFor([&] { return recorded.size() == 1; }, 60000));
        history.flush();
        QCOMPARE(recorded.first().first().toString(), invocation->result().invocationId);

        HistoryStore store(file);
        QString why;
        QVERIFY(store.open(&why));
        const auto run = store.load(invocation->result().invocationId, &why);
        QVERIFY2(run, qPrintable(why));
        QCOMPARE(run->events.size(), seen.size());
        for (qsizetype i = 0; i < seen.size(); ++i) // as streamed, the secret masked
            QCOMPARE(run->events[i].event.raw, QByteArray(seen[i].raw).replace(secret.toUtf8(), "[redacted]"));
        QVERIFY(std::any_of(seen.cbegin(), seen.cend(), [&](const Event &e) { return e.raw.contains(secret.toUtf8()); }));
        QCOMPARE(run->summary.outcome, Outcome::Succeeded);
        QCOMPARE(run->summary.mode, u"live"_s);
        QCOMPARE(run->summary.tokens, 10);
        QCOMPARE(run->summary.resultText, u"Hello from the stub"_s);
        QVERIFY(!run->summary.botUpdatedAt.isEmpty());
        QCOMPARE(stringField(run->botPlan["bot"], "key"), u"chat"_s);
        QCOMPARE(run->request.messages.first().content, u"my password is [redacted]"_s);
        QCOMPARE(run->result().visibleText(), invocation->result().visibleText());
    }

    void aRunCutShortStaysUnfinished()
    {
        const QString file = m_dir.filePath(u"h2.sqlite"_s);
        auto engine = backend();
        test::StubReply stall = test::StubReply::text({u"half "_s, u"never"_s});
        stall.stallAfter = 1;
        m_llm.setReply(stall);
        QString id;
        {
            RunHistory history({file});
            Invocation *invocation = engine->invoke(chat(Mode::live(), u"stall"_s));
            history.record(invocation, chat(Mode::live(), u"stall"_s), {u"Embedded"_s, {}, nullptr});
            bool sawText = false;
            connect(invocation, &Invocation::eventsArrived, this, [&](const QList<Event> &events) {
                for (const Event &e : events)
                    sawText = sawText || e.type == u"message_content"_s;
            });
            QVERIFY(QTest::qWaitFor([&] { return sawText; }, 60000));
            id = invocation->fold().result().invocationId;
            delete invocation; // as if the process went away mid-stream
            history.flush();
        }
        HistoryStore store(file);
        QString why;
        QVERIFY(store.open(&why));
        const auto run = store.load(id, &why);
        QVERIFY2(run, qPrintable(why));
        QCOMPARE(run->summary.outcome, Outcome::Unfinished);
        QVERIFY(run->events.size() >= 3);
        QCOMPARE(run->result().visibleText(), u"half "_s);
    }

    void aRunKeepsTheBotFilesItRan()
    {
        const QString folder = m_dir.filePath(u"own-bots"_s);
        QVERIFY(QDir().mkpath(folder));
        const QString secret = u"sk-stub-key-0123456789abcdef"_s; // the engine's LLM key
        const QByteArray brewer = QByteArray(kOwnBrewer).replace("SECRET", secret.toUtf8());
        const QByteArray polisher = kOwnPolisher;
        const auto write = [&](const QString &name, const QByteArray &bytes, const QDateTime &at) {
            QFile f(QDir(folder).filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            QCOMPARE(f.write(bytes), bytes.size());
            QVERIFY(f.flush()); // before the time: a write at close would set it again
            QVERIFY(f.setFileTime(at, QFileDevice::FileModificationTime));
        };
        const QDateTime brewedAt = QDateTime::fromString(u"2026-05-01T10:00:00.123Z"_s, Qt::ISODateWithMs);
        const QDateTime polishedAt = QDateTime::fromString(u"2026-05-02T11:00:00.456Z"_s, Qt::ISODateWithMs);
        write(u"tea-brewer.bot.json"_s, brewer, brewedAt);
        write(u"tea-polisher.bot.json"_s, polisher, polishedAt);

        LocalBackend::Options o;
        o.botFolders = {u":/bots"_s, folder};
        o.replayCacheFile = m_dir.filePath(u"replay-own.sqlite"_s);
        o.datasetFolders = {u":/datasets"_s};
        o.datasetIndexFile = m_dir.filePath(u"index-own.sqlite"_s);
        o.llm.baseUrl = m_llm.baseUrl();
        o.llm.model = u"stub-model"_s;
        o.llm.apiKey = secret;
        LocalBackend engine(o);
        const QString file = m_dir.filePath(u"h-bots.sqlite"_s);
        m_llm.setReply(test::StubReply::text({u"Steep it."_s}, 3, 2));
        QStringList ids;
        {
            RunHistory history({file});
            for (int i = 0; i < 2; ++i) {
                InvokeRequest request;
                request.botKey = u"tea-brewer"_s;
                request.messages = {Message::user(u"how long?"_s)};
                request.mode = Mode::live();
                std::unique_ptr<Invocation> invocation(engine.invoke(request));
                history.record(invocation.get(), request, {u"Embedded"_s, {secret}, &engine});
                QVERIFY(QTest::qWaitFor([&] { return invocation->isFinished(); }, 60000));
                QVERIFY2(invocation->result().success, qPrintable(invocation->result().error));
                history.flush();
                ids << invocation->result().invocationId;
            }
        }
        // Edited and removed after the runs: the history keeps what ran.
        write(u"tea-brewer.bot.json"_s, kEditedBrewer, QDateTime::currentDateTimeUtc());
        QVERIFY(QFile::remove(QDir(folder).filePath(u"tea-polisher.bot.json"_s)));

        HistoryStore store(file);
        QString why;
        QVERIFY(store.open(&why));
        for (const QString &id : std::as_const(ids)) {
            const auto bots = store.bots(id, &why);
            QVERIFY2(bots, qPrintable(why));
            QCOMPARE(bots->size(), 2);
            QCOMPARE(bots->at(0).key, u"tea-brewer"_s);
            QCOMPARE(bots->at(0).updatedAt, brewedAt.toUTC().toString(Qt::ISODateWithMs));
            QCOMPARE(bots->at(0).fileName, u"tea-brewer.bot.json"_s);
            QCOMPARE(bots->at(0).content, QByteArray(brewer).replace(secret.toUtf8(), "[redacted]"));
            QCOMPARE(bots->at(1).key, u"tea-polisher"_s);
            QCOMPARE(bots->at(1).updatedAt, polishedAt.toUTC().toString(Qt::ISODateWithMs));
            QCOMPARE(bots->at(1).content, polisher);
        }
    }

    void aRunWithBotsOfItsOwnKeepsThemAndTheirPlan()
    {
        // A run file's re-run: its bots in a folder of the run's own (invokeWithBotFolders),
        // over an engine whose folders hold another tea-brewer and no tea-polisher. The run
        // keeps the file's bots and the plan read with them, though their folder is gone by
        // the time the history is flushed (the studio removes it when the run ends).
        const QString userBots = m_dir.filePath(u"own-bots-other"_s);
        QVERIFY(QDir().mkpath(userBots));
        {
            QFile f(QDir(userBots).filePath(u"tea-brewer.bot.json"_s));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(kEditedBrewer);
        }
        const QString brewedAt = u"2026-05-01T10:00:00.123Z"_s;
        const QList<BotSource> bots{{u"tea-brewer"_s, brewedAt, u"tea-brewer.bot.json"_s, kOwnBrewer},
                                    {u"tea-polisher"_s, u"2026-05-02T11:00:00.456Z"_s, u"tea-polisher.bot.json"_s,
                                     kOwnPolisher}};
        auto runFolder = std::make_unique<QTemporaryDir>();
        QString why;
        QVERIFY(writeBotSources(bots, runFolder->path(), &why));

        LocalBackend::Options o;
        o.botFolders = {u":/bots"_s, userBots};
        o.replayCacheFile = m_dir.filePath(u"replay-file-bots.sqlite"_s);
        o.datasetFolders = {u":/datasets"_s};
        o.datasetIndexFile = m_dir.filePath(u"index-file-bots.sqlite"_s);
        o.llm.baseUrl = m_llm.baseUrl();
        o.llm.model = u"stub-model"_s;
        o.llm.apiKey = u"sk-stub-key-0123456789abcdef"_s;
        LocalBackend engine(o);
        const QString file = m_dir.filePath(u"h-file-bots.sqlite"_s);
        m_llm.setReply(test::StubReply::text({u"Steep it."_s}, 3, 2));
        QString id;
        {
            RunHistory history({file});
            InvokeRequest request;
            request.botKey = u"tea-brewer"_s;
            request.messages = {Message::user(u"how long?"_s)};
            request.mode = Mode::live();
            std::unique_ptr<Invocation> invocation(engine.invokeWithBotFolders(request, {runFolder->path()}));
            RunHistory::RunContext context{u"Embedded"_s, {}, &engine};
            context.bots = bots;
            history.record(invocation.get(), request, context);
            QVERIFY(QTest::qWaitFor([&] { return invocation->isFinished(); }, 60000));
            QVERIFY2(invocation->result().success, qPrintable(invocation->result().error));
            runFolder.reset();
            history.flush();
            id = invocation->result().invocationId;
        }
        HistoryStore store(file);
        QVERIFY(store.open(&why));
        const auto kept = store.bots(id, &why);
        QVERIFY2(kept, qPrintable(why));
        QCOMPARE(kept->size(), 2);
        QCOMPARE(kept->at(0).key, u"tea-brewer"_s);
        QCOMPARE(kept->at(0).content, kOwnBrewer);
        QCOMPARE(kept->at(0).updatedAt, brewedAt);
        QCOMPARE(kept->at(1).key, u"tea-polisher"_s);
        QCOMPARE(kept->at(1).content, kOwnPolisher);
        const auto run = store.load(id, &why);
        QVERIFY2(run, qPrintable(why));
        QCOMPARE(run->summary.botUpdatedAt, brewedAt);
        const auto plan = BotPlan::fromJson(run->botPlan);
        QVERIFY2(plan, dumpJson(run->botPlan).constData());
        QVERIFY2(dumpJson(run->botPlan).contains("polish/answer"), dumpJson(run->botPlan).constData());
    }

    void flushWaitsForAPlanOnlyBriefly()
    {
        // A command about to exit: the plan that has not come is left out after
        // RunHistory::kFlushWaitMs, and the run is recorded without it.
        const QString file = m_dir.filePath(u"h-silent.sqlite"_s);
        auto engine = backend();
        SilentPlanBackend server;
        RunHistory history({file});
        std::unique_ptr<Invocation> invocation(engine->invoke(chat(Mode::manual(), u"hi"_s)));
        history.record(invocation.get(), chat(Mode::manual(), u"hi"_s), {u"https://far.example"_s, {}, &server});
        QVERIFY(QTest::qWaitFor([&] { return invocation->isFinished(); }, 60000));
        QCOMPARE(server.asked, 1);
        QElapsedTimer flushing;
        flushing.start();
        history.flush();
        // Generous for a loaded machine; the wait it replaces was 5 s.
        QVERIFY2(flushing.elapsed() < RunHistory::kFlushWaitMs + 3000, qPrintable(QString::number(flushing.elapsed())));
        HistoryStore store(file);
        QString why;
        QVERIFY(store.open(&why));
        const auto run = store.load(invocation->result().invocationId, &why);
        QVERIFY2(run, qPrintable(why));
        QVERIFY(run->summary.outcome != Outcome::Unfinished); // its end is recorded
        QVERIFY(run->botPlan.is_null());
    }

    void anUnusableHistoryNeverStopsARun()
    {
        const QString folder = m_dir.filePath(u"a-folder.sqlite"_s);
        QVERIFY(QDir().mkpath(folder)); // a folder where the file should be
        auto engine = backend();
        RunHistory history({folder});
        QSignalSpy unavailable(&history, &RunHistory::unavailable);
        std::unique_ptr<Invocation> invocation(engine->invoke(chat(Mode::manual(), u"hi"_s)));
        history.record(invocation.get(), chat(Mode::manual(), u"hi"_s), {u"Embedded"_s, {}, nullptr});
        QVERIFY(QTest::qWaitFor([&] { return invocation->isFinished(); }, 60000));
        history.flush();
        QVERIFY(QTest::qWaitFor([&] { return unavailable.size() == 1; }, 10000));
        QVERIFY2(history.unavailableReason().contains(folder), qPrintable(history.unavailableReason()));
        QVERIFY(!invocation->result().error.contains(u"history"_s));
    }
};

QTEST_GUILESS_MAIN(TestRunHistory)
#include "tst_runhistory.moc"
