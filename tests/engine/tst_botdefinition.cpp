// Bot files: what a good file parses into, and for each kind of bad file the line and
// the reason the user is shown.
#include "core/engine/botdefinition.h"
#include "core/model/json/jsonlocator.h"

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
using namespace invoke::engine;

class TestBotDefinition : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesAFullBot();
    void acceptsShortForms();
    void rejectsBadFiles_data();
    void rejectsBadFiles();
    void locatesValues();
};

static const QDateTime kMtime = QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9, 10), Qt::UTC);

void TestBotDefinition::parsesAFullBot()
{
    const QByteArray file = R"({
  "bot": {"key": "research", "name": "Research", "description": "Plans, then writes.",
          "extra_export_field": 42},
  "parameter_definitions": [
    {"key": "topic", "name": "Topic", "type": "string", "required": true,
     "description": "What to research"},
    {"key": "depth", "type": "integer", "default": 2}
  ],
  "steps": [
    {
      "key": "plan",
      "action_type": "llm.message",
      "parameters": {"query": "Plan {{topic}}", "max_tokens": 100},
      "output_content_type": "json"
    },
    {
      "key": "parse",
      "action_type": "utils.parse_json",
      "depends_on": "plan",
      "parameters": {"json_data": "{{steps.plan.content}}"},
      "result_handlers": [
        {
          "type": "final",
          "if_conditions": {"type": "IsError"},
          "steps": [
            {"key": "apologise", "action_type": "utils.write",
             "parameters": {"content": "Sorry"}, "user_output_visibility": "visible"}
          ]
        },
        {
          "if_conditions": [{"type": "IsSuccess"},
                            {"type": "TextContains", "text": "TODO", "case_sensitive": true,
                             "not": true}],
          "steps": []
        }
      ]
    },
    {"key": "write", "action_type": "utils.write", "depends_on": ["plan", "parse"],
     "user_output_visibility": "hidden", "parameters": {"content": "{{steps.parse}}"}}
  ]
}
)";
    LoadProblem problem;
    const auto bot = BotDefinition::parse(file, u"/bots/research.bot.json"_s, kMtime, &problem);
    QVERIFY2(bot, qPrintable(problem.toString()));

    QCOMPARE(bot->info.key, u"research"_s);
    QCOMPARE(bot->info.id, u"research"_s);
    QCOMPARE(bot->info.name, u"Research"_s);
    QCOMPARE(bot->info.description, u"Plans, then writes."_s);
    QCOMPARE(bot->info.updatedAt, kMtime);
    QCOMPARE(bot->info.updatedAtText(), u"2024-05-06T07:08:09.010Z"_s);
    QCOMPARE(bot->info.sourceFile, u"/bots/research.bot.json"_s);

    QCOMPARE(bot->info.parameters.size(), 2);
    QCOMPARE(bot->info.parameters[0].key, u"topic"_s);
    QCOMPARE(bot->info.parameters[0].name, u"Topic"_s);
    QVERIFY(bot->info.parameters[0].required);
    QCOMPARE(bot->info.parameters[0].description, u"What to research"_s);
    QCOMPARE(bot->info.parameters[1].key, u"depth"_s);
    QCOMPARE(bot->info.parameters[1].name, u"depth"_s);
    QCOMPARE(bot->info.parameters[1].type, u"integer"_s);
    QCOMPARE(bot->info.parameters[1].defaultValue, Json(2));

    QCOMPARE(bot->steps.size(), 3);
    const StepDefinition &plan = bot->steps[0];
    QCOMPARE(plan.key, u"plan"_s);
    QCOMPARE(plan.actionType, u"llm.message"_s);
    QCOMPARE(plan.parameters, Json::parse(R"({"query": "Plan {{topic}}", "max_tokens": 100})"));
    QCOMPARE(plan.outputContentType, u"json"_s);
    QCOMPARE(plan.userOutputVisibility, QString());
    QVERIFY(plan.dependsOn.isEmpty());
    QCOMPARE(plan.line, 10);

    const StepDefinition &parse = bot->steps[1];
    QCOMPARE(parse.dependsOn, QStringList{u"plan"_s});
    QCOMPARE(parse.outputContentType, u"text"_s);
    QCOMPARE(parse.line, 16);
    QCOMPARE(parse.resultHandlers.size(), 2);

    const ResultHandler &onError = parse.resultHandlers[0];
    QCOMPARE(onError.type, ResultHandler::Final);
    QCOMPARE(onError.conditions, (QList<Condition>{Condition{Condition::IsError, {}, false, false}}));
    QCOMPARE(onError.steps.size(), 1);
    QCOMPARE(onError.steps[0].key, u"apologise"_s);
    QCOMPARE(onError.steps[0].actionType, u"utils.write"_s);
    QCOMPARE(onError.steps[0].userOutputVisibility, u"visible"_s);
    QCOMPARE(onError.steps[0].line, 26);

    const ResultHandler &onSuccess = parse.resultHandlers[1];
    QCOMPARE(onSuccess.type, ResultHandler::Intermediate);
    const QList<Condition> expected{Condition{Condition::IsSuccess, {}, false, false},
                                    Condition{Condition::TextContains, u"TODO"_s, true, true}};
    QCOMPARE(onSuccess.conditions, expected);
    QVERIFY(onSuccess.steps.isEmpty());

    const StepDefinition &write = bot->steps[2];
    QCOMPARE(write.dependsOn, (QStringList{u"plan"_s, u"parse"_s}));
    QCOMPARE(write.userOutputVisibility, u"hidden"_s);
    QCOMPARE(write.line, 38);
}

void TestBotDefinition::acceptsShortForms()
{
    // No name, no parameters, no step parameters, a compact one-line file.
    const QByteArray file = R"({"bot":{"key":"tiny"},"steps":[{"key":"a","action_type":"utils.echo"}]})";
    LoadProblem problem;
    const auto bot = BotDefinition::parse(file, u"tiny.bot.json"_s, kMtime, &problem);
    QVERIFY2(bot, qPrintable(problem.toString()));
    QCOMPARE(bot->info.displayName(), u"tiny"_s);
    QVERIFY(bot->info.parameters.isEmpty());
    QCOMPARE(bot->steps.size(), 1);
    QCOMPARE(bot->steps[0].parameters, Json::object());
    QCOMPARE(bot->steps[0].line, 1);

    // A UTF-8 byte order mark and CRLF line ends: lines still count right.
    const QByteArray crlf = "\xEF\xBB\xBF{\r\n\"bot\": {\"key\": \"k\"},\r\n\"steps\": [\r\n"
                            "  {\"key\": \"a\", \"action_type\": \"utils.echo\"},\r\n"
                            "  {\"key\": \"b\", \"action_type\": \"utils.echo\", \"depends_on\": \"x\"}\r\n]}";
    QVERIFY(!BotDefinition::parse(crlf, u"bom.bot.json"_s, kMtime, &problem));
    QCOMPARE(problem.toString(), u"bom.bot.json:5: step \"b\" depends on unknown step \"x\""_s);
}

void TestBotDefinition::rejectsBadFiles_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("reason");

    const QByteArray goodStep = R"({"key": "a", "action_type": "utils.echo"})";

    QTest::newRow("syntax: trailing comma") << QByteArray(R"({
  "bot": {"key": "x"},
  "steps": [],
})") << 4
        << u"invalid JSON at column 1: syntax error while parsing object key - unexpected '}'; "
           "expected string literal"_s;
    QTest::newRow("syntax: empty file") << QByteArray() << 1
        << u"invalid JSON at column 1: syntax error while parsing value - unexpected end of "
           "input; expected '[', '{', or a literal"_s;
    QTest::newRow("not an object") << QByteArray("[1, 2]") << 1
        << u"a bot file must be a JSON object with \"bot\" and \"steps\""_s;
    QTest::newRow("no bot") << QByteArray("{\n\"steps\": [" + goodStep + "]}") << 1
        << u"missing \"bot\": the file needs {\"bot\": {\"key\": ...}}"_s;
    QTest::newRow("bot not an object") << QByteArray("{\n\n\"bot\": \"x\",\n\"steps\": []}") << 3
        << u"\"bot\" must be an object"_s;
    QTest::newRow("no bot.key") << QByteArray(R"({
  "bot": {"name": "Nameless"},
  "steps": [{"key": "a", "action_type": "utils.echo"}]
})") << 2 << u"missing bot.key"_s;
    QTest::newRow("empty bot.key") << QByteArray(R"({
  "bot": {
    "name": "x",
    "key": ""
  },
  "steps": [{"key": "a", "action_type": "utils.echo"}]
})") << 4 << u"bot.key must be a non-empty string of letters, digits, '_', '-' and '.', not \"\""_s;
    QTest::newRow("bot.key with a slash") << QByteArray(R"({"bot": {"key": "a/b"}, "steps": []})")
        << 1 << u"bot.key must be a non-empty string of letters, digits, '_', '-' and '.', not \"a/b\""_s;
    QTest::newRow("bot.name not a string") << QByteArray("{\"bot\": {\"key\": \"k\",\n \"name\": 3}}")
        << 2 << u"bot.name must be a string"_s;
    QTest::newRow("no steps") << QByteArray("{\n\"bot\": {\"key\": \"k\"}\n}") << 1
        << u"missing \"steps\": a bot needs at least one step"_s;
    QTest::newRow("empty steps") << QByteArray("{\n\"bot\": {\"key\": \"k\"},\n\n\"steps\": []\n}")
        << 4 << u"\"steps\" is empty: a bot needs at least one step"_s;
    QTest::newRow("steps not an array") << QByteArray("{\"bot\": {\"key\": \"k\"},\n\"steps\": {}}")
        << 2 << u"\"steps\" must be an array of steps"_s;
    QTest::newRow("step not an object") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  "a"
]})") << 2 << u"a step must be an object with \"key\" and \"action_type\""_s;
    QTest::newRow("step without key") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo"},
  {
    "action_type": "utils.echo"
  }
]})") << 3 << u"a step has no \"key\""_s;
    QTest::newRow("step key with a dot") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"action_type": "utils.echo",
   "key": "a.b"}
]})") << 3 << u"step key \"a.b\" must be a non-empty string of letters, digits, '_' and '-'"_s;
    QTest::newRow("step without action_type") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo"},
  {"key": "b", "parameters": {}}
]})") << 3 << u"step \"b\" has no \"action_type\""_s;
    QTest::newRow("empty action_type") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "b",
   "action_type": ""}
]})") << 3 << u"step \"b\": \"action_type\" must be a non-empty string"_s;
    QTest::newRow("duplicate step key") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo"},
  {"key": "b", "action_type": "utils.echo"},
  {"action_type": "utils.echo",
   "key": "a"}
]})") << 5 << u"duplicate step key \"a\" (first defined on line 2)"_s;
    QTest::newRow("duplicate key in a handler") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo",
   "result_handlers": [{"steps": [
     {"key": "b", "action_type": "utils.echo"},
     {"key": "a", "action_type": "utils.echo"}
   ]}]}
]})") << 5 << u"duplicate step key \"a\" (first defined on line 2)"_s;
    QTest::newRow("parameters not an object") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo",
   "parameters": [1]}
]})") << 3 << u"step \"a\": \"parameters\" must be an object"_s;
    QTest::newRow("unknown dependency") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo"},
  {"key": "b", "action_type": "utils.echo",
   "depends_on": [
     "a",
     "nope"
   ]}
]})") << 6 << u"step \"b\" depends on unknown step \"nope\""_s;
    QTest::newRow("depends_on a number") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo",
   "depends_on": 3}
]})") << 3 << u"step \"a\": \"depends_on\" must be a step key or a list of step keys"_s;
    QTest::newRow("self dependency") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo", "depends_on": "a"}
]})") << 2 << u"dependency cycle: a -> a"_s;
    QTest::newRow("cycle of three") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "start", "action_type": "utils.echo"},
  {"key": "a", "action_type": "utils.echo", "depends_on": ["start", "c"]},
  {"key": "b", "action_type": "utils.echo", "depends_on": "a"},
  {"key": "c", "action_type": "utils.echo", "depends_on": ["b"]}
]})") << 3 << u"dependency cycle: a -> c -> b -> a"_s;
    QTest::newRow("cycle through a handler step") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo", "depends_on": "h",
   "result_handlers": [{"steps": [
     {"key": "h", "action_type": "utils.echo", "depends_on": "a"}]}]}
]})") << 2 << u"dependency cycle: a -> h -> a"_s;
    QTest::newRow("unknown condition type") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo",
   "result_handlers": [{"type": "final",
     "if_conditions": [{"type": "IsSuccess"},
                       {"type": "IsMaybe"}],
     "steps": []}]}
]})") << 5 << u"step \"a\": unknown condition type \"IsMaybe\" (known: IsSuccess, IsError, TextContains)"_s;
    QTest::newRow("condition without type") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo",
   "result_handlers": [{"if_conditions":
     {"text": "x"}}]}
]})") << 3 << u"step \"a\": a condition has no \"type\""_s;
    QTest::newRow("TextContains without text") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo",
   "result_handlers": [{"if_conditions":
     {"type": "TextContains"}}]}
]})") << 3 << u"step \"a\": a TextContains condition needs a \"text\" string"_s;
    QTest::newRow("bad handler type") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo",
   "result_handlers": [{
     "type": "sometimes"}]}
]})") << 4 << u"step \"a\": result handler type must be \"intermediate\" or \"final\", not \"sometimes\""_s;
    QTest::newRow("bad handler step") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo",
   "result_handlers": [{"steps": [
     {"key": "b"}]}]}
]})") << 4 << u"step \"b\" has no \"action_type\""_s;
    QTest::newRow("bad visibility") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo",
   "user_output_visibility": "loud"}
]})") << 3 << u"step \"a\": user_output_visibility must be \"visible\" or \"hidden\", not \"loud\""_s;
    QTest::newRow("bad content type") << QByteArray(R"({"bot": {"key": "k"}, "steps": [
  {"key": "a", "action_type": "utils.echo",

   "output_content_type": "xml"}
]})") << 4 << u"step \"a\": output_content_type must be \"text\" or \"json\", not \"xml\""_s;
    QTest::newRow("parameter without key") << QByteArray(R"({"bot": {"key": "k"},
  "parameter_definitions": [
    {"key": "topic"},
    {"name": "Nameless", "type": "string"}
  ],
  "steps": [{"key": "a", "action_type": "utils.echo"}]
})") << 4 << u"parameter_definitions[1] has no \"key\""_s;
    QTest::newRow("duplicate parameter") << QByteArray(R"({"bot": {"key": "k"},
  "parameter_definitions": [{"key": "topic"},
    {"key": "topic"}],
  "steps": [{"key": "a", "action_type": "utils.echo"}]
})") << 3 << u"duplicate parameter key \"topic\""_s;
    QTest::newRow("parameter required not a bool") << QByteArray(R"({"bot": {"key": "k"},
  "parameter_definitions": [{"key": "topic",
     "required": "yes"}],
  "steps": [{"key": "a", "action_type": "utils.echo"}]
})") << 3 << u"parameter \"topic\": \"required\" must be true or false"_s;
    QTest::newRow("parameter_definitions not an array") << QByteArray(R"({"bot": {"key": "k"},
  "parameter_definitions": {"topic": {}},
  "steps": [{"key": "a", "action_type": "utils.echo"}]
})") << 2 << u"\"parameter_definitions\" must be an array"_s;
}

void TestBotDefinition::rejectsBadFiles()
{
    QFETCH(QByteArray, file);
    QFETCH(int, line);
    QFETCH(QString, reason);

    LoadProblem problem;
    const auto bot = BotDefinition::parse(file, u"/tmp/bad.bot.json"_s, kMtime, &problem);
    QVERIFY(!bot);
    QCOMPARE(problem.reason, reason);
    QCOMPARE(problem.line, line);
    QCOMPARE(problem.file, u"/tmp/bad.bot.json"_s);
    QCOMPARE(problem.toString(), u"/tmp/bad.bot.json:%1: %2"_s.arg(line).arg(reason));
}

void TestBotDefinition::locatesValues()
{
    // Escaped keys, strings holding brackets and commas, duplicate keys (the last wins,
    // as in nlohmann), nested arrays.
    const QByteArray text = "{\"a\\u0062\": [1, \"x,]}\", {\"c\": [\n[],\n{\"d\": null}]}],\n"
                            " \"e\": 1, \"e\": {\"f\": \"\\\"\"}}";
    QCOMPARE(lineOfJson(text, {std::string("ab"), size_t(2), std::string("c"), size_t(1),
                               std::string("d")}),
             3);
    QCOMPARE(lineOfJson(text, {std::string("e"), std::string("f")}), 4);
    QCOMPARE(locateJson(text, {std::string("e")}), text.lastIndexOf("\"e\""));
    QCOMPARE(locateJson(text, {std::string("nope")}), -1);
    QCOMPARE(locateJson(text, {std::string("ab"), size_t(9)}), -1);
    // Not found: the line of the closest ancestor that is.
    QCOMPARE(lineOfJson(text, {std::string("ab"), size_t(2), std::string("c"), size_t(1),
                               std::string("zzz")}),
             3);
}

QTEST_GUILESS_MAIN(TestBotDefinition)
#include "tst_botdefinition.moc"
