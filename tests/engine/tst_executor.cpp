// The executor against small bot files written by the tests: the exact event stream of
// each run is compared as a golden text dump, one line per event.
#include "core/engine/actiongate.h"
#include "core/engine/actionregistry.h"
#include "core/engine/botcatalog.h"
#include "core/engine/executor.h"
#include "core/wire/events.h"
#include "tests/support/jsontext.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::engine;
using invoke::test::jsonText;

namespace {

// One line per event: what a reader needs to see the shape of the run.
QString describe(const Event &event)
{
    const Json parsed = event.json();
    const Json &payload = wire::payloadOf(parsed);
    const Json &meta = wire::metadataOf(parsed);
    switch (wire::kindOf(event, parsed)) {
    case EventKind::InvocationStarted:
        return u"invocation_started "_s + stringField(payload, "bot_key");
    case EventKind::StepStarted:
        return u"step_started %1 %2 %3"_s.arg(event.path, stringField(payload, "action_type"),
                                                jsonText(payload["parameters"]));
    case EventKind::MessageContent:
        return u"content %1 %2 %3 %4 %5"_s.arg(event.path, stringField(meta, "user_visibility"),
                                                stringField(meta, "content_type"),
                                                stringField(meta, "message_content_id"), jsonText(payload));
    case EventKind::StepFinished: {
        const Json &result = payload["result"];
        QString line = u"step_finished %1 %2"_s.arg(event.path, stringField(result, "status"));
        if (const QString source = stringField(meta, "source"); !source.isEmpty())
            line += u' ' + source;
        if (!result["output"].is_null())
            line += u" output="_s + jsonText(result["output"]);
        if (const QString error = stringField(result, "error"); !error.isEmpty())
            line += u" error="_s + error;
        return line;
    }
    case EventKind::Status:
        return u"status %1 %2: %3"_s.arg(event.path, stringField(payload, "status"), stringField(payload, "message"));
    case EventKind::InvocationFinished: {
        QString line = u"invocation_finished %1 content=%2"_s.arg(stringField(payload, "status"),
                                                                  jsonText(payload["output"]["content"]));
        if (const QString error = stringField(payload, "error"); !error.isEmpty())
            line += u" error="_s + error;
        return line;
    }
    case EventKind::Unknown:
        break;
    }
    return u"unknown "_s + QString::fromUtf8(event.raw);
}

struct RunResult
{
    ExecutionOutcome outcome;
    QList<Event> events;
    QString dump;
};

} // namespace

class TestExecutor : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    void writeBot(const QString &key, const QByteArray &json)
    {
        QFile file(m_dir.filePath(key + u".bot.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(json);
    }

    // Runs request.botKey over the bots written so far; `onEvent` sees each event as it
    // is emitted (and may cancel).
    RunResult run(InvokeRequest request,
                  const std::function<void(const Event &, CancelToken &)> &onEvent = {})
    {
        BotCatalog catalog;
        catalog.load({m_dir.path()});
        if (!catalog.problems().isEmpty())
            qWarning() << "bot problems:" << catalog.problems().first().toString();
        ActionRegistry registry; // llm.message stays out: in these tests only mocks answer it
        registerUtilsActions(registry);
        ActionGate gate({request.mode, request.manualMocks});
        Executor executor(catalog, registry, gate);
        CancelToken cancel;
        RunResult result;
        result.outcome = executor.run(request, [&](Event event) {
            result.events.append(event);
            if (onEvent)
                onEvent(result.events.last(), cancel);
        }, &cancel);

        QStringList lines;
        for (const Event &event : std::as_const(result.events))
            lines.append(describe(event));
        result.dump = lines.join(u'\n');
        return result;
    }

    // The invariants every stream keeps: started first, finished last, seq 0, 1, 2...,
    // t_ms never going back, one invocation id (a UUID without braces), the decoded
    // path header equal to metadata.path.
    static bool wellFormed(const RunResult &r)
    {
        const auto fail = [](const QString &why) {
            qWarning().noquote() << why;
            return false;
        };
        if (r.events.isEmpty() || r.events.first().type != u"invocation_started"_s
            || r.events.last().type != u"invocation_finished"_s)
            return fail(u"the stream does not start and end with the invocation events"_s);
        if (r.outcome.invocationId.size() != 36 || r.outcome.invocationId.contains(u'{'))
            return fail(u"not a plain UUID: "_s + r.outcome.invocationId);
        qint64 lastT = 0;
        for (qsizetype i = 0; i < r.events.size(); ++i) {
            const Event &e = r.events[i];
            const Json meta = wire::metadataOf(e.json());
            if (e.seq != i)
                return fail(u"seq %1 at index %2"_s.arg(e.seq).arg(i));
            if (e.tMs < lastT)
                return fail(u"t_ms goes back at index %1"_s.arg(i));
            if (stringField(meta, "invocation_id") != r.outcome.invocationId)
                return fail(u"another invocation id at index %1"_s.arg(i));
            if (e.path != stringField(meta, "path"))
                return fail(u"path header differs at index %1"_s.arg(i));
            lastT = e.tMs;
        }
        return true;
    }

    // QCOMPARE cuts long strings: print both dumps whole when they differ.
    static bool sameDump(const QString &actual, const QString &expected)
    {
        if (actual == expected)
            return true;
        qWarning().noquote() << u"actual:\n"_s + actual + u"\nexpected:\n"_s + expected;
        return false;
    }

    static InvokeRequest request(const QString &botKey, Json parameters = Json::object())
    {
        InvokeRequest r;
        r.botKey = botKey;
        r.parameters = std::move(parameters);
        r.messages = {Message::user(u"hi"_s)};
        return r;
    }

    static QString golden(const char *text) { return QString::fromUtf8(text).trimmed(); }

private Q_SLOTS:
    void initTestCase();
    void dependsOnOrderAndTemplates();
    void parseJsonFeedsLaterStep();
    void resultHandlers();
    void finalHandlerEndsTheBot();
    void unhandledFailureSkipsTheRest();
    void nestedBotInvoke();
    void recursionCycle();
    void visibilityAndContent();
    void missingRequiredParameter();
    void unknownActionType();
    void templateErrorFailsTheStep();
    void manualModeMocks();
    void missingMockEndsTheInvocation();
    void stepPathMockForANestedStep();
    void cancelBetweenSteps();
    void cancelInsideASubBot();
    void unknownBot();
};

void TestExecutor::initTestCase()
{
    QVERIFY(m_dir.isValid());
    writeBot(u"pipeline"_s, R"({
      "bot": {"key": "pipeline", "name": "Pipeline"},
      "parameter_definitions": [
        {"key": "topic", "name": "Topic", "type": "string", "required": true},
        {"key": "suffix", "name": "Suffix", "type": "string", "required": true, "default": "!"}],
      "steps": [
        {"key": "c", "action_type": "utils.echo", "depends_on": ["b"], "parameters": {"data": "{{steps.b}}{{suffix}}"}},
        {"key": "a", "action_type": "utils.echo", "parameters": {"data": {"word": "{{topic}}", "n": 2}}},
        {"key": "b", "action_type": "utils.echo", "depends_on": "a", "parameters": {"data": "{{steps.a.word}} x {{steps.a.n}}"}},
        {"key": "d", "action_type": "utils.echo", "parameters": {"data": "{{steps.a.n}}"}}
      ]})");
    writeBot(u"profile"_s, R"({
      "bot": {"key": "profile"},
      "steps": [
        {"key": "raw", "action_type": "utils.echo", "parameters": {"data": "{\"name\": \"Ada\", \"tags\": [\"math\", \"engines\"]}"}},
        {"key": "parse", "action_type": "utils.parse_json", "depends_on": ["raw"], "parameters": {"json_data": "{{steps.raw}}"}},
        {"key": "greet", "action_type": "utils.write", "depends_on": ["parse"],
         "parameters": {"content": "Hello {{steps.parse.name}}, fan of {{steps.parse.tags.1}}"}}
      ]})");
    writeBot(u"handlers"_s, R"({
      "bot": {"key": "handlers"},
      "steps": [
        {"key": "check", "action_type": "utils.raise", "parameters": {"message": "disk full"},
         "result_handlers": [
           {"type": "intermediate", "if_conditions": [{"type": "IsSuccess"}],
            "steps": [{"key": "never1", "action_type": "utils.echo", "parameters": {"data": 1}}]},
           {"type": "intermediate", "if_conditions": [{"type": "IsError"}, {"type": "TextContains", "text": "DISK"}],
            "steps": [{"key": "recover", "action_type": "utils.echo", "parameters": {"data": "cleaned up"}}]}]},
        {"key": "classify", "action_type": "utils.echo", "depends_on": ["check"], "parameters": {"data": {"content": "Label: Urgent"}},
         "result_handlers": [
           {"if_conditions": [{"type": "IsSuccess"}, {"type": "TextContains", "text": "urgent"}],
            "steps": [{"key": "page", "action_type": "utils.echo", "parameters": {"data": "paged"}}]},
           {"if_conditions": {"type": "TextContains", "text": "urgent", "case_sensitive": true},
            "steps": [{"key": "never2", "action_type": "utils.echo", "parameters": {"data": 2}}]},
           {"if_conditions": {"type": "TextContains", "text": "calm", "not": true},
            "steps": [{"key": "notcalm", "action_type": "utils.echo", "parameters": {"data": "{{steps.page}} and not calm"}}]}]},
        {"key": "done", "action_type": "utils.echo", "depends_on": ["classify"], "parameters": {"data": "{{steps.notcalm}}"}}
      ]})");
    writeBot(u"gatekeeper"_s, R"({
      "bot": {"key": "gatekeeper"},
      "steps": [
        {"key": "check", "action_type": "utils.echo", "parameters": {"data": "stop here"},
         "result_handlers": [{"type": "final", "if_conditions": [{"type": "TextContains", "text": "stop"}],
           "steps": [{"key": "wrap", "action_type": "utils.echo", "parameters": {"data": "wrapped"}},
                     {"key": "answer", "action_type": "utils.echo", "depends_on": ["wrap"], "parameters": {"data": "final answer"}}]}]},
        {"key": "later", "action_type": "utils.write", "depends_on": ["check"], "parameters": {"content": "never written"}}
      ]})");
    writeBot(u"fails"_s, R"({
      "bot": {"key": "fails"},
      "steps": [
        {"key": "first", "action_type": "utils.echo", "parameters": {"data": "fine"}},
        {"key": "boom", "action_type": "utils.raise", "parameters": {"message": "no luck"},
         "result_handlers": [{"if_conditions": {"type": "IsSuccess"},
           "steps": [{"key": "cheer", "action_type": "utils.echo", "parameters": {"data": "yay"}}]},
           {"if_conditions": {"type": "TextContains", "text": "luck"},
           "steps": [{"key": "unlucky", "action_type": "utils.echo", "parameters": {"data": "not an IsError handler"}}]}]},
        {"key": "after", "action_type": "utils.echo", "parameters": {"data": "never"}},
        {"key": "last", "action_type": "utils.write", "parameters": {"content": "never"}}
      ]})");
    writeBot(u"outer"_s, R"({
      "bot": {"key": "outer", "name": "Outer"},
      "parameter_definitions": [{"key": "topic", "name": "Topic", "required": true}],
      "steps": [
        {"key": "research", "action_type": "bot.invoke", "parameters": {"bot_key": "middle", "parameters": {"topic": "{{topic}}"}}},
        {"key": "use", "action_type": "utils.echo", "depends_on": ["research"], "parameters": {"data": "got {{steps.research}}"}}
      ]})");
    writeBot(u"middle"_s, R"({
      "bot": {"key": "middle"},
      "parameter_definitions": [{"key": "topic", "name": "Topic", "required": true}],
      "steps": [
        {"key": "deeper", "action_type": "bot.invoke",
         "parameters": {"bot_key": "inner", "parameters": {"word": "{{topic}}"},
                        "messages": [{"role": "user", "content": "inner question"}]}},
        {"key": "shout", "action_type": "utils.echo", "depends_on": ["deeper"], "parameters": {"data": "{{steps.deeper.content}}!"}}
      ]})");
    writeBot(u"inner"_s, R"({
      "bot": {"key": "inner"},
      "parameter_definitions": [{"key": "word", "name": "Word", "required": true}],
      "steps": [{"key": "say", "action_type": "utils.write", "parameters": {"content": "{{word}} / {{query}}"}}]})");
    writeBot(u"ping"_s, R"({
      "bot": {"key": "ping"},
      "steps": [{"key": "call", "action_type": "bot.invoke", "parameters": {"bot_key": "pong"}},
                {"key": "after", "action_type": "utils.echo", "parameters": {"data": 1}}]})");
    writeBot(u"pong"_s, R"({
      "bot": {"key": "pong"},
      "steps": [{"key": "back", "action_type": "bot.invoke", "parameters": {"bot_key": "ping"}}]})");
    writeBot(u"shows"_s, R"({
      "bot": {"key": "shows"},
      "steps": [
        {"key": "quiet", "action_type": "utils.echo", "parameters": {"data": "not shown"}},
        {"key": "loud", "action_type": "utils.echo", "user_output_visibility": "visible", "parameters": {"data": "shown text"}},
        {"key": "table", "action_type": "utils.echo", "user_output_visibility": "visible", "parameters": {"data": {"rows": [1, 2]}}},
        {"key": "note", "action_type": "utils.write", "user_output_visibility": "hidden", "parameters": {"content": "for the logs"}},
        {"key": "status", "action_type": "utils.send_status", "parameters": {"status": "working", "message": "half way"}},
        {"key": "raw", "action_type": "utils.echo", "user_output_visibility": "visible", "output_content_type": "json",
         "parameters": {"data": "[1,2]"}}
      ]})");
    writeBot(u"needs"_s, R"({
      "bot": {"key": "needs"},
      "parameter_definitions": [
        {"key": "topic", "name": "Topic", "required": true},
        {"key": "lang", "name": "Language", "required": true, "default": "en"},
        {"key": "tone", "name": "Tone", "required": true},
        {"key": "extra", "name": "Extra", "required": false}],
      "steps": [{"key": "a", "action_type": "utils.echo", "parameters": {"data": "{{topic}}"}}]})");
    writeBot(u"oddity"_s, R"({
      "bot": {"key": "oddity"},
      "steps": [
        {"key": "first", "action_type": "utils.echo", "parameters": {"data": 1}},
        {"key": "weird", "action_type": "nope.nothing"},
        {"key": "after", "action_type": "utils.echo", "parameters": {"data": 2}}
      ]})");
    writeBot(u"broken"_s, R"({
      "bot": {"key": "broken"},
      "steps": [
        {"key": "a", "action_type": "utils.echo", "parameters": {"data": "{{steps.nothere.x}}"}},
        {"key": "b", "action_type": "utils.echo", "parameters": {"data": 2}}
      ]})");
    writeBot(u"manual"_s, R"({
      "bot": {"key": "manual"},
      "steps": [
        {"key": "normalise", "action_type": "utils.echo", "parameters": {"data": "raw question"}},
        {"key": "answer", "action_type": "llm.message", "depends_on": ["normalise"], "parameters": {"query": "{{steps.normalise}}"}},
        {"key": "parse", "action_type": "utils.parse_json", "depends_on": ["answer"], "parameters": {"json_data": "{{steps.answer.content}}"}}
      ]})");
    writeBot(u"wrapper"_s, R"({
      "bot": {"key": "wrapper"},
      "steps": [
        {"key": "ask", "action_type": "bot.invoke", "parameters": {"bot_key": "asker"},
         "result_handlers": [{"if_conditions": {"type": "IsError"},
           "steps": [{"key": "rescue", "action_type": "utils.echo", "parameters": {"data": "a missing mock is not handled"}}]}]},
        {"key": "after", "action_type": "utils.echo", "parameters": {"data": "never"}}
      ]})");
    writeBot(u"asker"_s, R"({
      "bot": {"key": "asker"},
      "steps": [
        {"key": "prep", "action_type": "utils.echo", "parameters": {"data": "ready"}},
        {"key": "answer", "action_type": "llm.message", "parameters": {"query": "{{query}}"}},
        {"key": "tail", "action_type": "utils.echo", "parameters": {"data": "never"}}
      ]})");
    writeBot(u"slowly"_s, R"({
      "bot": {"key": "slowly"},
      "steps": [
        {"key": "first", "action_type": "utils.echo", "parameters": {"data": 1}},
        {"key": "second", "action_type": "utils.echo", "parameters": {"data": 2}},
        {"key": "third", "action_type": "utils.write", "parameters": {"content": "three"}}
      ]})");

    BotCatalog catalog;
    catalog.load({m_dir.path()});
    for (const LoadProblem &problem : catalog.problems())
        qWarning() << problem.toString();
    QCOMPARE(catalog.problems().size(), 0);
}

void TestExecutor::dependsOnOrderAndTemplates()
{
    const RunResult r = run(request(u"pipeline"_s, {{"topic", "owls"}}));
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started pipeline
step_started a utils.echo {"data":{"n":2,"word":"owls"}}
step_finished a success live output={"n":2,"word":"owls"}
step_started b utils.echo {"data":"owls x 2"}
step_finished b success live output="owls x 2"
step_started c utils.echo {"data":"owls x 2!"}
step_finished c success live output="owls x 2!"
step_started d utils.echo {"data":2}
step_finished d success live output=2
invocation_finished success content=[]
)");
    QVERIFY(sameDump(r.dump, expected));
    QCOMPARE(r.outcome.status, u"success"_s);
    QCOMPARE(r.outcome.output, Json(2));
}

void TestExecutor::parseJsonFeedsLaterStep()
{
    const RunResult r = run(request(u"profile"_s));
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started profile
step_started raw utils.echo {"data":"{\"name\": \"Ada\", \"tags\": [\"math\", \"engines\"]}"}
step_finished raw success live output="{\"name\": \"Ada\", \"tags\": [\"math\", \"engines\"]}"
step_started parse utils.parse_json {"json_data":"{\"name\": \"Ada\", \"tags\": [\"math\", \"engines\"]}"}
step_finished parse success live output={"name":"Ada","tags":["math","engines"]}
step_started greet utils.write {"content":"Hello Ada, fan of engines"}
content greet visible text greet "Hello Ada, fan of engines"
step_finished greet success live output={"content":"Hello Ada, fan of engines"}
invocation_finished success content=[{"content":"Hello Ada, fan of engines","content_type":"text"}]
)");
    QVERIFY(sameDump(r.dump, expected));
}

void TestExecutor::resultHandlers()
{
    // IsError (with TextContains) handles the raise, so the bot goes on; TextContains is
    // case-insensitive unless asked, and "not" inverts it.
    const RunResult r = run(request(u"handlers"_s));
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started handlers
step_started check utils.raise {"message":"disk full"}
step_finished check error live output={"message":"disk full"} error=disk full
step_started recover utils.echo {"data":"cleaned up"}
step_finished recover success live output="cleaned up"
step_started classify utils.echo {"data":{"content":"Label: Urgent"}}
step_finished classify success live output={"content":"Label: Urgent"}
step_started page utils.echo {"data":"paged"}
step_finished page success live output="paged"
step_started notcalm utils.echo {"data":"paged and not calm"}
step_finished notcalm success live output="paged and not calm"
step_started done utils.echo {"data":"paged and not calm"}
step_finished done success live output="paged and not calm"
invocation_finished success content=[]
)");
    QVERIFY(sameDump(r.dump, expected));
    QCOMPARE(r.outcome.status, u"success"_s);
}

void TestExecutor::finalHandlerEndsTheBot()
{
    const RunResult r = run(request(u"gatekeeper"_s));
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started gatekeeper
step_started check utils.echo {"data":"stop here"}
step_finished check success live output="stop here"
step_started wrap utils.echo {"data":"wrapped"}
step_finished wrap success live output="wrapped"
step_started answer utils.echo {"data":"final answer"}
step_finished answer success live output="final answer"
step_finished later skipped
invocation_finished success content=[]
)");
    QVERIFY(sameDump(r.dump, expected));
    QCOMPARE(r.outcome.output, Json("final answer"));
}

void TestExecutor::unhandledFailureSkipsTheRest()
{
    // A handler without IsError does not handle a failure, even when it would apply.
    const RunResult r = run(request(u"fails"_s));
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started fails
step_started first utils.echo {"data":"fine"}
step_finished first success live output="fine"
step_started boom utils.raise {"message":"no luck"}
step_finished boom error live output={"message":"no luck"} error=no luck
step_finished after skipped
step_finished last skipped
invocation_finished error content=[] error=step "boom" (utils.raise) failed: no luck
)");
    QVERIFY(sameDump(r.dump, expected));
    QCOMPARE(r.outcome.status, u"error"_s);
    const QString error = golden(R"(step "boom" (utils.raise) failed: no luck)");
    QCOMPARE(r.outcome.error, error);
}

void TestExecutor::nestedBotInvoke()
{
    InvokeRequest req = request(u"outer"_s, {{"topic", "owls"}});
    req.messages = {Message::user(u"outer question"_s)};
    const RunResult r = run(req);
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started outer
step_started research bot.invoke {"bot_key":"middle","parameters":{"topic":"owls"}}
step_started research/deeper bot.invoke {"bot_key":"inner","messages":[{"content":"inner question","role":"user"}],"parameters":{"word":"owls"}}
step_started research/deeper/say utils.write {"content":"owls / inner question"}
content research/deeper/say visible text research/deeper/say "owls / inner question"
step_finished research/deeper/say success live output={"content":"owls / inner question"}
step_finished research/deeper success live output={"content":"owls / inner question"}
step_started research/shout utils.echo {"data":"owls / inner question!"}
step_finished research/shout success live output="owls / inner question!"
step_finished research success live output="owls / inner question!"
step_started use utils.echo {"data":"got owls / inner question!"}
step_finished use success live output="got owls / inner question!"
invocation_finished success content=[{"content":"owls / inner question","content_type":"text"}]
)");
    QVERIFY(sameDump(r.dump, expected));
    QCOMPARE(r.outcome.output, Json("got owls / inner question!"));
}

void TestExecutor::recursionCycle()
{
    const RunResult r = run(request(u"ping"_s));
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started ping
step_started call bot.invoke {"bot_key":"pong"}
step_started call/back bot.invoke {"bot_key":"ping"}
step_finished call/back error live error=bot.invoke cycle: ping -> pong -> ping
step_finished call error live error=step "call/back" (bot.invoke) failed: bot.invoke cycle: ping -> pong -> ping
step_finished after skipped
invocation_finished error content=[] error=step "call/back" (bot.invoke) failed: bot.invoke cycle: ping -> pong -> ping
)");
    QVERIFY(sameDump(r.dump, expected));
}

void TestExecutor::visibilityAndContent()
{
    // llm.message and utils.write are visible by default, the rest hidden; a visible step
    // that wrote nothing shows its output (JSON for non-text); hidden content still streams.
    const RunResult r = run(request(u"shows"_s));
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started shows
step_started quiet utils.echo {"data":"not shown"}
step_finished quiet success live output="not shown"
step_started loud utils.echo {"data":"shown text"}
content loud visible text loud "shown text"
step_finished loud success live output="shown text"
step_started table utils.echo {"data":{"rows":[1,2]}}
content table visible json table "{\"rows\":[1,2]}"
step_finished table success live output={"rows":[1,2]}
step_started note utils.write {"content":"for the logs"}
content note hidden text note "for the logs"
step_finished note success live output={"content":"for the logs"}
step_started status utils.send_status {"message":"half way","status":"working"}
status status working: half way
step_finished status success live output={"message":"half way","status":"working"}
step_started raw utils.echo {"data":"[1,2]"}
content raw visible json raw "[1,2]"
step_finished raw success live output="[1,2]"
invocation_finished success content=[{"content":"shown text","content_type":"text"},{"content":"{\"rows\":[1,2]}","content_type":"json"},{"content":"[1,2]","content_type":"json"}]
)");
    QVERIFY(sameDump(r.dump, expected));
}

void TestExecutor::missingRequiredParameter()
{
    const RunResult r = run(request(u"needs"_s));
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started needs
invocation_finished error content=[] error=bot "needs": missing required parameters "topic", "tone"
)");
    QVERIFY(sameDump(r.dump, expected));

    const RunResult one = run(request(u"needs"_s, {{"tone", "dry"}}));
    const QString oneMissing = golden(R"(bot "needs": missing required parameter "topic")");
    QCOMPARE(one.outcome.error, oneMissing);

    // The default fills a required parameter; an optional one may stay unset.
    const RunResult ok = run(request(u"needs"_s, {{"tone", "dry"}, {"topic", "owls"}}));
    QCOMPARE(ok.outcome.status, u"success"_s);
    QCOMPARE(ok.outcome.output, Json("owls"));
}

void TestExecutor::unknownActionType()
{
    const RunResult r = run(request(u"oddity"_s));
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started oddity
step_started first utils.echo {"data":1}
step_finished first success live output=1
step_started weird nope.nothing {}
step_finished weird error live error=unknown action type "nope.nothing"
step_finished after skipped
invocation_finished error content=[] error=step "weird" (nope.nothing) failed: unknown action type "nope.nothing"
)");
    QVERIFY(sameDump(r.dump, expected));
}

void TestExecutor::templateErrorFailsTheStep()
{
    const RunResult r = run(request(u"broken"_s));
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started broken
step_started a utils.echo {"data":"{{steps.nothere.x}}"}
step_finished a error error=template {{steps.nothere.x}}: step "nothere" has not run
step_finished b skipped
invocation_finished error content=[] error=step "a" (utils.echo) failed: template {{steps.nothere.x}}: step "nothere" has not run
)");
    QVERIFY(sameDump(r.dump, expected));
}

void TestExecutor::manualModeMocks()
{
    // A step-path mock overrides a pure step; an action-type mock answers llm.message,
    // and its content streams as if the LLM had said it; the pure parse still computes.
    InvokeRequest req = request(u"manual"_s);
    req.mode = Mode::manual();
    req.manualMocks.insert(u"normalise"_s, {true, Json("mocked question"), {}});
    req.manualMocks.insert(u"llm.message"_s, {true, Json{{"content", "{\"ok\": true}"}, {"finish_reason", "stop"}}, {}});
    const RunResult r = run(req);
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started manual
step_started normalise utils.echo {"data":"raw question"}
step_finished normalise success mock output="mocked question"
step_started answer llm.message {"query":"mocked question"}
content answer visible text answer "{\"ok\": true}"
step_finished answer success mock output={"content":"{\"ok\": true}","finish_reason":"stop"}
step_started parse utils.parse_json {"json_data":"{\"ok\": true}"}
step_finished parse success live output={"ok":true}
invocation_finished success content=[{"content":"{\"ok\": true}","content_type":"text"}]
)");
    QVERIFY(sameDump(r.dump, expected));
}

void TestExecutor::missingMockEndsTheInvocation()
{
    // Inside a sub-bot: the IsError handler on the bot.invoke step does not turn a
    // missing mock into a handled failure; the run ends naming the nested path and type.
    InvokeRequest req = request(u"wrapper"_s);
    req.mode = Mode::manual();
    const RunResult r = run(req);
    QVERIFY(wellFormed(r));
    const QString error = golden(R"(no mock for step "ask/answer" (llm.message): add a mock keyed "ask/answer" or "llm.message" to the mock set)");
    const QString expected = golden(R"(
invocation_started wrapper
step_started ask bot.invoke {"bot_key":"asker"}
step_started ask/prep utils.echo {"data":"ready"}
step_finished ask/prep success live output="ready"
step_started ask/answer llm.message {"query":"hi"}
step_finished ask/answer error mock error=%1
step_finished ask/tail skipped
step_finished ask error live error=%1
step_finished after skipped
invocation_finished error content=[] error=%1
)").arg(error);
    QVERIFY(sameDump(r.dump, expected));
    QCOMPARE(r.outcome.error, error);
}

void TestExecutor::stepPathMockForANestedStep()
{
    InvokeRequest req = request(u"wrapper"_s);
    req.mode = Mode::manual();
    req.manualMocks.insert(u"ask/answer"_s, {true, Json{{"content", "mocked deep down"}}, {}});
    const RunResult r = run(req);
    QVERIFY(wellFormed(r));
    QCOMPARE(r.outcome.status, u"success"_s);
    QCOMPARE(r.outcome.output, Json("never")); // wrapper's last step ran: "after"
    const QStringList lines = r.dump.split(u'\n');
    const QStringList wanted{
        golden(R"(content ask/answer visible text ask/answer "mocked deep down")"),
        golden(R"(step_finished ask/answer success mock output={"content":"mocked deep down"})"),
        golden(R"(step_finished ask success live output="never")")};
    for (const QString &line : wanted)
        QVERIFY2(lines.contains(line), qPrintable(line));
}

void TestExecutor::cancelBetweenSteps()
{
    const RunResult r = run(request(u"slowly"_s), [](const Event &event, CancelToken &cancel) {
        if (event.type == u"step_finished"_s && event.path == u"first"_s)
            cancel.cancel();
    });
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started slowly
step_started first utils.echo {"data":1}
step_finished first success live output=1
step_finished second skipped
step_finished third skipped
invocation_finished cancelled content=[] error=cancelled
)");
    QVERIFY(sameDump(r.dump, expected));
    QCOMPARE(r.outcome.status, u"cancelled"_s);
    QCOMPARE(r.outcome.error, u"cancelled"_s);
}

void TestExecutor::cancelInsideASubBot()
{
    // The sub-bot stops before its next step; the bot.invoke step that was running
    // finishes as cancelled and the parent's remaining steps are skipped.
    const RunResult r = run(request(u"outer"_s, {{"topic", "owls"}}), [](const Event &event, CancelToken &cancel) {
        if (event.type == u"step_finished"_s && event.path == u"research/deeper/say"_s)
            cancel.cancel();
    });
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started outer
step_started research bot.invoke {"bot_key":"middle","parameters":{"topic":"owls"}}
step_started research/deeper bot.invoke {"bot_key":"inner","messages":[{"content":"inner question","role":"user"}],"parameters":{"word":"owls"}}
step_started research/deeper/say utils.write {"content":"owls / inner question"}
content research/deeper/say visible text research/deeper/say "owls / inner question"
step_finished research/deeper/say success live output={"content":"owls / inner question"}
step_finished research/deeper success live output={"content":"owls / inner question"}
step_finished research/shout skipped
step_finished research cancelled live error=cancelled
step_finished use skipped
invocation_finished cancelled content=[{"content":"owls / inner question","content_type":"text"}] error=cancelled
)");
    QVERIFY(sameDump(r.dump, expected));
}

void TestExecutor::unknownBot()
{
    const RunResult r = run(request(u"nobody"_s));
    QVERIFY(wellFormed(r));
    const QString expected = golden(R"(
invocation_started nobody
invocation_finished error content=[] error=bot "nobody" not found
)");
    QVERIFY(sameDump(r.dump, expected));
}

QTEST_GUILESS_MAIN(TestExecutor)
#include "tst_executor.moc"
