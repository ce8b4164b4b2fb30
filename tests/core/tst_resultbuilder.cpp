// The one fold from events to an InvokeResult, fed with the events of core/wire/events.h
// and with the plainer shapes older servers send.
#include "core/format/resultbuilder.h"
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
        stepFinished(at(2, u"plan"_s), u"plan"_s, u"utils.echo"_s, u"success"_s, parse(R"({"topic": "sse"})"),
                     {}, QString::fromLatin1(Source::Live), 1),
        stepStarted(at(3, u"research"_s), u"research"_s, u"bot.invoke"_s, parse(R"({"bot": "summariser"})")),
        stepStarted(at(4, u"research/summarise"_s), u"summarise"_s, u"llm.message"_s, parse(R"({"query": "sse"})")),
        messageContent(at(5, u"research/summarise"_s), u"Server-"_s, u"msg-a"_s, u"text"_s, true),
        messageContent(at(6, u"research/summarise"_s), u"sent "_s, u"msg-a"_s, u"text"_s, true),
        messageContent(at(7, u"research/summarise"_s), u"{\"note\":1}"_s, u"msg-b"_s, u"json"_s, false),
        messageContent(at(8, u"research/summarise"_s), u"events."_s, u"msg-a"_s, u"text"_s, true),
        stepFinished(at(9, u"research/summarise"_s), u"summarise"_s, u"llm.message"_s, u"success"_s,
                     parse(R"({"content": "Server-sent events."})"), {}, QString::fromLatin1(Source::ReplayHit), 35,
                     Usage{12, 3}),
        stepFinished(at(10, u"research"_s), u"research"_s, u"bot.invoke"_s, u"success"_s, parse(R"({"ok": true})"),
                     {}, {}, 40),
        stepFinished(at(11, u"fallback"_s), u"fallback"_s, u"utils.echo"_s, u"skipped"_s, Json(), {}, {}, -1),
        statusUpdate(at(12), u"info"_s, u"done"_s),
        invocationFinished(at(13), u"success"_s,
                           parse(R"([{"content_type": "text", "content": "Server-sent events."}])"), {}),
    };
}

} // namespace

class TestResultBuilder : public QObject
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
};

void TestResultBuilder::foldsANestedRun()
{
    ResultBuilder builder;
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
    QCOMPARE(r.events, events);
    QCOMPARE_JSON(r.result, parse(R"({"status": "success", "error": null,
                                  "output": {"content": [{"content_type": "text", "content": "Server-sent events."}]}})"));

    QCOMPARE(r.steps.size(), qsizetype(4));
    StepRecord summarise;
    summarise.path = u"research/summarise"_s;
    summarise.key = u"summarise"_s;
    summarise.actionType = u"llm.message"_s;
    summarise.status = u"success"_s;
    summarise.source = u"replay_hit"_s;
    summarise.parameters = parse(R"({"query": "sse"})");
    summarise.output = parse(R"({"content": "Server-sent events."})");
    summarise.startedMs = 104;
    summarise.durationMs = 35;
    summarise.inputTokens = 12;
    summarise.outputTokens = 3;
    QCOMPARE(r.steps[2], summarise);

    QStringList order;
    for (const StepRecord &s : r.steps)
        order.append(s.path + u' ' + s.status + u' ' + s.source);
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

void TestResultBuilder::batchesFoldLikeSingleEvents()
{
    ResultBuilder one;
    ResultBuilder batched;
    const QList<Event> events = nestedRun();
    for (const Event &e : events)
        one.add(e);
    batched.add(events.mid(0, 5));
    batched.add(events.mid(5));
    QCOMPARE(batched.result(), one.result());
}

void TestResultBuilder::failedRun()
{
    using namespace wire;
    ResultBuilder builder;
    builder.add({invocationStarted(at(0), {}, u"chat"_s, u"chat"_s),
                 stepStarted(at(1, u"answer"_s), u"answer"_s, u"llm.message"_s, Json::object()),
                 stepFinished(at(2, u"answer"_s), u"answer"_s, u"llm.message"_s, u"error"_s, Json(),
                              u"HTTP 429: slow down"_s, QString::fromLatin1(Source::Live), 5),
                 invocationFinished(at(3), u"error"_s, Json::array(), u"step \"answer\" failed: HTTP 429: slow down"_s)});
    const InvokeResult &r = builder.result();
    QVERIFY(builder.hasFinalEvent());
    QVERIFY(!r.success);
    QCOMPARE(r.error, u"step \"answer\" failed: HTTP 429: slow down"_s);
    QCOMPARE(r.steps.size(), qsizetype(1));
    QCOMPARE(r.steps[0].status, u"error"_s);
    QCOMPARE(r.steps[0].error, u"HTTP 429: slow down"_s);
    QCOMPARE_JSON(r.steps[0].output, Json());

    // A final event that fails without saying why still gets an error.
    ResultBuilder quiet;
    quiet.add(invocationFinished(at(0), u"error"_s, Json::array(), {}));
    QCOMPARE(quiet.result().error, u"the invocation ended with status \"error\""_s);
}

void TestResultBuilder::plainSdkShapes()
{
    // No type, no metadata additions (no path, seq or t_ms): what older servers send.
    ResultBuilder builder;
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
    QCOMPARE(r.events.size(), qsizetype(7));
    QCOMPARE(r.steps.size(), qsizetype(1));
    QCOMPARE(r.steps[0].path, u"answer"_s);
    QCOMPARE(r.steps[0].actionType, u"llm.message"_s);
    QCOMPARE_JSON(r.steps[0].parameters, parse(R"({"q": 1})"));
    QCOMPARE(r.steps[0].startedMs, qint64(-1));
    QCOMPARE(r.steps[0].status, u"success"_s);
    QCOMPARE_JSON(r.steps[0].output, Json("Hello"));
    QCOMPARE(r.messages.size(), qsizetype(1));
    QCOMPARE(r.messages[0].content, u"Hello"_s);
    QCOMPARE(r.messages[0].path, QString());
    QCOMPARE(r.visibleText(), u"Hello"_s);
}

void TestResultBuilder::cancelled()
{
    using namespace wire;
    ResultBuilder builder;
    builder.add({invocationStarted(at(0), u"Chat"_s, u"chat"_s, u"chat"_s),
                 stepStarted(at(1, u"plan"_s), u"plan"_s, u"utils.echo"_s, Json::object()),
                 stepFinished(at(2, u"plan"_s), u"plan"_s, u"utils.echo"_s, u"success"_s, Json(1), {}, {}, 0),
                 stepStarted(at(3, u"answer"_s), u"answer"_s, u"llm.message"_s, Json::object())});
    builder.markCancelled();
    const InvokeResult &r = builder.result();
    QVERIFY(r.cancelled);
    QVERIFY(!r.success);
    QVERIFY(!builder.hasFinalEvent());
    QCOMPARE(r.error, u"cancelled"_s);
    QCOMPARE(r.steps[0].status, u"success"_s);
    QCOMPARE(r.steps[1].status, u"cancelled"_s);
}

void TestResultBuilder::cutOff()
{
    using namespace wire;
    ResultBuilder builder;
    builder.add({invocationStarted(at(0), u"Chat"_s, u"chat"_s, u"chat"_s),
                 stepStarted(at(1, u"answer"_s), u"answer"_s, u"llm.message"_s, Json::object()),
                 messageContent(at(2, u"answer"_s), u"Half an ans"_s, u"m"_s, u"text"_s, true)});
    builder.markFailed(u"the connection closed before the invocation finished"_s);
    const InvokeResult &r = builder.result();
    QVERIFY(!r.success);
    QVERIFY(!r.cancelled);
    QCOMPARE(r.error, u"the connection closed before the invocation finished"_s);
    QCOMPARE(r.steps[0].status, u"error"_s);
    QCOMPARE(r.steps[0].error, r.error);
    QCOMPARE(r.visibleText(), u"Half an ans"_s);
}

void TestResultBuilder::stepRunTwice()
{
    using namespace wire;
    ResultBuilder builder;
    builder.add({stepStarted(at(1, u"loop"_s), u"loop"_s, u"utils.echo"_s, Json(1)),
                 stepFinished(at(2, u"loop"_s), u"loop"_s, u"utils.echo"_s, u"success"_s, Json(1), {}, {}, 1),
                 stepStarted(at(3, u"loop"_s), u"loop"_s, u"utils.echo"_s, Json(2)),
                 stepFinished(at(4, u"loop"_s), u"loop"_s, u"utils.echo"_s, u"error"_s, Json(), u"no"_s, {}, 1)});
    const InvokeResult &r = builder.result();
    QCOMPARE(r.steps.size(), qsizetype(2));
    QCOMPARE(r.steps[0].status, u"success"_s);
    QCOMPARE(r.steps[1].status, u"error"_s);
    QCOMPARE(builder.stepIndex(u"loop"_s), 1);
}

void TestResultBuilder::manyChunksMakeOneMessage()
{
    // A long LLM answer: every chunk lands, in order, in the one message of its id.
    ResultBuilder builder;
    QString expected;
    for (int i = 0; i < 50000; ++i) {
        const QString chunk = QString::number(i % 10);
        expected += chunk;
        builder.add(wire::messageContent(at(i, u"answer"_s), chunk, u"m"_s, u"text"_s, true));
    }
    QCOMPARE(builder.result().messages.size(), qsizetype(1));
    QCOMPARE(builder.result().messages[0].content, expected);
    QCOMPARE(builder.result().events.size(), qsizetype(50000));
}

void TestResultBuilder::textChunkShapes_data()
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

void TestResultBuilder::textChunkShapes()
{
    QFETCH(QByteArray, json);
    QFETCH(StepMessage, expected);
    ResultBuilder builder;
    builder.add(raw(json.constData()));
    QCOMPARE(builder.result().messages.size(), qsizetype(1));
    QCOMPARE(builder.result().messages.first(), expected);
}

QTEST_GUILESS_MAIN(TestResultBuilder)
#include "tst_resultbuilder.moc"
