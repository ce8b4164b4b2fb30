// End to end: invoke-cli test as a CI job runs it. The bundled examples pass offline on
// a machine with no LLM and an empty cache, with a JUnit report; one wrong expectation
// exits 1 and names it; a bad file exits 2 before anything runs; --json, -k and the
// usage errors.
#include "tests/support/cliprocess.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtCore/QXmlStreamReader>
#include <QtTest/QTest>

#include "core/model/json/json.h"

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const char kWrong[] = R"({"tests": [
  {"name": "right", "bot": "chat", "mode": "manual", "expect": [{"text_contains": "Hello"}]},
  {"name": "wrong", "bot": "chat", "mode": "manual",
   "expect": [{"text_contains": "Goodbye"}]}
]})";

} // namespace

class TstCliTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;

    test::CliRun run(const QStringList &args)
    {
        return test::runProcess(test::cliProgram(), args, test::ServerProcess::scratchEnvironment(m_home.path()),
                                m_home.path());
    }

private Q_SLOTS:
    void bundledExamplesPassOfflineWithAJUnitReport()
    {
        const QString junit = m_home.filePath(u"out.xml"_s);
        const test::CliRun r = run({u"test"_s, test::sourcePath(u"resources/tests"_s), u"--offline"_s,
                                    u"--junit"_s, junit});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(u"0 failed, 0 errors"_s), qPrintable(r.out));
        QFile file(junit);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        int suites = 0, cases = 0, failures = 0;
        QStringList classNames;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == u"testsuite"_s) {
                ++suites;
                QVERIFY(xml.attributes().value(u"name"_s).endsWith(u".tests.json"_s));
            } else if (xml.name() == u"testcase"_s) {
                ++cases;
                classNames << xml.attributes().value(u"classname"_s).toString();
                QVERIFY(!xml.attributes().value(u"time"_s).isEmpty());
            } else if (xml.name() == u"failure"_s || xml.name() == u"error"_s) {
                ++failures;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        const int files = int(QDir(test::sourcePath(u"resources/tests"_s)).entryList({u"*.tests.json"_s}).size());
        QCOMPARE(suites, files);
        QVERIFY(cases >= files);
        QCOMPARE(failures, 0);
        QVERIFY(classNames.contains(u"ticket-triage"_s));
    }

    void oneWrongExpectationExits1AndNamesIt()
    {
        const QString file = test::writeFile(m_home.filePath(u"wrong/chat.tests.json"_s), kWrong);
        const QString junit = m_home.filePath(u"wrong.xml"_s);
        const test::CliRun r = run({u"test"_s, m_home.filePath(u"wrong"_s), u"--junit"_s, junit, u"-j"_s, u"1"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(u"PASS  "_s) && r.out.contains(u"right"_s), qPrintable(r.out));
        QVERIFY2(r.out.contains(u"FAIL  "_s) && r.out.contains(u"wrong"_s), qPrintable(r.out));
        QVERIFY2(r.out.contains(u"{\"text_contains\":\"Goodbye\"}"_s), qPrintable(r.out));
        QVERIFY2(r.out.contains(u"expected: Goodbye"_s), qPrintable(r.out));
        QVERIFY2(r.out.contains(u"actual:   Hello!"_s), qPrintable(r.out));
        QVERIFY2(r.out.contains(u"✓ answer (llm.message) mock"_s), qPrintable(r.out)); // the run's steps
        QFile report(junit);
        QVERIFY(report.open(QIODevice::ReadOnly));
        const QString xml = QString::fromUtf8(report.readAll());
        QVERIFY2(xml.contains(u"<failure message=\"{&quot;text_contains&quot;:&quot;Goodbye&quot;}\">"_s), qPrintable(xml));
        QVERIFY(xml.contains(u"classname=\"chat\""_s));
        Q_UNUSED(file);
    }

    void jsonLinesAndNameFilter()
    {
        test::writeFile(m_home.filePath(u"json/chat.tests.json"_s), kWrong);
        const test::CliRun r = run({u"test"_s, m_home.filePath(u"json"_s), u"--json"_s, u"-k"_s, u"WRONG"_s});
        QCOMPARE(r.exitCode, 1);
        const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        const Json line = parseJson(lines.first().toUtf8());
        QVERIFY(line.is_object());
        QCOMPARE(stringField(line, "name"), u"wrong"_s);
        QCOMPARE(stringField(line, "status"), u"failed"_s);
        QCOMPARE(stringField(line, "bot"), u"chat"_s);
        QVERIFY(stringField(line, "file").endsWith(u"chat.tests.json"_s));
        QVERIFY(line["duration_ms"].is_number_integer());
        QVERIFY(line["invocation_id"].is_string());
        QVERIFY(line["failures"] == (Json::array({Json{{"assertion", "{\"text_contains\":\"Goodbye\"}"},
                                                        {"expected", "Goodbye"},
                                                        {"actual", line["failures"][0]["actual"]}}})));
        QVERIFY2(r.err.contains(u"1 case in 1 file"_s), qPrintable(r.err)); // the summary leaves stdout alone
    }

    void aBadFileExits2BeforeAnythingRuns()
    {
        test::writeFile(m_home.filePath(u"bad/good.tests.json"_s), kWrong);
        test::writeFile(m_home.filePath(u"bad/bad.tests.json"_s),
                        "{\"tests\": [\n{\"name\": \"x\", \"bot\": \"chat\",\n \"expect\": [{\"text_containz\": \"a\"}]}]}");
        const test::CliRun r = run({u"test"_s, m_home.filePath(u"bad"_s)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"bad.tests.json:3: \"x\": expect[0]: unknown assertion \"text_containz\""_s), qPrintable(r.err));
        QVERIFY2(!r.out.contains(u"PASS"_s), qPrintable(r.out)); // the good file did not run either
    }

    void failedCasesGoIntoTheRunHistory()
    {
        QTemporaryDir home;
        const auto runIn = [&](const QStringList &args) {
            return test::runProcess(test::cliProgram(), args, test::ServerProcess::scratchEnvironment(home.path()),
                                    home.path());
        };
        const auto recorded = [&] {
            return parseJson(runIn({u"runs"_s, u"list"_s, u"--json"_s}).out.toUtf8());
        };
        const QString file = test::writeFile(home.filePath(u"h/chat.tests.json"_s), kWrong);
        QCOMPARE(runIn({u"test"_s, file, u"--no-history"_s}).exitCode, 1);
        QVERIFY(recorded().empty());
        QCOMPARE(runIn({u"test"_s, file}).exitCode, 1);
        Json runs = recorded();
        QCOMPARE(runs.size(), size_t(1)); // only the failed case
        QCOMPARE(stringField(runs[0], "outcome"), u"succeeded"_s); // the run succeeded; its expectation did not
        const test::CliRun shown = runIn({u"runs"_s, u"show"_s, stringField(runs[0], "invocation_id"), u"--format"_s, u"json"_s});
        QVERIFY2(shown.out.contains(u"Hello!"_s), qPrintable(shown.out));
        QCOMPARE(runIn({u"test"_s, file, u"--record"_s}).exitCode, 1);
        QCOMPARE(recorded().size(), size_t(3));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("offline refresh") << QStringList{u"--offline"_s, u"--refresh"_s} << u"contradict"_s;
        QTest::newRow("offline endpoint") << QStringList{u"--offline"_s, u"--endpoint"_s, u"http://127.0.0.1:9"_s}
                                          << u"--offline reads this machine's replay cache"_s;
        QTest::newRow("bad jobs") << QStringList{u"-j"_s, u"0"_s} << u"-j 0"_s;
        QTest::newRow("bad timeout") << QStringList{u"--timeout"_s, u"soon"_s} << u"--timeout soon"_s;
        QTest::newRow("no such path") << QStringList{u"no-such-folder"_s} << u"no-such-folder: no such file or folder"_s;
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const test::CliRun r = run(QStringList{u"test"_s} + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void help()
    {
        const test::CliRun r = run({u"help"_s, u"test"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(u"Usage: invoke-cli test"_s));
        QVERIFY(run({u"test"_s, u"--help"_s}).out.contains(u"--offline"_s));
    }
};

QTEST_GUILESS_MAIN(TstCliTest)
#include "tst_cli_test.moc"
