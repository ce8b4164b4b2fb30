// Large files keep their lines and orders right: JsonIndex answers what lineOfJson and
// locateJson answer, every step of a bot of thousands of steps gets the line it starts
// on, problems far into such a file name their line, step ordering keeps its file-order
// rule at size, and a mock set's problems carry the line of their key. (How fast these
// are is measured by tests/bench/bench_scaling, never asserted here.)
#include "core/engine/actiongate.h"
#include "core/engine/actionregistry.h"
#include "core/engine/botcatalog.h"
#include "core/engine/botdefinition.h"
#include "core/engine/executor.h"
#include "core/engine/steporder.h"
#include "core/wire/events.h"
#include "core/model/json/jsonlocator.h"
#include "core/model/mockset.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::engine;

namespace {

const QDateTime kMtime = QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9), Qt::UTC);

// A bot of `count` steps, each depending on the one before, laid out over a varying
// number of lines; `lines` gets the line each step's object starts on.
QByteArray chainBot(int count, QList<int> *lines, const QByteArray &extraLastStep = {})
{
    QByteArray text = "{\"bot\": {\"key\": \"big\"},\n \"steps\": [\n";
    int line = 3;
    for (int i = 0; i < count; ++i) {
        if (i > 0)
            text += ",\n", ++line;
        lines->append(line);
        text += "  {\"key\": \"s" + QByteArray::number(i) + "\",";
        for (int blank = 0; blank < i % 3; ++blank)
            text += "\n", ++line;
        text += " \"action_type\": \"utils.echo\", \"parameters\": {\"data\": \"x,]}\\\"\"}";
        if (i > 0)
            text += ", \"depends_on\": [\"s" + QByteArray::number(i - 1) + "\"]";
        if (i == count - 1)
            text += extraLastStep;
        text += "}";
    }
    return text + "\n]}\n";
}

JsonPath path(std::initializer_list<std::variant<std::string, size_t>> items) { return JsonPath(items); }

} // namespace

class TestLargeBots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void indexAnswersAsTheLocator();
    void everyStepOfALargeBotHasItsLine();
    void problemsFarIntoALargeBotNameTheirLine();
    void aLongCycleIsFoundWithoutDeepRecursion();
    void orderKeepsFileOrderAtSize();
    void mockProblemsCarryTheLineOfTheirKey();
    void aLargeRunWithHandlersRunsInOrder();
};

void TestLargeBots::indexAnswersAsTheLocator()
{
    // Escaped keys, strings holding brackets and commas, duplicate keys (the last wins),
    // nested arrays, a BOM and leading blank lines.
    const QByteArray text = "\xEF\xBB\xBF\n\n{\"a\\u0062\": [1, \"x,]}\", {\"c\": [\n[],\n{\"d\": null}]}],\n"
                            " \"e\": 1, \"e\": {\"f\": \"\\\"\"}, \"g\": []}";
    const QList<JsonPath> paths{
        path({}),
        path({"ab"}),
        path({"ab", size_t(2), "c", size_t(1), "d"}),
        path({"ab", size_t(2), "c", size_t(1), "zzz"}),
        path({"ab", size_t(9)}),
        path({"ab", "notAnIndex"}),
        path({"e"}),
        path({"e", "f"}),
        path({"e", "f", "deeper"}),
        path({"g", size_t(0)}),
        path({"nope"}),
        path({size_t(0)}),
    };
    JsonIndex index(text);
    for (const JsonPath &p : paths) {
        QCOMPARE(index.locate(p), locateJson(text, p));
        QCOMPARE(index.line(p), lineOfJson(text, p));
    }
    QCOMPARE(index.line(path({"e", "f"})), 6);
    QCOMPARE(index.locate(path({"e"})), text.lastIndexOf("\"e\""));

    // Malformed text: what was read before the break is still found.
    const QByteArray broken = "{\"a\": [1,\n 2], \"b\": {\"c\": \n";
    JsonIndex partial(broken);
    QCOMPARE(partial.line(path({"a", size_t(1)})), 2);
    QCOMPARE(partial.line(path({"b", "c"})), lineOfJson(broken, path({"b", "c"})));
    JsonIndex empty(QByteArrayView{});
    QCOMPARE(empty.line(path({"x"})), 1);
}

void TestLargeBots::everyStepOfALargeBotHasItsLine()
{
    QList<int> lines;
    const QByteArray text = chainBot(3000, &lines);
    LoadProblem problem;
    const auto bot = BotDefinition::parse(text, u"big.bot.json"_s, kMtime, &problem);
    QVERIFY2(bot, qPrintable(problem.toString()));
    QCOMPARE(bot->steps.size(), 3000);
    for (qsizetype i = 0; i < bot->steps.size(); ++i)
        QCOMPARE(bot->steps[i].line, lines[i]);
}

void TestLargeBots::problemsFarIntoALargeBotNameTheirLine()
{
    {
        QList<int> lines;
        const QByteArray text = chainBot(2500, &lines, ", \"depends_on\": [\"s1\", \"ghost\"]");
        LoadProblem problem;
        QVERIFY(!BotDefinition::parse(text, u"big.bot.json"_s, kMtime, &problem));
        QCOMPARE(problem.reason, u"step \"s2499\" depends on unknown step \"ghost\""_s);
        QCOMPARE(problem.line, lines.last() + 2499 % 3);
    }
    {
        // The last step reuses the key of step 1200: named at its line, with the first's.
        QList<int> lines;
        QByteArray text = chainBot(2500, &lines);
        const qsizetype last = text.lastIndexOf("\"key\": \"s2499\"");
        text.replace(last, 14, "\"key\": \"s1200\"");
        LoadProblem problem;
        QVERIFY(!BotDefinition::parse(text, u"big.bot.json"_s, kMtime, &problem));
        QCOMPARE(problem.reason, u"duplicate step key \"s1200\" (first defined on line %1)"_s.arg(lines[1200]));
        QCOMPARE(problem.line, lines.last());
    }
}

void TestLargeBots::aLongCycleIsFoundWithoutDeepRecursion()
{
    // 20,000 steps in one chain, the first depending on the last: the walk goes 20,000 deep.
    QList<int> lines;
    QByteArray text = chainBot(20000, &lines);
    const qsizetype first = text.indexOf("\"parameters\"");
    text.insert(first, "\"depends_on\": \"s19999\", ");
    LoadProblem problem;
    QVERIFY(!BotDefinition::parse(text, u"big.bot.json"_s, kMtime, &problem));
    QVERIFY2(problem.reason.startsWith(u"dependency cycle: s0 -> s19999 -> s19998 -> "_s), qPrintable(problem.reason.left(80)));
    QVERIFY(problem.reason.endsWith(u" -> s1 -> s0"_s));
    QCOMPARE(problem.line, lines[0]);
}

void TestLargeBots::orderKeepsFileOrderAtSize()
{
    // Written backwards (each step depends on the one after it), with an independent
    // step after each: the first ready step in file order runs first. Every f and c4999
    // are ready at the start; once c4999 has run, c4998 (earlier in the file than f4999)
    // is the first ready one, and so on down the chain; f4999 runs last.
    QList<StepDefinition> steps;
    const int n = 5000;
    for (int i = 0; i < n; ++i) {
        StepDefinition chained;
        chained.key = u"c%1"_s.arg(i);
        if (i + 1 < n)
            chained.dependsOn = {u"c%1"_s.arg(i + 1)};
        steps.append(chained);
        StepDefinition free;
        free.key = u"f%1"_s.arg(i);
        steps.append(free);
    }
    QStringList want;
    for (int i = 0; i < n - 1; ++i)
        want.append(u"f%1"_s.arg(i));
    for (int i = n - 1; i >= 0; --i)
        want.append(u"c%1"_s.arg(i));
    want.append(u"f%1"_s.arg(n - 1));
    const auto order = orderSteps(steps);
    QVERIFY(order);
    QStringList keys;
    for (const StepDefinition *s : *order)
        keys.append(s->key);
    QCOMPARE(keys, want);

    // Dependencies met outside the group (a handler's steps on the bot's), unknown ones
    // and cycles.
    QList<StepDefinition> handler(2);
    handler[0].key = u"h1"_s;
    handler[0].dependsOn = {u"outer"_s, u"h2"_s};
    handler[1].key = u"h2"_s;
    const auto handled = orderSteps(handler, QSet<QString>{u"outer"_s});
    QVERIFY(handled);
    QCOMPARE(handled->first()->key, u"h2"_s);
    QString error;
    QVERIFY(!orderSteps(handler, QSet<QString>{}, &error));
    QCOMPARE(error, u"step \"h1\" depends on unknown step \"outer\""_s);
    handler[1].dependsOn = {u"h1"_s};
    QVERIFY(!orderSteps(handler, QSet<QString>{u"outer"_s}, &error));
    QCOMPARE(error, u"steps \"h1\", \"h2\" depend on each other (a depends_on cycle)"_s);
}

void TestLargeBots::mockProblemsCarryTheLineOfTheirKey()
{
    // 4,000 entries over two lines each; every tenth is bad. Its problem names the line
    // of its key, the top-level one (the same text nested inside an entry's output, or an
    // escaped spelling of the key, does not confuse it).
    QByteArray text = "{\n";
    QHash<QString, int> lineOf;
    int line = 2;
    for (int i = 0; i < 4000; ++i) {
        const QByteArray key = "step" + QByteArray::number(i);
        if (i > 0)
            text += ",\n", ++line;
        lineOf.insert(QString::fromLatin1(key), line);
        text += " \"" + key + "\":\n";
        ++line;
        if (i % 10 == 0)
            text += "   {\"status\": \"maybe\"}";
        else
            text += "   {\"status\": \"success\", \"output\": {\"step" + QByteArray::number(i + 1) + "\": 1}}";
    }
    text += ",\n \"st\\u0065p_escaped\": {}\n}\n";
    QList<MockProblem> problems;
    QVERIFY(!MockSet::parse(text, &problems));
    QCOMPARE(problems.size(), 401);
    for (const MockProblem &p : std::as_const(problems)) {
        if (p.key == u"step_escaped"_s)
            QCOMPARE(p.line, line + 1);
        else
            QCOMPARE(p.line, lineOf.value(p.key));
    }
}

void TestLargeBots::aLargeRunWithHandlersRunsInOrder()
{
    // 3,000 chained steps; every 100th has a handler whose step depends on the bot's
    // first step (met outside the handler) and echoes the step before it.
    const int n = 3000;
    Json steps = Json::array();
    for (int i = 0; i < n; ++i) {
        const std::string key = "s" + std::to_string(i);
        Json step{{"key", key}, {"action_type", "utils.echo"},
                  {"parameters", {{"data", i == 0 ? std::string("0") : "{{steps.s" + std::to_string(i - 1) + "}}"}}}};
        if (i > 0)
            step["depends_on"] = "s" + std::to_string(i - 1);
        if (i % 100 == 50)
            step["result_handlers"] = Json::array({{{"type", "intermediate"}, {"if_conditions", {{"type", "IsSuccess"}}},
                {"steps", Json::array({{{"key", "h" + std::to_string(i)}, {"action_type", "utils.echo"},
                                        {"depends_on", "s0"}, {"parameters", {{"data", "{{steps." + key + "}}"}}}}})}}});
        steps.push_back(std::move(step));
    }
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(u"long.bot.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(dumpJson(Json{{"bot", {{"key", "long"}}}, {"steps", steps}}));
    file.close();

    BotCatalog catalog;
    catalog.load({dir.path()});
    QVERIFY(catalog.problems().isEmpty());
    ActionRegistry registry;
    registerUtilsActions(registry);
    ActionGate gate(ActionGate::Options{});
    Executor executor(catalog, registry, gate);
    InvokeRequest request;
    request.botKey = u"long"_s;
    QStringList started;
    const ExecutionOutcome outcome = executor.run(request, [&](const Event &event) {
        if (event.type == u"step_started"_s)
            started.append(event.path);
    });
    QVERIFY2(outcome.success(), qPrintable(outcome.error));
    QVERIFY(outcome.output == Json("0"));
    QStringList expected;
    for (int i = 0; i < n; ++i) {
        expected.append(u"s%1"_s.arg(i));
        if (i % 100 == 50)
            expected.append(u"h%1"_s.arg(i));
    }
    QCOMPARE(started, expected);
}

QTEST_GUILESS_MAIN(TestLargeBots)
#include "tst_largebots.moc"
