// Mock set validation: a table of bad inputs, each with the exact key, field, line and
// message; step-path keys checked against their step's action type when the bot is
// known; the bundled example mock sets validate clean against their bots.
#include "core/engine/botcatalog.h"
#include "core/engine/botplanner.h"
#include "core/mocks/mockschema.h"
#include "core/mocks/mockvalidation.h"
#include "tests/support/testpaths.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::engine;
using namespace invoke::mocks;

namespace {

// "line|key|field|message", one per problem.
QStringList texts(const QList<MockProblem> &problems)
{
    QStringList list;
    for (const MockProblem &p : problems)
        list.append(u"%1|%2|%3|%4"_s.arg(p.line).arg(p.key, p.field, p.message));
    return list;
}

const QString LlmSchema = u" (llm.message output: {\"content\": string, \"finish_reason\"?: string, \"usage\"?: "
                          "{\"input_tokens\"?: integer, \"output_tokens\"?: integer}})"_s;
const QString MemorySchema = u" (memory.search output: {\"memories\": [{\"id\": string|integer, \"dataset\": string, "
                             "\"content\": string, \"score\": number, \"metadata\"?: object}]})"_s;
QString codeSchema(const QString &type)
{
    return u" (%1 output: {\"output\": string, \"exit_code\": integer, \"error\"?: string, \"files\"?: array|object})"_s
        .arg(type);
}

} // namespace

class TestMockValidation : public QObject
{
    Q_OBJECT

private:
    BotCatalog m_catalog;

private Q_SLOTS:
    void initTestCase();
    void table_data();
    void table();
    void entryLinesAreRelativeToTheEntry();
    void documentWithoutBytesHasNoLines();
    void problemLineFormat();
    void exampleMockSetsValidateClean();
    void examplesOfEachTypeFitTheirSchema();
};

void TestMockValidation::initTestCase()
{
    m_catalog.load({u":/bots"_s, test::sourcePath(u"tests/data/mocks/bots"_s)});
    QVERIFY(m_catalog.find(u"outer"_s));
}

void TestMockValidation::table_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("bot"); // empty: validated without a bot
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("parsed"); // the structure is valid (a MockSet comes back)

    QTest::newRow("clean") << QByteArray("{\n  \"answer\": {\"status\": \"success\", \"output\": {\"content\": \"hi\"}}\n}\n")
                           << QString() << QStringList() << true;
    QTest::newRow("empty file") << QByteArray("  \n") << QString()
                                << QStringList{u"0|||the file is empty (a mock set is a JSON object, e.g. {})"_s} << false;
    QTest::newRow("not JSON")
        << QByteArray("{\n  \"a\": {\"status\": \"success\",\n}") << QString()
        << QStringList{u"3|||not valid JSON: line 3, column 1: syntax error while parsing object key - unexpected '}'; "
                       "expected string literal"_s}
        << false;
    QTest::newRow("array") << QByteArray("[1, 2]") << QString()
                           << QStringList{u"1|||a mock set must be a JSON object mapping keys to mocks"_s} << false;
    QTest::newRow("entry not an object")
        << QByteArray("{\n  \"answer\": \"hello\"\n}") << QString()
        << QStringList{u"2|answer||must be an object: {\"status\": \"success\", \"output\": ...} or "
                       "{\"status\": \"error\", \"error\": \"...\"}"_s}
        << false;
    QTest::newRow("status missing") << QByteArray("{\n  \"answer\": {\n    \"output\": 1\n  }\n}") << QString()
                                    << QStringList{u"2|answer|status|is missing (\"success\" or \"error\")"_s} << false;
    QTest::newRow("status unknown")
        << QByteArray("{\"answer\": {\n  \"status\": \"ok\",\n  \"output\": 1}}") << QString()
        << QStringList{u"2|answer|status|must be \"success\" or \"error\", not \"ok\""_s} << false;
    QTest::newRow("success without output")
        << QByteArray("{\n\"answer\": {\"status\": \"success\"}}") << QString()
        << QStringList{u"2|answer|output|is missing (required when status is \"success\")"_s} << false;
    QTest::newRow("error without error")
        << QByteArray("{\n\"answer\": {\"status\": \"error\"}}") << QString()
        << QStringList{u"2|answer|error|is missing (required when status is \"error\")"_s} << false;
    QTest::newRow("error not a string")
        << QByteArray("{\"answer\": {\"status\": \"error\",\n\n \"error\": {\"code\": 1}}}") << QString()
        << QStringList{u"3|answer|error|must be a string, the error's text"_s} << false;
    QTest::newRow("unknown field")
        << QByteArray("{\"answer\": {\"status\": \"success\", \"output\": 1,\n \"note\": \"why\"}}") << QString()
        << QStringList{u"2|answer|note|is not a field of a mock (it has \"status\", \"output\" and \"error\"); it "
                       "would be dropped on save"_s}
        << true;
    QTest::newRow("error text on a success")
        << QByteArray("{\"answer\": {\"status\": \"success\", \"output\": 1,\n \"error\": \"boom\"}}") << QString()
        << QStringList{u"2|answer|error|is ignored when status is \"success\" (it would be dropped on save)"_s} << true;
    QTest::newRow("empty key") << QByteArray("{\"\": {\"status\": \"success\", \"output\": 1}}") << QString()
                               << QStringList{u"1|||an empty key names no step or action type"_s} << false;

    // Output schemas, by action-type key.
    QTest::newRow("llm.message without content")
        << QByteArray("{\n  \"llm.message\": {\n    \"status\": \"success\",\n    \"output\": {\"text\": \"hi\"}\n  }\n}")
        << QString() << QStringList{u"4|llm.message|output.content|is required (the answer's text, a string)"_s + LlmSchema}
        << true;
    QTest::newRow("llm.message content and usage types")
        << QByteArray("{\"llm.message\": {\"status\": \"success\", \"output\": {\n"
                      "  \"content\": 42,\n"
                      "  \"usage\": {\"input_tokens\": \"many\"}}}}")
        << QString()
        << QStringList{u"2|llm.message|output.content|must be a string, not an integer"_s + LlmSchema,
                       u"3|llm.message|output.usage.input_tokens|must be an integer or null, not a string"_s + LlmSchema}
        << true;
    QTest::newRow("llm.message output not an object")
        << QByteArray("{\"llm.message\": {\"status\": \"success\",\n \"output\": \"hi\"}}") << QString()
        << QStringList{u"2|llm.message|output|must be an object, not a string"_s + LlmSchema} << true;
    QTest::newRow("memory.search without memories")
        << QByteArray("{\"memory.search\": {\"status\": \"success\", \"output\": {}}}") << QString()
        << QStringList{u"1|memory.search|output.memories|is required (an array of {id, dataset, content, score, "
                       "metadata})"_s + MemorySchema}
        << true;
    QTest::newRow("memory.search item fields")
        << QByteArray("{\"memory.search\": {\"status\": \"success\", \"output\": {\"memories\": [\n"
                      "  {\"id\": 1, \"dataset\": \"notes\", \"content\": \"a\", \"score\": 0.5},\n"
                      "  {\"id\": \"2\", \"dataset\": \"notes\",\n"
                      "   \"score\": \"high\", \"metadata\": []}\n"
                      "]}}}")
        << QString()
        << QStringList{u"3|memory.search|output.memories[1].content|is required (the memory's text)"_s + MemorySchema,
                       u"4|memory.search|output.memories[1].score|must be a number, not a string"_s + MemorySchema,
                       u"4|memory.search|output.memories[1].metadata|must be an object or null, not an array"_s
                           + MemorySchema}
        << true;
    QTest::newRow("codeexec.execute fields")
        << QByteArray("{\"codeexec.execute\": {\"status\": \"success\", \"output\": {\n  \"exit_code\": 1.5}}}")
        << QString()
        << QStringList{u"1|codeexec.execute|output.output|is required (the program's standard output, a string)"_s
                           + codeSchema(u"codeexec.execute"_s),
                       u"2|codeexec.execute|output.exit_code|must be an integer, not a number"_s
                           + codeSchema(u"codeexec.execute"_s)}
        << true;
    QTest::newRow("codeexec.run alias")
        << QByteArray("{\"codeexec.run\": {\"status\": \"success\", \"output\": {\"output\": \"\", \"exit_code\": 0,\n"
                      "  \"files\": \"a.txt\"}}}")
        << QString()
        << QStringList{u"2|codeexec.run|output.files|must be an object, an array or null, not a string"_s
                           + codeSchema(u"codeexec.run"_s)}
        << true;
    QTest::newRow("error mock output is free")
        << QByteArray("{\"llm.message\": {\"status\": \"error\", \"error\": \"rate limited\", \"output\": 3}}")
        << QString() << QStringList() << true;
    QTest::newRow("action-type key of a pure action")
        << QByteArray("{\n\"utils.write\": {\"status\": \"success\", \"output\": {\"content\": \"x\"}}}") << QString()
        << QStringList{u"2|utils.write||an action-type key answers only llm.message, memory.search and codeexec.* "
                       "steps; utils.write steps are always computed, so key the mock by a step path"_s}
        << true;
    QTest::newRow("misspelt action type")
        << QByteArray("{\"llm.mesage\": {\"status\": \"success\", \"output\": {\"content\": \"x\"}}}") << QString()
        << QStringList{u"1|llm.mesage||unknown action type \"llm.mesage\" (known: "_s + knownActionTypes().join(u", "_s)
                       + u")"_s}
        << true;
    QTest::newRow("step path without a bot is not checked")
        << QByteArray("{\"research/deep/answer\": {\"status\": \"success\", \"output\": 7}}") << QString()
        << QStringList() << true;

    // With the bot: step paths, nested ones included, and their action types.
    QTest::newRow("unknown step")
        << QByteArray("{\n  \"plan\": {\"status\": \"success\", \"output\": {\"content\": \"x\"}},\n"
                      "  \"research/answer\": {\"status\": \"success\", \"output\": {\"content\": \"x\"}}\n}")
        << u"outer"_s
        << QStringList{u"3|research/answer||unknown step: \"research/answer\" is neither a step path of bot "
                       "\"outer\" nor an action type"_s}
        << true;
    QTest::newRow("nested step checked as its type")
        << QByteArray("{\n  \"research/deep/answer\": {\"status\": \"success\", \"output\": {\"content\": 7}},\n"
                      "  \"research/search\": {\"status\": \"success\", \"output\": {\"memories\": {}}},\n"
                      "  \"start\": {\"status\": \"success\", \"output\": [\"any\", \"json\"]},\n"
                      "  \"research\": {\"status\": \"success\", \"output\": \"a sub-bot answers anything\"}\n}")
        << u"outer"_s
        << QStringList{u"2|research/deep/answer|output.content|must be a string, not an integer"_s + LlmSchema,
                       u"3|research/search|output.memories|must be an array, not an object"_s + MemorySchema}
        << true;
    QTest::newRow("handler step and action type with a bot")
        << QByteArray("{\"apology\": {\"status\": \"error\", \"error\": \"x\"},\n"
                      " \"codeexec.execute\": {\"status\": \"success\", \"output\": {\"output\": \"1\", \"exit_code\": 0}}}")
        << u"outer"_s << QStringList() << true;
    QTest::newRow("repeated key")
        << QByteArray("{\n  \"answer\": {\"status\": \"error\", \"error\": \"first\"},\n"
                      "  \"x\": {\"status\": \"success\", \"output\": {\"answer\": 1, \"answer\": 2}},\n"
                      "  \"answer\": {\"status\": \"error\", \"error\": \"second\"}\n}")
        << QString()
        << QStringList{u"4|answer||is written 2 times; only this last one is kept, the earlier ones are lost"_s} << true;
    QTest::newRow("problems in line order")
        << QByteArray("{\n  \"b\": {\"status\": \"success\"},\n  \"a\": {\"status\": \"nope\"}\n}") << QString()
        << QStringList{u"2|b|output|is missing (required when status is \"success\")"_s,
                       u"3|a|status|must be \"success\" or \"error\", not \"nope\""_s}
        << false;
}

void TestMockValidation::table()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, bot);
    QFETCH(QStringList, expected);
    QFETCH(bool, parsed);

    const BotDefinition *definition = bot.isEmpty() ? nullptr : m_catalog.find(bot);
    QVERIFY(bot.isEmpty() || definition);
    const std::optional<BotPlan> plan = definition ? std::optional(botPlan(*definition, m_catalog)) : std::nullopt;
    const MockValidation v = validateMockBytes(bytes, plan ? &*plan : nullptr);
    QCOMPARE(texts(v.problems), expected);
    QCOMPARE(v.mocks.has_value(), parsed);
    QCOMPARE(v.ok(), parsed && expected.isEmpty());
    // The quick parser agrees on the structure.
    QCOMPARE(MockSet::parse(bytes).has_value(), parsed);
}

void TestMockValidation::entryLinesAreRelativeToTheEntry()
{
    const QByteArray entry = "{\n  \"status\": \"success\",\n  \"output\": {\n    \"content\": false\n  }\n}";
    const BotPlan plan = botPlan(*m_catalog.find(u"chat"_s), m_catalog);
    const auto problems = validateMockEntry(u"answer"_s, parseJson(entry), &plan, entry);
    QCOMPARE(texts(problems), QStringList{u"4|answer|output.content|must be a string, not a boolean"_s + LlmSchema});
}

void TestMockValidation::documentWithoutBytesHasNoLines()
{
    const Json document{{"llm.message", {{"status", "success"}, {"output", {{"content", 1}}}}}};
    QCOMPARE(texts(validateMockJson(document)),
             QStringList{u"0|llm.message|output.content|must be a string, not an integer"_s + LlmSchema});
}

void TestMockValidation::problemLineFormat()
{
    const MockProblem p{u"answer"_s, u"output.content"_s, u"must be a string"_s, 4};
    QCOMPARE(problemLine(u"x.json"_s, p), u"x.json:4: answer: output.content: must be a string"_s);
    QCOMPARE(problemLine({}, p), u"line 4: answer: output.content: must be a string"_s);
    QCOMPARE(problemLine(u"x.json"_s, MockProblem{{}, {}, u"empty"_s, 0}), u"x.json: empty"_s);
}

void TestMockValidation::exampleMockSetsValidateClean()
{
    const QDir dir(test::sourcePath(u"resources/mocks"_s));
    const QStringList files = dir.entryList({u"*.mocks.json"_s}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 4);
    for (const QString &name : files) {
        const QString key = name.chopped(int(qstrlen(".mocks.json")));
        const BotDefinition *bot = m_catalog.find(key);
        QVERIFY2(bot, qPrintable(u"no bundled bot for %1"_s.arg(name)));
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const BotPlan plan = botPlan(*bot, m_catalog);
        const MockValidation v = validateMockBytes(file.readAll(), &plan);
        QStringList lines;
        for (const MockProblem &p : v.problems)
            lines.append(problemLine(name, p));
        QVERIFY2(v.ok(), qPrintable(lines.join(u'\n')));
    }
}

void TestMockValidation::examplesOfEachTypeFitTheirSchema()
{
    for (const QString &type : knownActionTypes()) {
        const Json example = exampleOutput(type);
        QVERIFY2(!example.is_null(), qPrintable(type));
        QVERIFY2(checkOutput(type, example).isEmpty(), qPrintable(type));
        QCOMPARE(hasOutputSchema(type), !outputSchemaText(type).isEmpty());
    }
    QVERIFY(exampleOutput(u"no.such"_s).is_null());
}

QTEST_GUILESS_MAIN(TestMockValidation)
#include "tst_mockvalidation.moc"
