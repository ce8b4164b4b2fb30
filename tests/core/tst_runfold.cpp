// The one fold from events to an InvokeResult (core/fold/runfold.h), fed with the
// events of core/wire/events.h and with the plainer shapes older servers send.
#include "core/fold/runfold.h"
#include "core/wire/events.h"

#include <QtTest/QTest>

using namespace invoke;
using namespace Qt::StringLiterals;

// Compares JSON as canonical text: readable when it fails.
#define QCOMPARE_JSON(actual, expected) QCOMPARE(dumpJson(actual), dumpJson(expected))

namespace {

wire::Stamp at(qint64 seq, const QString &path = {})
{
    return wire::Stamp{u"inv-7"_s, seq, 100 + seq, path};
}

Json parse(const char *text)
{
    return Json::parse(text);
}

Event raw(const char *json)
{
    auto event = Event::decode(QByteArrayView(json, qsizetype(strlen(json))));
    Q_ASSERT(event);
    return *event;
}

// The events of a run with a nested sub-bot, a skipped step and two messages.
QList<Event> nestedRun()
{
    using namespace wire;
    return {
        invocationStarted(at(0), u"Researcher"_s, u"research"_s, u"bot-1"_s),
        stepStarted(at(1, u"plan"_s), u"plan"_s, u"utils.echo"_s, parse(R"({"data": {"topic": "sse"}})")),
        stepFinished(at(2, u"plan"_s), u"plan"_s, u"utils.echo"_s, StepStatus::Success, parse(R"({"topic": "sse"})"),
                     {}, Source::Live, 1),
        stepStarted(at(3, u"research"_s), u"research"_s, u"bot.invoke"_s, parse(R"({"bot": "summariser"})")),
        stepStarted(at(4, u"research/summarise"_s), u"summarise"_s, u"llm.message"_s, parse(R"({"query": "sse"})")),
        messageContent(at(5, u"research/summarise"_s), u"Server-"_s, u"msg-a"_s, u"text"_s, true),
        messageContent(at(6, u"research/summarise"_s), u"sent "_s, u"msg-a"_s, u"text"_s, true),
        messageContent(at(7, u"research/summarise"_s), u"{\"note\":1}"_s, u"msg-b"_s, u"json"_s, false),
        messageContent(at(8, u"research/summarise"_s), u"events."_s, u"msg-a"_s, u"text"_s, true),
        stepFinished(at(9, u"research/summarise"_s), u"summarise"_s, u"llm.message"_s, StepStatus::Success,
                     parse(R"({"content": "Server-sent events."})"), {}, Source::ReplayHit, 35,
                     Usage{12, 3}),
        stepFinished(at(10, u"research"_s), u"research"_s, u"bot.invoke"_s, StepStatus::Success, parse(R"({"ok": true})"),
                     {}, Source::Unknown, 40),
        stepFinished(at(11, u"fallback"_s), u"fallback"_s, u"utils.echo"_s, StepStatus::Skipped, Json(), {}, Source::Unknown, -1),
        statusUpdate(at(12), u"info"_s, u"done"_s),
        invocationFinished(at(13), u"success"_s,
                           parse(R"([{"content_type": "text", "content": "Server-sent events."}])"), {}),
    };
}

} // namespace

class TestRunFold : public QObject
{
    Q_OBJECT

private slots:
    void foldsANestedRun();
    void batchesFoldLikeSingleEvents();
    void failedRun();
    void plainSdkShapes();
    void cancelled();
    void cutOff();
    void stepRunTwice();
    void manyChunksMakeOneMessage();
    void textChunkShapes_data();
    void textChunkShapes();
    void changesOfANestedRun();
    void changesOfAStepRunTwice();
    void changeOfAStepThatOnlyEnds();
    void changesOfTextChunks();
    void markReturnsTheChangedSteps();
};

void TestRunFold::foldsANestedRun()
{
    RunFold builder;
    const QList<Event> events = nestedRun();
    for (const Event &e : events)
        builder.add(e);
    const InvokeResult &r = builder.result();

    QVERIFY(builder.hasFinalEvent());
    QVERIFY(r.success);
    QCOMPARE(r.error, QString());
    QCOMPARE(r.botName, u"Researcher"_s);
    QCOMPARE(r.botKey, u"research"_s);
    QCOMPARE(r.botId, u"bot-1"_s);
    QCOMPARE(r.invocationId, u"inv-7"_s);
    // The fold keeps no events: whoever wants them keeps them (docs/architecture.md).
    QVERIFY(r.events.isEmpty());
    QCOMPARE(builder.eventCount(), qint64(events.size()));
    QCOMPARE_JSON(r.result, parse(R"({"status": "success", "error": null,
                                  "output": {"content": [{"content_type": "text", "content": "Server-sent events."}]}})"));

    QCOMPARE(r.steps.size(), qsizetype(4));
    StepRecord summarise;
    summarise.path = u"research/summarise"_s;
    summarise.key = u"summarise"_s;
    summarise.actionType = u"llm.message"_s;
    summarise.status = StepStatus::Success;
    summarise.source = Source::ReplayHit;
    summarise.parameters = parse(R"({"query": "sse"})");
    summarise.output = parse(R"({"content": "Server-sent events."})");
    summarise.startedMs = 104;
    summarise.durationMs = 35;
    summarise.inputTokens = 12;
    summarise.outputTokens = 3;
    QCOMPARE(r.steps[2], summarise);

    QStringList order;
    for (const StepRecord &s : r.steps)
        order.append(s.path + u' ' + wireName(s.status) + u' ' + wireName(s.source));
    QCOMPARE(order, (QStringList{u"plan success live"_s, u"research success "_s,
                                 u"research/summarise success replay_hit"_s, u"fallback skipped "_s}));
    QCOMPARE(builder.stepIndex(u"research/summarise"_s), 2);
    QCOMPARE(builder.stepIndex(u"nope"_s), -1);

    // The skipped step only had its step_finished.
    const StepRecord &fallback = r.steps[3];
    QCOMPARE(fallback.key, u"fallback"_s);
    QCOMPARE(fallback.actionType, u"utils.echo"_s);
    QCOMPARE(fallback.startedMs, qint64(-1));
    QCOMPARE(fallback.durationMs, qint64(-1));
    QVERIFY(!fallback.completed());

    QCOMPARE(r.messages, (QList<StepMessage>{
                             StepMessage{u"msg-a"_s, u"research/summarise"_s, u"text"_s, true, u"Server-sent events."_s},
                             StepMessage{u"msg-b"_s, u"research/summarise"_s, u"json"_s, false, u"{\"note\":1}"_s}}));
    QCOMPARE(r.visibleText(), u"Server-sent events."_s);
}

void TestRunFold::batchesFoldLikeSingleEvents()
{
    RunFold one;
    RunFold batched;
    const QList<Event> events = nestedRun();
    for (const Event &e : events)
        one.add(e);
    batched.add(events.mid(0, 5));
    batched.add(events.mid(5));
    QCOMPARE(batched.result(), one.result());
}

void TestRunFold::failedRun()
{
    using namespace wire;
    RunFold builder;
    builder.add({invocationStarted(at(0), {}, u"chat"_s, u"chat"_s),
                 stepStarted(at(1, u"answer"_s), u"answer"_s, u"llm.message"_s, Json::object()),
                 stepFinished(at(2, u"answer"_s), u"answer"_s, u"llm.message"_s, StepStatus::Error, Json(),
                              u"HTTP 429: slow down"_s, Source::Live, 5),
                 invocationFinished(at(3), u"error"_s, Json::array(), u"step \"answer\" failed: HTTP 429: slow down"_s)});
    const InvokeResult &r = builder.result();
    QVERIFY(builder.hasFinalEvent());
    QVERIFY(!r.success);
    QCOMPARE(r.error, u"step \"answer\" failed: HTTP 429: slow down"_s);
    QCOMPARE(r.steps.size(), qsizetype(1));
    QCOMPARE(r.steps[0].status, StepStatus::Error);
    QCOMPARE(r.steps[0].error, u"HTTP 429: slow down"_s);
    QCOMPARE_JSON(r.steps[0].output, Json());

    // A final event that fails without saying why still gets an error.
    RunFold quiet;
    quiet.add(invocationFinished(at(0), u"error"_s, Json::array(), {}));
    QCOMPARE(quiet.result().error, u"the invocation ended with status \"error\""_s);
}

void TestRunFold::plainSdkShapes()
{
    // No type, no metadata additions (no path, seq or t_ms): what older servers send.
    RunFold builder;
    builder.add({raw(R"({"payload": {"bot_name": "Plain", "invocation_id": "p-1"}, "metadata": {}})"),
                 raw(R"({"payload": {"key": "answer", "action_type": "llm.message", "parameters": {"q": 1}}})"),
                 raw(R"({"payload": "Hel", "metadata": {"message_content_id": "m", "content_type": "text", "user_visibility": "visible"}})"),
                 raw(R"({"payload": "lo", "metadata": {"message_content_id": "m"}})"),
                 raw(R"({"payload": {"status": "step finished", "key": "answer", "result": {"status": "success", "output": "Hello"}}})"),
                 raw(R"({"payload": {"something": "new"}, "metadata": {"seq": 9}})"),
                 raw(R"({"payload": {"status": "success", "output": {"content": []}}})")});
    const InvokeResult &r = builder.result();
    QVERIFY(r.success);
    QCOMPARE(r.botName, u"Plain"_s);
    QCOMPARE(r.invocationId, u"p-1"_s);
    QVERIFY(r.events.isEmpty());
    QCOMPARE(builder.eventCount(), qint64(7));
    QCOMPARE(r.steps.size(), qsizetype(1));
    QCOMPARE(r.steps[0].path, u"answer"_s);
    QCOMPARE(r.steps[0].actionType, u"llm.message"_s);
    QCOMPARE_JSON(r.steps[0].parameters, parse(R"({"q": 1})"));
    QCOMPARE(r.steps[0].startedMs, qint64(-1));
    QCOMPARE(r.steps[0].status, StepStatus::Success);
    QCOMPARE_JSON(r.steps[0].output, Json("Hello"));
    QCOMPARE(r.messages.size(), qsizetype(1));
    QCOMPARE(r.messages[0].content, u"Hello"_s);
    QCOMPARE(r.messages[0].path, QString());
    QCOMPARE(r.visibleText(), u"Hello"_s);
}

void TestRunFold::cancelled()
{
    using namespace wire;
    RunFold builder;
    builder.add({invocationStarted(at(0), u"Chat"_s, u"chat"_s, u"chat"_s),
                 stepStarted(at(1, u"plan"_s), u"plan"_s, u"utils.echo"_s, Json::object()),
                 stepFinished(at(2, u"plan"_s), u"plan"_s, u"utils.echo"_s, StepStatus::Success, Json(1), {}, Source::Unknown, 0),
                 stepStarted(at(3, u"answer"_s), u"answer"_s, u"llm.message"_s, Json::object())});
    builder.markCancelled();
    const InvokeResult &r = builder.result();
    QVERIFY(r.cancelled);
    QVERIFY(!r.success);
    QVERIFY(!builder.hasFinalEvent());
    QCOMPARE(r.error, u"cancelled"_s);
    QCOMPARE(r.steps[0].status, StepStatus::Success);
    QCOMPARE(r.steps[1].status, StepStatus::Cancelled);
}

void TestRunFold::cutOff()
{
    using namespace wire;
    RunFold builder;
    builder.add({invocationStarted(at(0), u"Chat"_s, u"chat"_s, u"chat"_s),
                 stepStarted(at(1, u"answer"_s), u"answer"_s, u"llm.message"_s, Json::object()),
                 messageContent(at(2, u"answer"_s), u"Half an ans"_s, u"m"_s, u"text"_s, true)});
    builder.markFailed(u"the connection closed before the invocation finished"_s);
    const InvokeResult &r = builder.result();
    QVERIFY(!r.success);
    QVERIFY(!r.cancelled);
    QCOMPARE(r.error, u"the connection closed before the invocation finished"_s);
    QCOMPARE(r.steps[0].status, StepStatus::Error);
    QCOMPARE(r.steps[0].error, r.error);
    QCOMPARE(r.visibleText(), u"Half an ans"_s);
}

void TestRunFold::stepRunTwice()
{
    using namespace wire;
    RunFold builder;
    builder.add({stepStarted(at(1, u"loop"_s), u"loop"_s, u"utils.echo"_s, Json(1)),
                 stepFinished(at(2, u"loop"_s), u"loop"_s, u"utils.echo"_s, StepStatus::Success, Json(1), {}, Source::Unknown, 1),
                 stepStarted(at(3, u"loop"_s), u"loop"_s, u"utils.echo"_s, Json(2)),
                 stepFinished(at(4, u"loop"_s), u"loop"_s, u"utils.echo"_s, StepStatus::Error, Json(), u"no"_s, Source::Unknown, 1)});
    const InvokeResult &r = builder.result();
    QCOMPARE(r.steps.size(), qsizetype(2));
    QCOMPARE(r.steps[0].status, StepStatus::Success);
    QCOMPARE(r.steps[1].status, StepStatus::Error);
    QCOMPARE(builder.stepIndex(u"loop"_s), 1);
}

void TestRunFold::manyChunksMakeOneMessage()
{
    // A long LLM answer: every chunk lands, in order, in the one message of its id.
    RunFold builder;
    QString expected;
    for (int i = 0; i < 50000; ++i) {
        const QString chunk = QString::number(i % 10);
        expected += chunk;
        builder.add(wire::messageContent(at(i, u"answer"_s), chunk, u"m"_s, u"text"_s, true));
    }
    QCOMPARE(builder.result().messages.size(), qsizetype(1));
    QCOMPARE(builder.result().messages[0].content, expected);
    QCOMPARE(builder.eventCount(), qint64(50000));
}

void TestRunFold::textChunkShapes_data()
{
    // Typed text chunks are read without a DOM (wire::readTextChunk); odd shapes must
    // still give what the parsed event says.
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<StepMessage>("expected");
    const QByteArray type = R"("type":"message_content",)";
    QTest::newRow("usual") << QByteArray("{" + type + R"("payload":"Hi","metadata":{"path":"a","message_content_id":"m","content_type":"json","user_visibility":"hidden"}})")
                           << StepMessage{u"m"_s, u"a"_s, u"json"_s, false, u"Hi"_s};
    QTest::newRow("no metadata") << QByteArray("{" + type + R"("payload":"Hi"})")
                                 << StepMessage{QString(), QString(), u"text"_s, true, u"Hi"_s};
    QTest::newRow("fields not strings")
        << QByteArray("{" + type + R"("payload":"x","metadata":{"message_content_id":3,"content_type":[],"user_visibility":false}})")
        << StepMessage{QString(), QString(), u"text"_s, true, u"x"_s};
    QTest::newRow("visibility other than visible")
        << QByteArray("{" + type + R"("payload":"x","metadata":{"user_visibility":"Visible"}})")
        << StepMessage{QString(), QString(), u"text"_s, false, u"x"_s};
    QTest::newRow("payload not a string") << QByteArray("{" + type + R"("payload":{"b":1,"a":[2]},"metadata":{"message_content_id":"j"}})")
                                          << StepMessage{u"j"_s, QString(), u"text"_s, true, u"{\"a\":[2],\"b\":1}"_s};
    QTest::newRow("payload null") << QByteArray("{" + type + R"("payload":null,"metadata":{"message_content_id":"n"}})")
                                  << StepMessage{u"n"_s, QString(), u"text"_s, true, QString()};
    QTest::newRow("repeated keys: the last wins")
        << QByteArray("{" + type + R"("payload":"old","metadata":{"message_content_id":"a","content_type":"json"},"payload":"new","metadata":{"message_content_id":"b"}})")
        << StepMessage{u"b"_s, QString(), u"text"_s, true, u"new"_s};
    QTest::newRow("names nested deeper are not read")
        << QByteArray("{" + type + R"("payload":"x","metadata":{"inner":{"message_content_id":"no","user_visibility":"hidden"},"message_content_id":"yes"},"other":{"payload":"no"}})")
        << StepMessage{u"yes"_s, QString(), u"text"_s, true, u"x"_s};
    QTest::newRow("escapes") << QByteArray("{" + type + "\"payload\":\"\\u00e9\\n\\\"\\ud83d\\ude00\"}")
                             << StepMessage{QString(), QString(), u"text"_s, true, u"é\n\"😀"_s};
}

void TestRunFold::textChunkShapes()
{
    QFETCH(QByteArray, json);
    QFETCH(StepMessage, expected);
    RunFold builder;
    builder.add(raw(json.constData()));
    QCOMPARE(builder.result().messages.size(), qsizetype(1));
    QCOMPARE(builder.result().messages.first(), expected);
}

// What add() says it touched: a step (by index, new or not), a message (by index, new or
// not), or nothing.
struct Touched
{
    EventKind kind;
    int step;
    bool stepIsNew;
    int message;
    bool messageIsNew;
};

static FoldChange change(const Touched &t)
{
    return FoldChange{t.kind, t.step, t.stepIsNew, t.message, t.messageIsNew};
}

static QString describe(const FoldChange &c)
{
    return u"kind %1 step %2%3 message %4%5"_s.arg(int(c.kind)).arg(c.step).arg(c.stepIsNew ? u" new"_s : QString())
        .arg(c.message).arg(c.messageIsNew ? u" new"_s : QString());
}

void TestRunFold::changesOfANestedRun()
{
    using K = EventKind;
    const QList<Touched> expected = {
        {K::InvocationStarted, -1, false, -1, false},
        {K::StepStarted, 0, true, -1, false},        // plan
        {K::StepFinished, 0, false, -1, false},
        {K::StepStarted, 1, true, -1, false},        // research
        {K::StepStarted, 2, true, -1, false},        // research/summarise
        {K::MessageContent, -1, false, 0, true},     // msg-a begins
        {K::MessageContent, -1, false, 0, false},
        {K::MessageContent, -1, false, 1, true},     // msg-b begins
        {K::MessageContent, -1, false, 0, false},    // msg-a again
        {K::StepFinished, 2, false, -1, false},
        {K::StepFinished, 1, false, -1, false},
        {K::StepFinished, 3, true, -1, false},       // fallback: skipped, only its end
        {K::Status, -1, false, -1, false},
        {K::InvocationFinished, -1, false, -1, false},
    };
    RunFold fold;
    const QList<Event> events = nestedRun();
    QCOMPARE(events.size(), expected.size());
    for (qsizetype i = 0; i < events.size(); ++i)
        QCOMPARE(describe(fold.add(events[i])), describe(change(expected[i])));
    QCOMPARE(fold.result().invocationId, u"inv-7"_s);
}

void TestRunFold::changesOfAStepRunTwice()
{
    using namespace wire;
    RunFold fold;
    QCOMPARE(fold.add(stepStarted(at(1, u"loop"_s), u"loop"_s, u"utils.echo"_s, Json(1))),
             change({EventKind::StepStarted, 0, true, -1, false}));
    QCOMPARE(fold.add(stepFinished(at(2, u"loop"_s), u"loop"_s, u"utils.echo"_s, StepStatus::Success, Json(1), {},
                                   Source::Live, 1)),
             change({EventKind::StepFinished, 0, false, -1, false}));
    // The second run of the path is a new step; its end goes to it, not to the first.
    QCOMPARE(fold.add(stepStarted(at(3, u"loop"_s), u"loop"_s, u"utils.echo"_s, Json(2))),
             change({EventKind::StepStarted, 1, true, -1, false}));
    QCOMPARE(fold.add(stepFinished(at(4, u"loop"_s), u"loop"_s, u"utils.echo"_s, StepStatus::Error, Json(), u"no"_s,
                                   Source::Live, 1)),
             change({EventKind::StepFinished, 1, false, -1, false}));
    QCOMPARE(fold.result().steps[0].status, StepStatus::Success);
    QCOMPARE(fold.result().steps[1].status, StepStatus::Error);
}

void TestRunFold::changeOfAStepThatOnlyEnds()
{
    // A server that reports only ends (and a skipped step) gives a step_finished for a
    // step never started: it is new, and its next end is not.
    RunFold fold;
    QCOMPARE(fold.add(raw(R"({"payload": {"status": "step finished", "key": "answer", "action_type": "llm.message",
                                          "result": {"status": "success", "output": "Hi"}}})")),
             change({EventKind::StepFinished, 0, true, -1, false}));
    QCOMPARE(fold.result().steps[0].path, u"answer"_s);
    QCOMPARE(fold.result().steps[0].status, StepStatus::Success);
    QCOMPARE(fold.add(raw(R"({"payload": {"status": "step finished", "key": "other",
                                          "result": {"status": "timeout"}}})")),
             change({EventKind::StepFinished, 1, true, -1, false}));
    // A status word we do not know is a step that did not succeed (core/model/invocation/runvalues.h).
    QCOMPARE(fold.result().steps[1].status, StepStatus::Error);
    QCOMPARE(fold.add(raw(R"({"payload": {"status": "step finished", "key": "answer", "result": {"error": "late"}}})")),
             change({EventKind::StepFinished, 0, false, -1, false}));
    QCOMPARE(fold.result().steps[0].status, StepStatus::Error);
}

void TestRunFold::changesOfTextChunks()
{
    using namespace wire;
    RunFold fold;
    fold.add(stepStarted(at(1, u"answer"_s), u"answer"_s, u"llm.message"_s, Json::object()));
    // Typed chunks (read without a DOM) and untyped ones (the plain SDK shape) alike.
    QCOMPARE(fold.add(messageContent(at(2, u"answer"_s), u"Hel"_s, u"m1"_s, u"text"_s, true)),
             change({EventKind::MessageContent, -1, false, 0, true}));
    QCOMPARE(fold.add(messageContent(at(3, u"answer"_s), u"lo"_s, u"m1"_s, u"text"_s, true)),
             change({EventKind::MessageContent, -1, false, 0, false}));
    QCOMPARE(fold.add(raw(R"({"payload": "{}", "metadata": {"message_content_id": "m2", "content_type": "json"}})")),
             change({EventKind::MessageContent, -1, false, 1, true}));
    QCOMPARE(fold.add(raw(R"({"payload": "!", "metadata": {"message_content_id": "m1"}})")),
             change({EventKind::MessageContent, -1, false, 0, false}));
    QCOMPARE(fold.result().messages[0].content, u"Hello!"_s);
    // Not JSON, or of a kind nobody knows: nothing touched, still counted.
    QCOMPARE(fold.add(Event{"not json", {}, {}, -1, -1}), FoldChange());
    QCOMPARE(fold.add(raw(R"({"type": "from_the_future", "payload": 1})")), FoldChange());
    QCOMPARE(fold.eventCount(), qint64(7));
}

void TestRunFold::markReturnsTheChangedSteps()
{
    using namespace wire;
    RunFold fold;
    fold.add({stepStarted(at(1, u"a"_s), u"a"_s, u"utils.echo"_s, Json()),
              stepFinished(at(2, u"a"_s), u"a"_s, u"utils.echo"_s, StepStatus::Success, Json(), {}, Source::Live, 0),
              stepStarted(at(3, u"b"_s), u"b"_s, u"bot.invoke"_s, Json()),
              stepStarted(at(4, u"b/c"_s), u"c"_s, u"llm.message"_s, Json())});
    RunFold failed = fold;
    QCOMPARE(fold.markCancelled(), (QList<int>{1, 2}));
    QCOMPARE(fold.result().steps[2].status, StepStatus::Cancelled);
    QCOMPARE(failed.markFailed(u"cut"_s), (QList<int>{1, 2}));
    QCOMPARE(failed.result().steps[1].error, u"cut"_s);
    QCOMPARE(failed.markFailed(u"again"_s), QList<int>());
}

QTEST_GUILESS_MAIN(TestRunFold)
#include "tst_runfold.moc"
