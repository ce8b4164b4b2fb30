// {{templates}}: every form, against one scope, as a table of input -> output or error.
#include "core/engine/templates.h"
#include "tests/support/jsontext.h"

#include <QtCore/QFloat16> // complete, so QCOMPARE on Json can rule its overload out
#include <QtTest/QTest>

// QCOMPARE prints Json values as their compact text.
namespace nlohmann {
inline char *toString(const json &value)
{
    return qstrdup(value.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
}
} // namespace nlohmann

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;
using namespace invoke::engine;

namespace {

TemplateScope scope()
{
    TemplateScope s;
    s.parameters = Json::parse(R"({
        "topic": "cats", "count": 3, "ratio": 0.5, "flag": false, "nothing": null,
        "config": {"model": "m1", "list": [1, 2]}
    })");
    s.steps = Json::parse(R"({
        "plan": {"title": "T", "n": 7, "items": [{"name": "a"}, {"name": "b"}],
                 "nested": {"deep": {"x": "y"}}, "0": "zero"},
        "raw": "plain text",
        "empty": null,
        "list": ["p", "q"]
    })");
    s.messages = {Message::user(u"first"_s), Message::assistant(u"reply"_s),
                  Message::user(u"second ✓"_s)};
    s.invocationId = u"inv-1"_s;
    s.datasets = {u"d1"_s, u"d2"_s};
    return s;
}

} // namespace

class TestTemplates : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void renders_data();
    void renders();
    void fails_data();
    void fails();
    void queryPrefersAParameter();
    void queryWithoutUserMessage();
    void leavesTheInputAlone();
    void manyTemplates();
};

void TestTemplates::renders_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("no template") << R"("hello")"_ba << R"("hello")"_ba;
    QTest::newRow("not a string") << R"(42)"_ba << R"(42)"_ba;
    QTest::newRow("parameter") << R"("{{topic}}")"_ba << R"("cats")"_ba;
    QTest::newRow("number keeps its type") << R"("{{count}}")"_ba << R"(3)"_ba;
    QTest::newRow("fraction keeps its type") << R"("{{ratio}}")"_ba << R"(0.5)"_ba;
    QTest::newRow("bool keeps its type") << R"("{{flag}}")"_ba << R"(false)"_ba;
    QTest::newRow("object keeps its type") << R"("{{config}}")"_ba
                                           << R"({"model": "m1", "list": [1, 2]})"_ba;
    QTest::newRow("parameter field") << R"("{{config.model}}")"_ba << R"("m1")"_ba;
    QTest::newRow("parameter array item") << R"("{{config.list.1}}")"_ba << R"(2)"_ba;
    QTest::newRow("whitespace inside braces") << R"("{{  topic\t}}")"_ba << R"("cats")"_ba;
    QTest::newRow("in text") << R"("About {{topic}} x{{count}} {{flag}} {{ratio}}")"_ba
                             << R"("About cats x3 false 0.5")"_ba;
    QTest::newRow("object in text is compact JSON")
        << R"("cfg={{config}}")"_ba << R"("cfg={\"list\":[1,2],\"model\":\"m1\"}")"_ba;
    QTest::newRow("padded single template is text") << R"(" {{count}}")"_ba << R"(" 3")"_ba;
    QTest::newRow("step output") << R"("{{steps.raw}}")"_ba << R"("plain text")"_ba;
    QTest::newRow("step output object")
        << R"("{{steps.plan.nested}}")"_ba << R"({"deep": {"x": "y"}})"_ba;
    QTest::newRow("step field") << R"("{{steps.plan.title}}")"_ba << R"("T")"_ba;
    QTest::newRow("step number field") << R"("{{steps.plan.n}}")"_ba << R"(7)"_ba;
    QTest::newRow("step nested field") << R"("{{steps.plan.nested.deep.x}}")"_ba << R"("y")"_ba;
    QTest::newRow("array index") << R"("{{steps.plan.items.1.name}}")"_ba << R"("b")"_ba;
    QTest::newRow("array item in text") << R"("{{steps.plan.items.0}}!")"_ba
                                        << R"("{\"name\":\"a\"}!")"_ba;
    QTest::newRow("digits name an object member") << R"("{{steps.plan.0}}")"_ba << R"("zero")"_ba;
    QTest::newRow("top-level array output") << R"("{{steps.list.0}}{{steps.list.1}}")"_ba
                                            << R"("pq")"_ba;
    QTest::newRow("step that output null") << R"("{{steps.empty}}")"_ba << R"(null)"_ba;
    QTest::newRow("null in text is empty") << R"("[{{steps.empty}}]")"_ba << R"("[]")"_ba;
    QTest::newRow("system.messages")
        << R"("{{system.messages}}")"_ba
        << R"([{"role": "user", "content": "first"}, {"role": "assistant", "content": "reply"},
              {"role": "user", "content": "second ✓"}])"_ba;
    QTest::newRow("system.messages item") << R"("{{system.messages.1.content}}")"_ba
                                          << R"("reply")"_ba;
    QTest::newRow("system.invocation_id") << R"("run {{system.invocation_id}}")"_ba
                                          << R"("run inv-1")"_ba;
    QTest::newRow("system.datasets") << R"("{{system.datasets}}")"_ba << R"(["d1", "d2"])"_ba;
    QTest::newRow("system.datasets in text") << R"("ds: {{system.datasets}}")"_ba
                                             << R"("ds: [\"d1\",\"d2\"]")"_ba;
    QTest::newRow("query is the last user message") << R"("Q: {{query}}")"_ba
                                                    << R"("Q: second ✓")"_ba;
    QTest::newRow("optional missing alone is null") << R"("{{missing?}}")"_ba << R"(null)"_ba;
    QTest::newRow("optional missing in text is empty") << R"("a{{missing?}}b")"_ba << R"("ab")"_ba;
    QTest::newRow("optional with spaces") << R"("{{ missing ? }}")"_ba << R"(null)"_ba;
    QTest::newRow("optional present") << R"("{{count?}}")"_ba << R"(3)"_ba;
    QTest::newRow("optional null parameter") << R"("x{{nothing?}}y")"_ba << R"("xy")"_ba;
    QTest::newRow("optional step not run") << R"("{{steps.later.x?}}")"_ba << R"(null)"_ba;
    QTest::newRow("optional missing field") << R"("{{steps.plan.nope?}}")"_ba << R"(null)"_ba;
    QTest::newRow("unterminated is text") << R"("{{topic")"_ba << R"("{{topic")"_ba;
    QTest::newRow("unterminated after a template")
        << R"("{{topic}} and {{count")"_ba << R"("cats and {{count")"_ba;
    QTest::newRow("empty braces are text") << R"("a {{}} b")"_ba << R"("a {{}} b")"_ba;
    QTest::newRow("triple braces") << R"("{{{topic}}}")"_ba << R"("{cats}")"_ba;
    QTest::newRow("open braces before a template") << R"("{{ {{topic}}")"_ba << R"("{{ cats")"_ba;
    QTest::newRow("lone closing braces") << R"("}} {{count}} }}")"_ba << R"("}} 3 }}")"_ba;
    QTest::newRow("unicode around") << R"("héllo {{topic}} ✓")"_ba << R"("héllo cats ✓")"_ba;
    QTest::newRow("objects and arrays, keys untouched")
        << R"({"a": ["{{count}}", {"b": "{{topic}}"}], "{{topic}}": 1, "n": null})"_ba
        << R"({"a": [3, {"b": "cats"}], "{{topic}}": 1, "n": null})"_ba;
}

void TestTemplates::renders()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QString error;
    const std::optional<Json> out = renderTemplates(Json::parse(input.toStdString()), scope(), &error);
    QVERIFY2(out, qPrintable(error));
    QCOMPARE(jsonText(*out), jsonText(Json::parse(expected.toStdString())));
}

void TestTemplates::fails_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("error");

    QTest::newRow("unknown parameter")
        << R"("{{topic2}}")"_ba << uR"(template {{topic2}}: parameter "topic2" is not set)"_s;
    QTest::newRow("unknown parameter in text, with spaces")
        << R"("text {{ topic2 }} more")"_ba << uR"(template {{topic2}}: parameter "topic2" is not set)"_s;
    QTest::newRow("null parameter")
        << R"("{{nothing}}")"_ba << uR"(template {{nothing}}: parameter "nothing" is not set)"_s;
    QTest::newRow("parameter field")
        << R"("{{config.nope}}")"_ba
        << uR"(template {{config.nope}}: parameter "config" has no field "nope")"_s;
    QTest::newRow("step not run")
        << R"("{{steps.later}}")"_ba << uR"(template {{steps.later}}: step "later" has not run)"_s;
    QTest::newRow("step field not run")
        << R"("{{steps.later.x}}")"_ba << uR"(template {{steps.later.x}}: step "later" has not run)"_s;
    QTest::newRow("missing step field")
        << R"("{{steps.plan.title2}}")"_ba
        << uR"(template {{steps.plan.title2}}: step "plan" has no output field "title2")"_s;
    QTest::newRow("index out of range")
        << R"("{{steps.plan.items.5.name}}")"_ba
        << uR"(template {{steps.plan.items.5.name}}: step "plan" has no output field "items.5.name")"_s;
    QTest::newRow("field of a string")
        << R"("{{steps.plan.title.x}}")"_ba
        << uR"(template {{steps.plan.title.x}}: step "plan" has no output field "title.x")"_s;
    QTest::newRow("field of a null output")
        << R"("{{steps.empty.x}}")"_ba
        << uR"(template {{steps.empty.x}}: step "empty" has no output field "x")"_s;
    QTest::newRow("name-less steps")
        << R"("{{steps}}")"_ba
        << uR"(template {{steps}}: name a step, as in {{steps.KEY}} or {{steps.KEY.field}})"_s;
    QTest::newRow("unknown system value")
        << R"("{{system.nope}}")"_ba
        << uR"(template {{system.nope}}: unknown system value "nope" (known: messages, invocation_id, datasets))"_s;
    QTest::newRow("unknown system value, optional")
        << R"("{{system.nope?}}")"_ba
        << uR"(template {{system.nope?}}: unknown system value "nope" (known: messages, invocation_id, datasets))"_s;
    QTest::newRow("bare system")
        << R"("{{system}}")"_ba
        << uR"(template {{system}}: name a system value: system.messages, system.invocation_id or system.datasets)"_s;
    QTest::newRow("system field")
        << R"("{{system.messages.9}}")"_ba
        << uR"(template {{system.messages.9}}: system value "messages" has no field "9")"_s;
    QTest::newRow("malformed name")
        << R"("{{a..b}}")"_ba << uR"(template {{a..b}}: malformed name "a..b")"_s;
    QTest::newRow("trailing dot")
        << R"("{{steps.plan.}}")"_ba << uR"(template {{steps.plan.}}: malformed name "steps.plan.")"_s;
    QTest::newRow("deep inside the value")
        << R"({"a": [1, {"b": "ok {{topic}} then {{x}}"}]})"_ba
        << uR"(template {{x}}: parameter "x" is not set)"_s;
}

void TestTemplates::fails()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    QString why = u"untouched"_s;
    const std::optional<Json> out = renderTemplates(Json::parse(input.toStdString()), scope(), &why);
    QVERIFY2(!out, out ? out->dump().c_str() : "");
    QCOMPARE(why, error);
    // The error pointer is optional.
    QVERIFY(!renderTemplates(Json::parse(input.toStdString()), scope()));
}

void TestTemplates::queryPrefersAParameter()
{
    TemplateScope s = scope();
    s.parameters["query"] = "from the caller";
    QCOMPARE(renderTemplates(Json("{{query}}"), s), std::optional<Json>("from the caller"));
    s.parameters["query"] = nullptr; // a null is not set: back to the conversation
    QCOMPARE(renderTemplates(Json("{{query}}"), s), std::optional<Json>("second ✓"));
}

void TestTemplates::queryWithoutUserMessage()
{
    TemplateScope s;
    s.messages = {Message{u"system"_s, u"be nice"_s}, Message::assistant(u"hi"_s)};
    QString error;
    QVERIFY(!renderTemplates(Json("{{query}}"), s, &error));
    QCOMPARE(error, u"template {{query}}: the conversation has no user message"_s);
    QCOMPARE(renderTemplates(Json("q={{query?}}"), s, &error), std::optional<Json>("q="));
    // An empty scope renders what names nothing.
    QCOMPARE(renderTemplates(Json{{"a", "plain"}}, TemplateScope{}), std::optional<Json>(Json{{"a", "plain"}}));
}

void TestTemplates::leavesTheInputAlone()
{
    const Json input = Json::parse(R"({"a": "{{topic}}", "b": ["{{count}}"]})");
    const Json copy = input;
    QCOMPARE(renderTemplates(input, scope()), std::optional<Json>(Json::parse(R"({"a": "cats", "b": [3]})")));
    QCOMPARE(input, copy);
}

// A large parameters object with many templates; run with -iterations N to time it.
void TestTemplates::manyTemplates()
{
    Json input = Json::object();
    Json expected = Json::object();
    for (int i = 0; i < 1000; ++i) {
        const std::string key = "k" + std::to_string(i);
        input[key] = "Write about {{topic}} ({{steps.plan.items.1.name}}) for {{query}}, "
                     "{{count}} times, no template here but a long enough sentence.";
        expected[key] = "Write about cats (b) for second ✓, 3 times, no template here but a "
                        "long enough sentence.";
    }
    const TemplateScope s = scope();
    std::optional<Json> out;
    QBENCHMARK {
        out = renderTemplates(input, s);
    }
    QVERIFY(out);
    QCOMPARE(*out, expected);
}

QTEST_GUILESS_MAIN(TestTemplates)
#include "tst_templates.moc"
