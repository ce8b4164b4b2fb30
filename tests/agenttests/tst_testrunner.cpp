// TestRunner on the real embedded engine (LocalBackend, a replay cache file, the OpenAI
// stub on loopback): the bundled examples pass; at most `jobs` run at once; an unknown
// bot, a timeout or a live case offline fail that case only; --offline replays without
// calling or storing; --refresh calls again; stop() ends every case.
#include "core/agenttests/testfileparser.h"
#include "core/agenttests/testrunner.h"
#include "core/backend/localbackend.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/testpaths.h"

#include <QtCore/QDir>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::agenttests;

namespace {

struct Run
{
    QMap<int, CaseResult> results;
    int finishedSignals = 0;
    int maxRunning = 0;
};

TestCase chatCase(const QString &name, Mode mode, const QString &botKey = u"chat"_s)
{
    TestCase c;
    c.name = name;
    c.request.botKey = botKey;
    c.request.messages = {Message::user(u"hello "_s + name)};
    c.request.mode = mode;
    return c;
}

Assertion textContains(const QString &text)
{
    QString why;
    return *parseAssertion(Json{{"text_contains", toStd(text)}}, &why);
}

} // namespace

class TestTestRunner : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::OpenAiStubServer m_llm;

    std::unique_ptr<LocalBackend> backend(bool lookupOnly = false)
    {
        LocalBackend::Options o;
        o.botFolders = {u":/bots"_s};
        o.replayCacheFile = m_dir.filePath(u"replay.sqlite"_s);
        o.datasetFolders = {u":/datasets"_s};
        o.datasetIndexFile = m_dir.filePath(u"dataset-index.sqlite"_s);
        o.llm.baseUrl = m_llm.baseUrl();
        o.llm.model = u"stub-model"_s;
        o.replayLookupOnly = lookupOnly;
        return std::make_unique<LocalBackend>(o);
    }

    static Run run(Backend &backend, const QList<QueuedCase> &cases, TestRunner::Options options,
                   const std::function<void(TestRunner &, const Run &)> &afterEach = {})
    {
        Run out;
        int running = 0;
        TestRunner runner(backend, options);
        QObject::connect(&runner, &TestRunner::caseStarted, &runner, [&](int) {
            out.maxRunning = std::max(out.maxRunning, ++running);
        });
        QObject::connect(&runner, &TestRunner::caseFinished, &runner, [&](int index, const CaseResult &r) {
            if (out.results.contains(index))
                qWarning("case %d finished twice", index);
            if (!r.invocationId.isEmpty() || r.status != CaseStatus::Error)
                --running;
            out.results.insert(index, r);
            if (afterEach)
                afterEach(runner, out);
        });
        QObject::connect(&runner, &TestRunner::finished, &runner, [&] { ++out.finishedSignals; });
        runner.start(cases);
        // A liveness guard for a loaded machine, not a timing check.
        if (!QTest::qWaitFor([&] { return out.finishedSignals > 0; }, 120000))
            qWarning("the run did not finish");
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_llm.listen());
    }

    void bundledExamplesPassInParallel()
    {
        QList<QueuedCase> cases;
        const QDir dir(test::sourcePath(u"resources/tests"_s));
        for (const QString &name : dir.entryList({u"*.tests.json"_s})) {
            TestFileResult loaded = loadTestFile(dir.filePath(name));
            QVERIFY2(loaded.file, qPrintable(loaded.problems.join(u'\n')));
            for (const TestCase &c : loaded.file->cases)
                cases.append({name, c});
        }
        auto engine = backend();
        const Run r = run(*engine, cases, {.jobs = 3});
        QCOMPARE(r.finishedSignals, 1);
        QCOMPARE(r.results.size(), cases.size());
        QVERIFY(r.maxRunning <= 3);
        QCOMPARE(r.maxRunning, 3);
        for (const CaseResult &c : r.results) {
            QVERIFY2(c.status == CaseStatus::Passed,
                     qPrintable(c.name + u": "_s + QString::fromUtf8(dumpJson(c.toJson()))));
            QVERIFY(!c.invocationId.isEmpty());
            QVERIFY(!c.run.steps.isEmpty());
            QVERIFY(c.run.events.isEmpty()); // nothing kept unless asked
        }
    }

    void aBadCaseFailsAloneAndTheOthersRun()
    {
        TestCase good = chatCase(u"good"_s, Mode::manual());
        good.expect = {textContains(u"Hello"_s)};
        TestCase wrong = chatCase(u"wrong"_s, Mode::manual());
        wrong.expect = {textContains(u"Goodbye"_s)};
        const TestCase unknown = chatCase(u"unknown bot"_s, Mode::manual(), u"no-such-bot"_s);
        auto engine = backend();
        const Run r = run(*engine, {{u"f"_s, good}, {u"f"_s, unknown}, {u"f"_s, wrong}}, {.jobs = 2});
        QCOMPARE(r.results.size(), 3);
        QCOMPARE(r.results[0].status, CaseStatus::Passed);
        QCOMPARE(r.results[1].status, CaseStatus::Error);
        QVERIFY2(r.results[1].failures.first().actual.get<std::string>().find("no-such-bot") != std::string::npos,
                 r.results[1].failures.first().actual.dump().c_str());
        QCOMPARE(r.results[2].status, CaseStatus::Failed);
        QCOMPARE(r.results[2].failures.size(), 1);
        QCOMPARE(r.results[2].failures.first().assertion, u"{\"text_contains\":\"Goodbye\"}"_s);
    }

    void offlineReplaysWithoutCallingOrStoring()
    {
        m_llm.setReply(test::StubReply::text({u"Recorded "_s, u"answer"_s}, 10, 2));
        TestCase replay = chatCase(u"replayed"_s, Mode::replay());
        replay.expect = {textContains(u"Recorded answer"_s)};
        const TestCase miss = chatCase(u"never recorded"_s, Mode::replay());
        const TestCase live = chatCase(u"live"_s, Mode::live());

        const qsizetype before = m_llm.requests().size();
        auto offline = backend(true);
        Run r = run(*offline, {{u"f"_s, replay}, {u"f"_s, miss}, {u"f"_s, live}}, {.jobs = 3, .offline = true});
        QCOMPARE(r.results[0].status, CaseStatus::Failed); // not recorded yet
        QCOMPARE(r.results[1].status, CaseStatus::Failed);
        QVERIFY2(QString::fromStdString(r.results[1].failures.first().actual.dump()).contains(u"no recorded answer"_s),
                 r.results[1].failures.first().actual.dump().c_str());
        QCOMPARE(r.results[2].status, CaseStatus::Error);
        QVERIFY(r.results[2].invocationId.isEmpty()); // never ran
        QCOMPARE(m_llm.requests().size(), before);

        // Recorded once, online; offline it then replays, and the LLM is not called.
        auto online = backend();
        r = run(*online, {{u"f"_s, replay}}, {});
        QCOMPARE(r.results[0].status, CaseStatus::Passed);
        QCOMPARE(m_llm.requests().size(), before + 1);
        r = run(*offline, {{u"f"_s, replay}}, {.offline = true});
        QCOMPARE(r.results[0].status, CaseStatus::Passed);
        QCOMPARE(r.results[0].run.steps.first().source, Source::ReplayHit);
        QCOMPARE(m_llm.requests().size(), before + 1);

        // --refresh goes live again and overwrites.
        r = run(*online, {{u"f"_s, replay}}, {.refresh = true});
        QCOMPARE(r.results[0].status, CaseStatus::Passed);
        QCOMPARE(r.results[0].run.steps.first().source, Source::Refreshed);
        QCOMPARE(m_llm.requests().size(), before + 2);
    }

    void aCaseThatRunsTooLongTimesOutAlone()
    {
        test::StubReply stall = test::StubReply::text({u"never "_s, u"ends"_s});
        stall.stallAfter = 1;
        m_llm.setReply(stall);
        TestCase slow = chatCase(u"slow"_s, Mode::live());
        TestCase quick = chatCase(u"quick"_s, Mode::manual());
        auto engine = backend();
        const Run r = run(*engine, {{u"f"_s, slow}, {u"f"_s, quick}}, {.jobs = 2, .timeoutSeconds = 1});
        QCOMPARE(r.results.size(), 2);
        QCOMPARE(r.results[0].status, CaseStatus::Error);
        QVERIFY2(r.results[0].failures.first().actual.get<std::string>().find("timed out after 1 s") != std::string::npos,
                 r.results[0].failures.first().actual.dump().c_str());
        QCOMPARE(r.results[1].status, CaseStatus::Passed);
    }

    void stopEndsEveryCase()
    {
        QList<QueuedCase> cases;
        for (int i = 0; i < 10; ++i)
            cases.append({u"f"_s, chatCase(u"case %1"_s.arg(i), Mode::manual())});
        auto engine = backend();
        const Run r = run(*engine, cases, {.jobs = 1}, [](TestRunner &runner, const Run &) { runner.stop(); });
        QCOMPARE(r.finishedSignals, 1);
        QCOMPARE(r.results.size(), 10);
        QCOMPARE(r.results[0].status, CaseStatus::Passed);
        int notRun = 0;
        for (const CaseResult &c : r.results)
            notRun += c.status == CaseStatus::Error;
        QVERIFY(notRun >= 8);
    }

    void eventsAreKeptOnlyWhenAsked()
    {
        auto engine = backend();
        const Run r = run(*engine, {{u"f"_s, chatCase(u"kept"_s, Mode::manual())}}, {.keepEvents = true});
        QCOMPARE(r.results[0].status, CaseStatus::Passed);
        QVERIFY(r.results[0].run.events.size() > 2);
    }
};

QTEST_GUILESS_MAIN(TestTestRunner)
#include "tst_testrunner.moc"
