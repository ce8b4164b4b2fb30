// End to end: invoke-cli records its runs and `runs` reads them back. runs show prints
// exactly what invoke printed, in each format; list --json has the issue's shape; a run
// exported from one home imports into another and shows the same; diff --json; rm;
// --no-history records nothing; unknown ids and bad files fail with what is wrong.
#include "tests/support/cliprocess.h"
#include "tests/support/serverprocess.h"

#include "core/model/json/json.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

class TstCliRuns : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_homeA;
    QTemporaryDir m_homeB;

    test::CliRun run(const QTemporaryDir &home, const QStringList &args)
    {
        return test::runProcess(test::cliProgram(), args, test::ServerProcess::scratchEnvironment(home.path()),
                                home.path());
    }
    Json list(const QTemporaryDir &home)
    {
        const test::CliRun r = run(home, {u"runs"_s, u"list"_s, u"--json"_s});
        return parseJson(r.out.toUtf8());
    }

private Q_SLOTS:
    void showPrintsWhatInvokePrinted_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("text") << u"text"_s;
        QTest::newRow("json") << u"json"_s;
        QTest::newRow("events") << u"events"_s;
    }

    void showPrintsWhatInvokePrinted()
    {
        QFETCH(QString, format);
        const test::CliRun invoked = run(m_homeA, {u"invoke"_s, u"research-assistant"_s, u"-m"_s, u"tea"_s, u"--mode"_s,
                                                   u"manual"_s, u"--format"_s, format, u"-v"_s});
        QCOMPARE(invoked.exitCode, 0);
        const Json runs = list(m_homeA);
        QVERIFY(runs.is_array() && !runs.empty());
        const QString id = stringField(runs[0], "invocation_id");
        const test::CliRun shown = run(m_homeA, {u"runs"_s, u"show"_s, id.left(8), u"--format"_s, format, u"-v"_s});
        QCOMPARE(shown.exitCode, 0);
        QCOMPARE(shown.out, invoked.out);
    }

    void listHasTheIssuesShape()
    {
        const Json runs = list(m_homeA);
        QVERIFY(runs.size() >= 3);
        const Json &first = runs[0];
        QCOMPARE(first.size(), size_t(8));
        for (const char *key : {"invocation_id", "bot_key", "started_at", "mode", "profile", "outcome", "duration_ms", "tokens"})
            QVERIFY2(first.contains(key), key);
        QCOMPARE(stringField(first, "bot_key"), u"research-assistant"_s);
        QCOMPARE(stringField(first, "mode"), u"manual"_s);
        QCOMPARE(stringField(first, "profile"), u"Embedded"_s);
        QCOMPARE(stringField(first, "outcome"), u"succeeded"_s);
        QVERIFY(first["tokens"].get<qint64>() > 0);
        // Newest first.
        QVERIFY(stringField(runs[0], "started_at") >= stringField(runs[1], "started_at"));
        const Json limited = parseJson(run(m_homeA, {u"runs"_s, u"list"_s, u"--json"_s, u"--limit"_s, u"1"_s}).out.toUtf8());
        QCOMPARE(limited.size(), size_t(1));
        const Json none = parseJson(run(m_homeA, {u"runs"_s, u"list"_s, u"--json"_s, u"--bot"_s, u"chat"_s}).out.toUtf8());
        QVERIFY(none.is_array() && none.empty());
    }

    void exportedOnOneMachineOpensOnAnother()
    {
        const QString id = stringField(list(m_homeA)[0], "invocation_id");
        const QString file = m_homeA.filePath(u"shared.invokerun"_s);
        QCOMPARE(run(m_homeA, {u"runs"_s, u"export"_s, id, file}).exitCode, 0);
        const test::CliRun fromFile = run(m_homeB, {u"runs"_s, u"show"_s, file, u"--format"_s, u"json"_s});
        QCOMPARE(fromFile.exitCode, 0);
        const test::CliRun imported = run(m_homeB, {u"runs"_s, u"import"_s, file});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        const test::CliRun shownB = run(m_homeB, {u"runs"_s, u"show"_s, id, u"--format"_s, u"json"_s});
        const test::CliRun shownA = run(m_homeA, {u"runs"_s, u"show"_s, id, u"--format"_s, u"json"_s});
        QCOMPARE(shownB.out, shownA.out);
        QCOMPARE(fromFile.out, shownA.out);
        const test::CliRun twice = run(m_homeB, {u"runs"_s, u"import"_s, file});
        QCOMPARE(twice.exitCode, 1);
        QVERIFY2(twice.err.contains(u"already in the history"_s), qPrintable(twice.err));
    }

    void diffJson()
    {
        QCOMPARE(run(m_homeA, {u"invoke"_s, u"chat"_s, u"-m"_s, u"one"_s, u"--mode"_s, u"manual"_s}).exitCode, 0);
        QCOMPARE(run(m_homeA, {u"invoke"_s, u"summariser"_s, u"-m"_s, u"two"_s, u"--mode"_s, u"manual"_s}).exitCode, 0);
        const Json runs = list(m_homeA);
        const QString b = stringField(runs[0], "invocation_id"), a = stringField(runs[1], "invocation_id");
        const test::CliRun r = run(m_homeA, {u"runs"_s, u"diff"_s, a, b, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const Json diff = parseJson(r.out.toUtf8());
        QCOMPARE(stringField(diff, "a"), a);
        QCOMPARE(stringField(diff, "b"), b);
        QCOMPARE(stringField(diff, "first_divergence"), u"answer"_s);
        QCOMPARE(diff["steps"].size(), size_t(1));
        QCOMPARE(stringField(diff["steps"][0], "path"), u"answer"_s);
        QVERIFY(!boolField(diff["steps"][0], "same", true));
        for (const char *key : {"status", "source", "duration_ms", "tokens", "output"})
            QVERIFY2(diff["steps"][0]["a"].contains(key), key);
        QVERIFY(diff["result"]["a"].is_string() && diff["result"]["b"].is_string());
        const test::CliRun text = run(m_homeA, {u"runs"_s, u"diff"_s, a, b});
        QVERIFY2(text.out.contains(u"First divergence: answer"_s), qPrintable(text.out));
    }

    void rmAndNoHistory()
    {
        const qsizetype before = list(m_homeA).size();
        QCOMPARE(run(m_homeA, {u"invoke"_s, u"chat"_s, u"-m"_s, u"x"_s, u"--mode"_s, u"manual"_s, u"--no-history"_s}).exitCode, 0);
        QCOMPARE(qsizetype(list(m_homeA).size()), before);
        const QString id = stringField(list(m_homeA)[0], "invocation_id");
        QCOMPARE(run(m_homeA, {u"runs"_s, u"rm"_s, id.left(10)}).exitCode, 0);
        QCOMPARE(qsizetype(list(m_homeA).size()), before - 1);
    }

    void showFiltersEvents()
    {
        const QString id = stringField(list(m_homeA)[0], "invocation_id");
        const test::CliRun all = run(m_homeA, {u"runs"_s, u"show"_s, id, u"--format"_s, u"events"_s});
        const test::CliRun steps = run(m_homeA, {u"runs"_s, u"show"_s, id, u"--format"_s, u"events"_s, u"--filter"_s,
                                                 u"type == \"step_finished\""_s});
        QCOMPARE(steps.exitCode, 0);
        const Json a = parseJson(all.out.toUtf8(), nullptr, kJsonMaxWireDepth);
        const Json s = parseJson(steps.out.toUtf8(), nullptr, kJsonMaxWireDepth);
        QVERIFY(s["events"].size() > 0 && s["events"].size() < a["events"].size());
        for (const Json &e : s["events"])
            QCOMPARE(stringField(e, "type"), u"step_finished"_s);
        const test::CliRun bad = run(m_homeA, {u"runs"_s, u"show"_s, id, u"--format"_s, u"events"_s, u"--filter"_s, u"type =="_s});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(u'^'), qPrintable(bad.err));
    }

    void errors()
    {
        test::CliRun r = run(m_homeA, {u"runs"_s, u"show"_s, u"ffffffff"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"no run ffffffff in the history"_s), qPrintable(r.err));
        const QString bad = test::writeFile(m_homeA.filePath(u"bad.invokerun"_s), "not a run");
        r = run(m_homeA, {u"runs"_s, u"show"_s, bad});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"bad.invokerun: not a run file"_s), qPrintable(r.err));
        r = run(m_homeA, {u"runs"_s, u"frobnicate"_s});
        QCOMPARE(r.exitCode, 2);
        r = run(m_homeA, {u"runs"_s, u"show"_s});
        QCOMPARE(r.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TstCliRuns)
#include "tst_cli_runs.moc"
