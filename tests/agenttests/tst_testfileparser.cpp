// Tests files (docs/tests.md): the issue's example shape parses into cases and
// assertions; a file with any problem is refused whole, every problem as FILE:LINE: WHAT;
// a case written back parses to the same case.
#include "core/agenttests/testfileparser.h"
#include "tests/support/testpaths.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::agenttests;

namespace {

const char kExample[] =
    "{\"tests\": [{\n"
    "  \"name\": \"billing tickets are routed\",\n"
    "  \"bot\": \"ticket-triage\",\n"
    "  \"messages\": [{\"role\": \"user\", \"content\": \"I was charged twice\"}],\n"
    "  \"parameters\": {}, \"datasets\": [],\n"
    "  \"mode\": \"manual\",\n"
    "  \"mocks\": \"../mocks/ticket-triage.mocks.json\",\n"
    "  \"expect\": [\n"
    "    {\"text_contains\": \"billing\"},\n"
    "    {\"text_matches\": \"(?i)paging the \\\\w+ on-call\"},\n"
    "    {\"json_path_equals\": {\"path\": \"steps[0].key\", \"value\": \"acknowledge\"}},\n"
    "    {\"json_path_exists\": \"invocation_id\"},\n"
    "    {\"step\": \"classify\", \"status\": \"success\", \"source\": \"mock\"},\n"
    "    {\"not\": {\"text_contains\": \"Routed to bugs\"}}\n"
    "  ]}]}\n";

TestFileResult parse(const QByteArray &bytes)
{
    return parseTestFile(bytes, u"t.tests.json"_s, test::sourcePath(u"resources/tests"_s));
}

} // namespace

class TestTestFileParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theIssuesExampleParses()
    {
        const TestFileResult r = parse(kExample);
        QVERIFY2(r.problems.isEmpty(), qPrintable(r.problems.join(u'\n')));
        QVERIFY(r.file);
        QCOMPARE(r.file->cases.size(), 1);
        const TestCase &c = r.file->cases.first();
        QCOMPARE(c.name, u"billing tickets are routed"_s);
        QCOMPARE(c.line, 1);
        QCOMPARE(c.request.botKey, u"ticket-triage"_s);
        QCOMPARE(c.request.mode, Mode::manual());
        QCOMPARE(c.request.messages.size(), 1);
        QVERIFY(c.mocksGiven);
        QCOMPARE(c.mocksFile, u"../mocks/ticket-triage.mocks.json"_s);
        QVERIFY(c.request.manualMocks.contains(u"classify"_s)); // read relative to the tests file
        QCOMPARE(c.expect.size(), 6);
        QCOMPARE(c.expect[0].kind, Assertion::TextContains);
        QCOMPARE(c.expect[1].kind, Assertion::TextMatches);
        QCOMPARE(c.expect[1].text, u"(?i)paging the \\w+ on-call"_s);
        QCOMPARE(c.expect[2].kind, Assertion::JsonPathEquals);
        QCOMPARE(c.expect[2].path, u"steps[0].key"_s);
        QVERIFY(c.expect[2].value == Json("acknowledge"));
        QCOMPARE(c.expect[3].kind, Assertion::JsonPathExists);
        QCOMPARE(c.expect[4].kind, Assertion::Step);
        QCOMPARE(c.expect[4].path, u"classify"_s);
        QCOMPARE(c.expect[4].status, StepStatus::Success);
        QCOMPARE(c.expect[4].source, Source::Mock);
        QCOMPARE(c.expect[5].kind, Assertion::Not);
        QCOMPARE(c.expect[5].inner->kind, Assertion::TextContains);
        QCOMPARE(c.expect[5].name(), u"not text_contains"_s);
    }

    void modeIsReplayWhenAbsent()
    {
        const TestFileResult r = parse(R"({"tests": [{"name": "a", "bot": "chat"}]})");
        QVERIFY(r.file);
        QCOMPARE(r.file->cases.first().request.mode, Mode::replay());
        QVERIFY(!r.file->cases.first().mocksGiven);
    }

    void textValuesTakeCaseSensitivity()
    {
        const TestFileResult r = parse(
            R"({"tests": [{"name": "a", "bot": "chat", "expect": [{"text_equals": {"value": "HI", "case_sensitive": false}}]}]})");
        QVERIFY2(r.file, qPrintable(r.problems.join(u'\n')));
        const Assertion &a = r.file->cases.first().expect.first();
        QCOMPARE(a.kind, Assertion::TextEquals);
        QCOMPARE(a.text, u"HI"_s);
        QVERIFY(!a.caseSensitive);
    }

    void inlineMocks()
    {
        const TestFileResult r = parse(
            R"({"tests": [{"name": "a", "bot": "chat", "mode": "manual", "mocks": {"answer": {"status": "success", "output": {"content": "x"}}}}]})");
        QVERIFY2(r.file, qPrintable(r.problems.join(u'\n')));
        const TestCase &c = r.file->cases.first();
        QVERIFY(c.mocksGiven);
        QVERIFY(c.mocksFile.isEmpty());
        QVERIFY(c.request.manualMocks.contains(u"answer"_s));
    }

    void badFilesAreRefusedWholeWithEveryProblemAndItsLine_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QStringList>("expected"); // "LINE: part of the message"
        QTest::newRow("not json") << QByteArray("{\"tests\": [\n  {\"name\": }\n]}")
                                  << QStringList{u"2: "_s};
        QTest::newRow("not an object") << QByteArray("[1]") << QStringList{u"1: expected an object {\"tests\""_s};
        QTest::newRow("unknown top key") << QByteArray("{\"tests\": [],\n \"extra\": 1}")
                                         << QStringList{u"2: unknown key \"extra\""_s};
        QTest::newRow("unknown case key")
            << QByteArray("{\"tests\": [\n{\"name\": \"a\", \"bot\": \"chat\",\n \"colour\": 1}]}")
            << QStringList{u"3: unknown key \"colour\""_s};
        QTest::newRow("unknown assertion and a bad regex, one good case between")
            << QByteArray("{\"tests\": [\n"
                          "{\"name\": \"a\", \"bot\": \"chat\", \"expect\": [\n"
                          "  {\"text_containz\": \"x\"},\n"
                          "  {\"text_contains\": \"fine\"}]},\n"
                          "{\"name\": \"b\", \"bot\": \"chat\", \"expect\": [\n"
                          "  {\"text_matches\": \"(\"}]}]}")
            << QStringList{u"3: \"a\": expect[0]: unknown assertion \"text_containz\""_s,
                           u"6: \"b\": expect[0]: text_matches: not a valid regular expression"_s};
        QTest::newRow("missing name and bot") << QByteArray("{\"tests\": [\n{\"mode\": \"manual\"}]}")
                                              << QStringList{u"2: every test case needs a \"name\""_s,
                                                             u"2: tests[0]: needs a \"bot\""_s};
        QTest::newRow("bad mode") << QByteArray("{\"tests\": [{\"name\": \"a\", \"bot\": \"chat\",\n\"mode\": \"fast\"}]}")
                                  << QStringList{u"2: \"a\": mode must be"_s};
        QTest::newRow("missing mocks file")
            << QByteArray("{\"tests\": [{\"name\": \"a\", \"bot\": \"chat\",\n\"mocks\": \"no-such.mocks.json\"}]}")
            << QStringList{u"2: \"a\": mocks: "_s};
        QTest::newRow("a bad inline mock") << QByteArray("{\"tests\": [{\"name\": \"a\", \"bot\": \"chat\", \"mocks\": {\n"
                                                         "\"answer\": {\"status\": \"maybe\"}}}]}")
                                           << QStringList{u"2: \"a\": mocks: "_s};
        QTest::newRow("two checks in one assertion")
            << QByteArray("{\"tests\": [{\"name\": \"a\", \"bot\": \"chat\", \"expect\": [\n{\"text_contains\": \"x\", \"text_equals\": \"y\"}]}]}")
            << QStringList{u"2: \"a\": expect[0]: an assertion names one check, this one has 2 keys"_s};
        QTest::newRow("a step that must not run has no status")
            << QByteArray("{\"tests\": [{\"name\": \"a\", \"bot\": \"chat\", \"expect\": [\n{\"step\": \"x\", \"ran\": false, \"status\": \"success\"}]}]}")
            << QStringList{u"2: \"a\": expect[0]: step: a step that must not run"_s};
        QTest::newRow("unknown step key") << QByteArray("{\"tests\": [{\"name\": \"a\", \"bot\": \"chat\", \"expect\": [\n{\"step\": \"x\", \"state\": \"ok\"}]}]}")
                                          << QStringList{u"2: \"a\": expect[0]: step: unknown key \"state\""_s};
        QTest::newRow("negative bound") << QByteArray("{\"tests\": [{\"name\": \"a\", \"bot\": \"chat\", \"expect\": [\n{\"max_tokens\": -1}]}]}")
                                        << QStringList{u"2: \"a\": expect[0]: max_tokens expects a whole number"_s};
        QTest::newRow("json_path_equals without value")
            << QByteArray("{\"tests\": [{\"name\": \"a\", \"bot\": \"chat\", \"expect\": [\n{\"json_path_equals\": {\"path\": \"result\"}}]}]}")
            << QStringList{u"2: \"a\": expect[0]: json_path_equals expects"_s};
        QTest::newRow("not of an unknown assertion")
            << QByteArray("{\"tests\": [{\"name\": \"a\", \"bot\": \"chat\", \"expect\": [\n{\"not\": {\"nope\": 1}}]}]}")
            << QStringList{u"2: \"a\": expect[0]: not: unknown assertion \"nope\""_s};
        QTest::newRow("a duplicate name") << QByteArray("{\"tests\": [\n{\"name\": \"a\", \"bot\": \"chat\"},\n{\"name\": \"a\", \"bot\": \"chat\"}]}")
                                          << QStringList{u"3: a case named \"a\" is already at line 2"_s};
    }

    void badFilesAreRefusedWholeWithEveryProblemAndItsLine()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QStringList, expected);
        const TestFileResult r = parse(bytes);
        QVERIFY(!r.file);
        QCOMPARE(r.problems.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i)
            QVERIFY2(r.problems[i].startsWith(u"t.tests.json:"_s + expected[i]),
                     qPrintable(u"got: "_s + r.problems[i] + u"\nwanted: t.tests.json:"_s + expected[i]));
    }

    void aWrittenCaseParsesToTheSameCase()
    {
        const TestFileResult first = parse(kExample);
        QVERIFY(first.file);
        const QByteArray written = dumpJson(first.file->toJson(), 2);
        const TestFileResult again = parse(written);
        QVERIFY2(again.file, qPrintable(again.problems.join(u'\n')));
        const TestCase &a = first.file->cases.first();
        const TestCase &b = again.file->cases.first();
        QCOMPARE(b.name, a.name);
        QCOMPARE(b.request, a.request);
        QCOMPARE(b.mocksFile, a.mocksFile);
        QCOMPARE(b.expect.size(), a.expect.size());
        for (qsizetype i = 0; i < a.expect.size(); ++i)
            QVERIFY(b.expect[i].spec == a.expect[i].spec);
    }

    void loadRefusesAFileThatIsTooBig()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(u"big.tests.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.resize(kMaxTestFileBytes + 1));
        file.close();
        const TestFileResult r = loadTestFile(file.fileName());
        QVERIFY(!r.file);
        QCOMPARE(r.problems.size(), 1);
        QVERIFY2(r.problems.first().contains(u"more than a tests file may hold"_s), qPrintable(r.problems.first()));
    }

    void everyBundledExampleParses()
    {
        const QDir dir(test::sourcePath(u"resources/tests"_s));
        const QStringList files = dir.entryList({u"*.tests.json"_s});
        QVERIFY(files.size() >= 6);
        for (const QString &name : files) {
            const TestFileResult r = loadTestFile(dir.filePath(name));
            QVERIFY2(r.file, qPrintable(r.problems.join(u'\n')));
            QVERIFY(!r.file->cases.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestTestFileParser)
#include "tst_testfileparser.moc"
