// End to end: invoke-cli batch with the OpenAI stub on loopback. A CSV's rows run and
// come back in row order with "row"; a re-run skips the rows that succeeded and replaces
// the failed ones; a killed run's half line and missing rows are mended; Ctrl+C keeps
// what finished and records no interrupted row; a bad input exits 2 before anything
// runs; JSON Lines input with conversations.
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/model/json/json.h"

#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <signal.h>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

QList<Json> readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<Json> lines;
    for (const QByteArray &line : file.readAll().split('\n'))
        if (!line.trimmed().isEmpty())
            lines.append(parseJson(line, nullptr, kJsonMaxWireDepth));
    return lines;
}

} // namespace

class TstCliBatch : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    test::OpenAiStubServer m_llm;

    QProcessEnvironment environment() const
    {
        return test::ServerProcess::scratchEnvironment(m_home.path(), m_llm.baseUrl());
    }
    test::CliRun run(const QStringList &args)
    {
        return test::runProcess(test::cliProgram(), QStringList{u"batch"_s} + args, environment(), m_home.path());
    }
    QString file(const QString &name, const QByteArray &bytes) { return test::writeFile(m_home.filePath(name), bytes); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QVERIFY(m_llm.listen());
    }

    void csvRowsRunAndComeBackInOrder()
    {
        m_llm.setReply(test::StubReply::text({u"An "_s, u"answer"_s}, 10, 5));
        const QString input = file(u"in.csv"_s, "message,tone,length\n\"Hello, there\",warm,3\nsecond,,\"[1, 2]\"\n\"multi\nline\",dry,true\n");
        const QString output = m_home.filePath(u"out.jsonl"_s);
        const qsizetype before = m_llm.requests().size();
        const test::CliRun r = run({u"chat"_s, u"--input"_s, input, u"--output"_s, output, u"-j"_s, u"3"_s,
                                    u"--mode"_s, u"replay"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(u"3 rows: 3 succeeded, 0 failed; 45 tokens, 0 replay hits"_s), qPrintable(r.err));
        QCOMPARE(m_llm.requests().size(), before + 3);
        const QList<Json> lines = readLines(output);
        QCOMPARE(lines.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(lines[i]["row"].get<int>(), i + 1);
            QCOMPARE(stringField(lines[i], "bot_key"), u"chat"_s);
            QCOMPARE(stringField(lines[i], "result"), u"An answer"_s);
            QVERIFY(boolField(lines[i], "success"));
            QVERIFY(lines[i]["steps"].is_array());
            QVERIFY(lines[i]["invocation_id"].is_string());
        }
        // The same rows again in replay mode: all hits, no call.
        const QString output2 = m_home.filePath(u"out2.jsonl"_s);
        const test::CliRun again = run({u"chat"_s, u"--input"_s, input, u"--output"_s, output2, u"--mode"_s, u"replay"_s});
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.err.contains(u"3 replay hits"_s), qPrintable(again.err));
        QCOMPARE(m_llm.requests().size(), before + 3);
    }

    void aRerunSkipsSucceededRowsAndReplacesFailedOnes()
    {
        const QString input = file(u"rerun.jsonl"_s, "{\"message\": \"one\"}\n{\"message\": \"two\"}\n{\"messages\": [{\"role\": \"user\", \"content\": \"three\"}], \"parameters\": {\"x\": 1}}\n");
        const QString output = m_home.filePath(u"rerun-out.jsonl"_s);
        m_llm.setReply(test::StubReply::error(500, u"the model is down"_s));
        test::CliRun r = run({u"chat"_s, u"--input"_s, input, u"--output"_s, output, u"-j"_s, u"1"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"row 1: "_s) && r.err.contains(u"0 succeeded, 3 failed"_s), qPrintable(r.err));
        QList<Json> lines = readLines(output);
        QCOMPARE(lines.size(), 3);
        QVERIFY(!boolField(lines[0], "success"));
        // The failed rows are in the run history (docs/runs.md).
        const test::CliRun listed = test::runProcess(test::cliProgram(), {u"runs"_s, u"list"_s, u"--json"_s, u"--limit"_s, u"100"_s},
                                                     environment(), m_home.path());
        const Json runs = parseJson(listed.out.toUtf8());
        QVERIFY2(std::count_if(runs.begin(), runs.end(), [](const Json &r) { return stringField(r, "outcome") == u"failed"_s; }) >= 3,
                 qPrintable(listed.out));

        m_llm.setReply(test::StubReply::text({u"fine"_s}));
        const qsizetype before = m_llm.requests().size();
        r = run({u"chat"_s, u"--input"_s, input, u"--output"_s, output});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(m_llm.requests().size(), before + 3);
        lines = readLines(output);
        QCOMPARE(lines.size(), 3); // replaced, not appended
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(lines[i]["row"].get<int>(), i + 1);
            QVERIFY(boolField(lines[i], "success"));
        }

        r = run({u"chat"_s, u"--input"_s, input, u"--output"_s, output});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(u"3 succeeded in an earlier run, skipped"_s), qPrintable(r.err));
        QCOMPARE(m_llm.requests().size(), before + 3);
    }

    void aKilledRunsHalfLineAndMissingRowsAreMended()
    {
        m_llm.setReply(test::StubReply::text({u"ok"_s}));
        const QString input = file(u"mend.jsonl"_s, "{\"message\": \"a\"}\n{\"message\": \"b\"}\n{\"message\": \"c\"}\n");
        const QString output = file(u"mend-out.jsonl"_s,
                                    "{\"row\": 2, \"success\": true, \"result\": \"kept\", \"steps\": []}\n{\"row\": 3, \"succ");
        const qsizetype before = m_llm.requests().size();
        const test::CliRun r = run({u"chat"_s, u"--input"_s, input, u"--output"_s, output});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(u"1 unreadable lines"_s), qPrintable(r.err));
        QCOMPARE(m_llm.requests().size(), before + 2); // rows 1 and 3
        const QList<Json> lines = readLines(output);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(stringField(lines[1], "result"), u"kept"_s);
        QCOMPARE(stringField(lines[2], "result"), u"ok"_s);
    }

    void interruptKeepsWhatFinished()
    {
        m_llm.setReply(test::StubReply::text({u"first"_s}));
        const QString input = file(u"int.jsonl"_s, "{\"message\": \"a\"}\n{\"message\": \"b\"}\n{\"message\": \"c\"}\n");
        const QString output = m_home.filePath(u"int-out.jsonl"_s);
        file(u"int-out.jsonl"_s, "{\"row\": 1, \"success\": true, \"result\": \"done before\", \"steps\": []}\n");
        test::StubReply stall = test::StubReply::text({u"never "_s, u"ends"_s});
        stall.stallAfter = 1;
        m_llm.setReply(stall);
        const qsizetype before = m_llm.requests().size();
        QProcess process;
        process.setProcessEnvironment(environment());
        process.setWorkingDirectory(m_home.path());
        process.start(test::cliProgram(), {u"batch"_s, u"chat"_s, u"--input"_s, input, u"--output"_s, output, u"-j"_s, u"2"_s});
        QVERIFY(process.waitForStarted());
        // Both remaining rows are talking to the stalled LLM: interrupt them.
        QVERIFY(QTest::qWaitFor([&] { return m_llm.requests().size() >= before + 2; }, 60000));
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 60000));
        QCOMPARE(process.exitCode(), 1);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(err.contains(u"2 not run (interrupted"_s), qPrintable(err));
        const QList<Json> lines = readLines(output);
        QCOMPARE(lines.size(), 1);
        QCOMPARE(stringField(lines[0], "result"), u"done before"_s);
    }

    void aBadInputExits2BeforeAnythingRuns_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        QTest::newRow("ragged csv") << u"bad.csv"_s << QByteArray("message,a\nhi,1\nho,2,3\n") << u"bad.csv:3: 3 fields where the header has 2"_s;
        QTest::newRow("no message column") << u"nomsg.csv"_s << QByteArray("text,a\nhi,1\n") << u"nomsg.csv:1: the header needs one column"_s;
        QTest::newRow("duplicate column") << u"dup.csv"_s << QByteArray("message,a,a\nhi,1,2\n") << u"dup.csv:1: two columns are named \"a\""_s;
        QTest::newRow("open quote") << u"quote.csv"_s << QByteArray("message\n\"never closed\n") << u"quote.csv:2: a quoted field is not closed"_s;
        QTest::newRow("not utf-8") << u"latin.csv"_s << QByteArray("message\nok\ncaf\xe9\n") << u"latin.csv:3: the file is not UTF-8"_s;
        QTest::newRow("json lines") << u"bad.jsonl"_s << QByteArray("{\"message\": \"hi\"}\n{\"message\": 1}\n") << u"bad.jsonl:2: \"message\" must be a string"_s;
        QTest::newRow("empty conversation") << u"empty.csv"_s << QByteArray("messages,topic\n\"[]\",tea\n")
                                            << u"empty.csv:2: messages is empty"_s;
        QTest::newRow("no rows") << u"empty.jsonl"_s << QByteArray("\n\n") << u"empty.jsonl:1: no rows"_s;
    }

    void aBadInputExits2BeforeAnythingRuns()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        const QString input = file(name, bytes);
        const QString output = m_home.filePath(name + u".out"_s);
        const qsizetype before = m_llm.requests().size();
        const test::CliRun r = run({u"chat"_s, u"--input"_s, input, u"--output"_s, output});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QCOMPARE(m_llm.requests().size(), before);
        QVERIFY(!QFile::exists(output));
    }

    void anInputOnePastTheLimitIsRefused()
    {
        QFile big(m_home.filePath(u"big.csv"_s));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(512LL * 1024 * 1024 + 1)); // sparse: costs no disk
        big.close();
        const test::CliRun r = run({u"chat"_s, u"--input"_s, big.fileName(), u"--output"_s, m_home.filePath(u"big.out"_s)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"more than a batch input may hold"_s), qPrintable(r.err));
        big.remove();
    }

    void usageErrors()
    {
        QCOMPARE(run({u"chat"_s}).exitCode, 2);
        QVERIFY(run({u"chat"_s, u"--input"_s, u"nope.csv"_s, u"--output"_s, u"o.jsonl"_s}).err.contains(u"no such file"_s));
        const QString input = file(u"u.jsonl"_s, "{\"message\": \"a\"}\n");
        const test::CliRun r = run({u"chat"_s, u"--input"_s, input, u"--output"_s, input});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--output is the --input file"_s), qPrintable(r.err));
        QVERIFY(run({u"--help"_s}).out.contains(u"Usage: invoke-cli batch"_s));
    }
};

QTEST_GUILESS_MAIN(TstCliBatch)
#include "tst_cli_batch.moc"
