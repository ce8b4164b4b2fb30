// kill -9 at any moment (issue 20): the real invoke-cli is started and SIGKILLed at a
// random point of its run, round after round, while it writes the replay cache, saves a
// mock set (invoke --save-mocks), writes a JUnit file (test --junit), a batch output
// (batch --output, appended then rewritten atomically), the run history (every invoke),
// a run file (runs export) and a dataset (datasets import --force). After each kill the files open,
// nothing saved before is lost, and no half-written file replaces a good one.
// Rounds per kind: INVOKE_KILL_ROUNDS (5 in the normal run; scripts/killtests.sh runs 50).
// The random seed is printed, and INVOKE_KILL_SEED repeats a run.
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/model/json/json.h"
#include "core/model/mockset.h"

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTemporaryDir>
#include <QtCore/QXmlStreamReader>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The replay cache's entries, or -1 when the file does not pass SQLite's integrity check.
qint64 cacheEntries(const QString &path)
{
    const QString name = u"killnine-check"_s;
    qint64 count = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery check(db);
            if (check.exec(u"PRAGMA integrity_check"_s) && check.next() && check.value(0).toString() == u"ok"_s) {
                QSqlQuery rows(db);
                if (rows.exec(u"SELECT count(*) FROM replay_entries"_s) && rows.next())
                    count = rows.value(0).toLongLong();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return count;
}

// The run history as invoke-cli lists it: the runs it holds, or -1 when it cannot list them.
qint64 historyRuns(const QProcessEnvironment &environment, const QString &workingDir)
{
    const test::CliRun r = test::runProcess(test::cliProgram(), {u"runs"_s, u"list"_s, u"--json"_s, u"--limit"_s, u"100000"_s},
                                            environment, workingDir);
    if (r.exitCode != 0)
        return -1;
    const Json runs = parseJson(r.out.toUtf8(), nullptr, kJsonMaxWireDepth);
    return runs.is_array() ? qint64(runs.size()) : -1;
}

// A whole JUnit document: XML that reads to its end, with its testsuites element.
bool wholeJUnit(const QByteArray &bytes)
{
    QXmlStreamReader xml(bytes);
    bool suites = false;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"testsuites"_s)
            suites = true;
    return suites && !xml.hasError();
}

// The rows of a batch output that succeeded; false when a line other than a last one cut
// short by the kill is not JSON.
bool succeededRows(const QByteArray &bytes, QSet<int> *rows)
{
    rows->clear();
    const QList<QByteArray> lines = bytes.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        QString error;
        const Json json = parseJson(line, &error, kJsonMaxWireDepth);
        if (!error.isEmpty()) {
            if (i == lines.size() - 1)
                continue; // the last line, without its newline: a kill mid-append
            return false;
        }
        if (boolField(json, "success"))
            rows->insert(int(intField(json, "row")));
    }
    return true;
}

} // namespace

class TstKillNine : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    test::OpenAiStubServer m_llm;
    int m_rounds = 5;
    QRandomGenerator m_random;

    QProcessEnvironment environment() const
    {
        return test::ServerProcess::scratchEnvironment(m_home.path(), m_llm.baseUrl());
    }

    // Runs invoke-cli to its end; its exit code. The time it took goes to `elapsedMs`.
    int runWhole(const QStringList &args, qint64 *elapsedMs = nullptr)
    {
        QElapsedTimer timer;
        timer.start();
        const test::CliRun r = test::runProcess(test::cliProgram(), args, environment(), m_home.path());
        if (elapsedMs)
            *elapsedMs = timer.elapsed();
        if (r.exitCode != 0)
            qWarning("invoke-cli %s: exit %d\n%s", qPrintable(args.join(u' ')), r.exitCode, qPrintable(r.err));
        return r.exitCode;
    }

    // Starts invoke-cli and SIGKILLs it after a random time in [0, m_spanMs) (the event
    // loop runs meanwhile, so the stub LLM answers). True when it was still running; a run
    // that ended first shortens the span to the time it took, so most kills land mid-run.
    bool runAndKill(const QStringList &args)
    {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.setWorkingDirectory(m_home.path());
        process.setProgram(test::cliProgram());
        process.setArguments(args);
        process.setStandardOutputFile(QProcess::nullDevice());
        process.setStandardErrorFile(QProcess::nullDevice());
        process.start();
        if (!process.waitForStarted(10000))
            return false;
        const int delay = int(m_random.bounded(quint32(qMax<qint64>(1, m_spanMs))));
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < delay && process.state() == QProcess::Running)
            QTest::qWait(1);
        const bool running = process.state() == QProcess::Running;
        process.kill(); // SIGKILL
        process.waitForFinished(10000);
        if (!running) // the machine got faster than the measured run: aim within this one's time
            m_spanMs = qMax<qint64>(1, qMin(m_spanMs, timer.elapsed()));
        return running;
    }

    // Kills invoke-cli (the arguments for each round from `args`) until m_rounds kills have
    // landed mid-run, and after each calls `check(round)`, which stops at a failure.
    template <typename Args, typename Check>
    void killRounds(qint64 wholeMs, Args args, Check check)
    {
        m_spanMs = wholeMs + wholeMs / 5 + 5;
        qInfo("an uninterrupted run took %lld ms; kills fall in the first %lld ms", wholeMs, m_spanMs);
        int landed = 0;
        int round = 1;
        for (; landed < m_rounds && round <= 4 * m_rounds; ++round) {
            if (runAndKill(args(round)))
                ++landed;
            check(round);
            if (QTest::currentTestFailed())
                return;
        }
        qInfo("%d kills mid-run in %d rounds", landed, round - 1);
        QVERIFY2(landed >= m_rounds, "too few kills landed while invoke-cli ran");
    }

    qint64 m_spanMs = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QVERIFY(m_llm.listen());
        if (const int rounds = qEnvironmentVariableIntValue("INVOKE_KILL_ROUNDS"); rounds > 0)
            m_rounds = rounds;
        bool given = false;
        const quint32 chosen = quint32(qEnvironmentVariableIntValue("INVOKE_KILL_SEED", &given));
        const quint32 seed = given ? chosen : QRandomGenerator::global()->bounded(1u << 30);
        m_random.seed(seed);
        qInfo("kill -9 rounds per kind: %d, seed %u (INVOKE_KILL_SEED=%u repeats this run)", m_rounds, seed, seed);
    }

    void replayCache()
    {
        const QString cache = m_home.filePath(u"replay.sqlite"_s);
        auto args = [&](int round) {
            return QStringList{u"invoke"_s, u"chat"_s, u"-m"_s, u"question %1"_s.arg(round), u"--mode"_s, u"replay"_s,
                               u"--cache"_s, cache};
        };
        m_llm.setReply(test::StubReply::text({u"An "_s, u"answer"_s}, 10, 5));
        qint64 whole = 0;
        QCOMPARE(runWhole(args(0), &whole), 0);
        qint64 saved = cacheEntries(cache);
        QVERIFY2(saved > 0, "the first run stored its answer");
        const qsizetype firstCalls = m_llm.requests().size();
        QCOMPARE(runWhole(args(0)), 0);
        QCOMPARE(m_llm.requests().size(), firstCalls); // replayed
        killRounds(whole, args, [&](int round) {
            const qint64 entries = cacheEntries(cache);
            QVERIFY2(entries >= 0, qPrintable(u"round %1: the cache no longer opens or fails its integrity check"_s.arg(round)));
            QVERIFY2(entries >= saved, qPrintable(u"round %1: %2 entries, %3 before"_s.arg(round).arg(entries).arg(saved)));
            saved = entries;
        });
        if (QTest::currentTestFailed())
            return;
        // The cache still works: an answer stored before the kills replays without the LLM.
        const qsizetype calls = m_llm.requests().size();
        QCOMPARE(runWhole(args(0)), 0);
        QCOMPARE(m_llm.requests().size(), calls);
    }

    void saveMocks()
    {
        const QString file = m_home.filePath(u"saved.mocks.json"_s);
        auto args = [&](int round) {
            m_llm.setReply(test::StubReply::text({u"answer "_s, QString::number(round)}, 10, 5));
            return QStringList{u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--save-mocks"_s, file};
        };
        qint64 whole = 0;
        QCOMPARE(runWhole(args(0), &whole), 0);
        QByteArray good = readAll(file);
        QVERIFY(MockSet::parse(good).has_value());
        killRounds(whole, args, [&](int round) {
            const QByteArray now = readAll(file);
            const std::optional<MockSet> set = MockSet::parse(now);
            QVERIFY2(set.has_value(), qPrintable(u"round %1: the saved mock set no longer parses"_s.arg(round)));
            QVERIFY2(now == good || now.contains(u"answer %1"_s.arg(round).toUtf8()),
                     qPrintable(u"round %1: neither the earlier set nor this round's"_s.arg(round)));
            good = now;
        });
    }

    void junit()
    {
        const QString report = m_home.filePath(u"report.xml"_s);
        const QStringList args{u"test"_s, test::sourcePath(u"resources/tests/chat.tests.json"_s), u"--junit"_s, report};
        qint64 whole = 0;
        QCOMPARE(runWhole(args, &whole), 0);
        QVERIFY(wholeJUnit(readAll(report)));
        killRounds(whole, [&](int) { return args; }, [&](int round) {
            QVERIFY2(wholeJUnit(readAll(report)), qPrintable(u"round %1: the JUnit file is not whole"_s.arg(round)));
        });
    }

    void batchOutput()
    {
        m_llm.setReply(test::StubReply::text({u"An "_s, u"answer"_s}, 10, 5));
        const QString input = m_home.filePath(u"batch.jsonl"_s);
        const QString output = m_home.filePath(u"batch.out.jsonl"_s);
        QByteArray rows;
        auto addRows = [&](int count) {
            for (int i = 0; i < count; ++i)
                rows += "{\"message\": \"row " + QByteArray::number(rows.count('\n') + 1) + "\"}\n";
            test::writeFile(input, rows);
        };
        const QStringList args{u"batch"_s, u"chat"_s, u"--input"_s, input, u"--output"_s, output, u"-j"_s, u"2"_s};
        addRows(6);
        qint64 whole = 0;
        QCOMPARE(runWhole(args, &whole), 0);
        QSet<int> saved;
        QVERIFY(succeededRows(readAll(output), &saved));
        QCOMPARE(saved.size(), 6);
        auto argsAfterMoreRows = [&](int) {
            addRows(3); // each round has rows to run, so the kill finds appends and rewrites
            return args;
        };
        killRounds(whole, argsAfterMoreRows, [&](int round) {
            QSet<int> now;
            QVERIFY2(succeededRows(readAll(output), &now), qPrintable(u"round %1: a line in the middle is not JSON"_s.arg(round)));
            QVERIFY2(now.contains(saved), qPrintable(u"round %1: a row that had succeeded is gone"_s.arg(round)));
            saved = now;
        });
        if (QTest::currentTestFailed())
            return;
        // A run to the end mends it: every row once, in order, succeeded.
        QCOMPARE(runWhole(args), 0);
        const QList<QByteArray> lines = readAll(output).trimmed().split('\n');
        QCOMPARE(lines.size(), rows.count('\n'));
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const Json line = parseJson(lines[i], nullptr, kJsonMaxWireDepth);
            QCOMPARE(intField(line, "row"), i + 1);
            QVERIFY(boolField(line, "success"));
        }
    }

    void runHistory()
    {
        // Every invoke records its run into the history (SQLite) as it streams.
        auto args = [&](int round) { return QStringList{u"invoke"_s, u"chat"_s, u"-m"_s, u"history %1"_s.arg(round)}; };
        m_llm.setReply(test::StubReply::text({u"An "_s, u"answer"_s}, 10, 5));
        qint64 whole = 0;
        QCOMPARE(runWhole(args(0), &whole), 0);
        qint64 saved = historyRuns(environment(), m_home.path());
        QVERIFY2(saved >= 1, "the first run was recorded");
        killRounds(whole, args, [&](int round) {
            const qint64 runs = historyRuns(environment(), m_home.path());
            QVERIFY2(runs >= 0, qPrintable(u"round %1: the history no longer lists its runs"_s.arg(round)));
            QVERIFY2(runs >= saved, qPrintable(u"round %1: %2 runs, %3 before"_s.arg(round).arg(runs).arg(saved)));
            saved = runs;
        });
    }

    void runFile()
    {
        const QString file = m_home.filePath(u"kept.invokerun"_s);
        m_llm.setReply(test::StubReply::text({u"An "_s, u"answer"_s}, 10, 5));
        QCOMPARE(runWhole({u"invoke"_s, u"chat"_s, u"-m"_s, u"to keep"_s}), 0);
        const test::CliRun listed = test::runProcess(test::cliProgram(), {u"runs"_s, u"list"_s, u"--json"_s, u"--limit"_s, u"1"_s},
                                                     environment(), m_home.path());
        const Json runs = parseJson(listed.out.toUtf8(), nullptr, kJsonMaxWireDepth);
        const QString id = runs.is_array() && !runs.empty() ? stringField(runs.front(), "invocation_id") : QString();
        QVERIFY2(!id.isEmpty(), qPrintable(listed.out + listed.err));
        const QStringList args{u"runs"_s, u"export"_s, id, file};
        const QStringList show{u"runs"_s, u"show"_s, file, u"--format"_s, u"json"_s};
        qint64 whole = 0;
        QCOMPARE(runWhole(args, &whole), 0);
        QCOMPARE(runWhole(show), 0);
        killRounds(whole, [&](int) { return args; }, [&](int round) {
            const test::CliRun r = test::runProcess(test::cliProgram(), show, environment(), m_home.path());
            QVERIFY2(r.exitCode == 0 && r.out.contains(id),
                     qPrintable(u"round %1: the run file no longer opens: %2"_s.arg(round).arg(r.err)));
        });
    }

    void datasetImport()
    {
        // Each round replaces the dataset with rows of its own: afterwards the dataset is
        // the earlier one or this round's, whole.
        const QString source = m_home.filePath(u"import.csv"_s);
        auto rowsFor = [](int round) {
            QByteArray csv = "question,answer\n";
            for (int i = 0; i < 2000; ++i)
                csv += "round " + QByteArray::number(round) + " question " + QByteArray::number(i) + ",an answer\n";
            return csv;
        };
        auto args = [&](int round) {
            test::writeFile(source, rowsFor(round));
            return QStringList{u"datasets"_s, u"import"_s, source, u"--slug"_s, u"killed"_s, u"--force"_s};
        };
        qint64 whole = 0;
        QCOMPARE(runWhole(args(0), &whole), 0);
        const QString dataset = m_home.filePath(u"data/Invoke Studio/invoke-studio/datasets/killed.csv"_s);
        QByteArray good = readAll(dataset);
        QCOMPARE(good, rowsFor(0));
        killRounds(whole, args, [&](int round) {
            const QByteArray now = readAll(dataset);
            QVERIFY2(now == good || now == rowsFor(round),
                     qPrintable(u"round %1: the dataset is neither the earlier one nor this round's (%2 bytes)"_s.arg(round).arg(now.size())));
            good = now;
        });
    }
};

QTEST_GUILESS_MAIN(TstKillNine)
#include "tst_killnine.moc"
