// Golden text for the three output formats, from results folded out of real events.
#include "core/format/formatter.h"
#include "core/fold/runfold.h"
#include "core/wire/events.h"

#include <QtTest/QTest>

using namespace invoke;
using namespace Qt::StringLiterals;

namespace {

wire::Stamp at(qint64 seq, const QString &path = {})
{
    return wire::Stamp{u"inv-7"_s, seq, seq * 5, path};
}

// What an invocation asked to keep its events finishes with (core/backend/invocation.h).
InvokeResult fold(const QList<Event> &events)
{
    RunFold fold;
    fold.add(events);
    InvokeResult result = fold.result();
    result.events = events;
    return result;
}

// A run with a nested step, a hidden message and a skipped step; its answer is `text`.
InvokeResult successfulRun(const QString &text)
{
    using namespace wire;
    return fold({
        invocationStarted(at(0), u"Researcher"_s, u"research"_s, u"research"_s),
        stepStarted(at(1, u"plan"_s), u"plan"_s, u"utils.echo"_s, Json::object()),
        stepFinished(at(2, u"plan"_s), u"plan"_s, u"utils.echo"_s, StepStatus::Success, Json("sse"), {}, {}, 0),
        stepStarted(at(3, u"research"_s), u"research"_s, u"bot.invoke"_s, Json::object()),
        stepStarted(at(4, u"research/summarise"_s), u"summarise"_s, u"llm.message"_s, Json::object()),
        messageContent(at(5, u"research/summarise"_s), u"(thinking)"_s, u"hidden"_s, u"text"_s, false),
        messageContent(at(6, u"research/summarise"_s), text.left(5), u"m"_s, u"text"_s, true),
        messageContent(at(7, u"research/summarise"_s), text.mid(5), u"m"_s, u"text"_s, true),
        stepFinished(at(8, u"research/summarise"_s), u"summarise"_s, u"llm.message"_s, StepStatus::Success,
                     Json(toStd(text)), {}, Source::Mock, 3),
        stepFinished(at(9, u"research"_s), u"research"_s, u"bot.invoke"_s, StepStatus::Success, Json(), {}, {}, 4),
        stepFinished(at(10, u"fallback"_s), u"fallback"_s, u"utils.echo"_s, StepStatus::Skipped, Json(), {}, {}, -1),
        invocationFinished(at(11), u"success"_s,
                           Json::array({Json{{"content_type", "text"}, {"content", toStd(text)}}}), {}),
    });
}

InvokeResult failedRun(const QString &partialText)
{
    using namespace wire;
    QList<Event> events{
        invocationStarted(at(0), {}, u"chat"_s, u"chat"_s),
        stepStarted(at(1, u"answer"_s), u"answer"_s, u"llm.message"_s, Json::object()),
    };
    if (!partialText.isEmpty())
        events.append(messageContent(at(2, u"answer"_s), partialText, u"m"_s, u"text"_s, true));
    events.append(stepFinished(at(3, u"answer"_s), u"answer"_s, u"llm.message"_s, StepStatus::Error, Json(),
                               u"HTTP 429: slow down"_s, Source::Live, 9));
    events.append(invocationFinished(at(4), u"error"_s, Json::array(), u"step \"answer\" failed: HTTP 429: slow down"_s));
    return fold(events);
}

} // namespace

class TestFormatter : public QObject
{
    Q_OBJECT

private slots:
    void text_data();
    void text();
    void jsonResultIsPrettyPrinted_data();
    void jsonResultIsPrettyPrinted();
    void json();
    void events();
    void renderPicksTheFormat();
};

void TestFormatter::text_data()
{
    QTest::addColumn<InvokeResult>("result");
    QTest::addColumn<bool>("verbose");
    QTest::addColumn<QString>("expected");

    const InvokeResult ok = successfulRun(u"Server-sent events."_s);
    QTest::newRow("success") << ok << false
                             << u"Bot: Researcher\n"
                                u"Invocation ID: inv-7\n"
                                u"\n"
                                u"Result:\n"
                                u"Server-sent events.\n"_s;
    QTest::newRow("success, verbose") << ok << true
                                      << u"Bot: Researcher\n"
                                         u"Invocation ID: inv-7\n"
                                         u"\n"
                                         u"Steps:\n"
                                         u"  ✓ plan (utils.echo)\n"
                                         u"  ✓ research (bot.invoke)\n"
                                         u"  ✓ research/summarise (llm.message)\n"
                                         u"  • fallback (utils.echo)\n"
                                         u"\n"
                                         u"Result:\n"
                                         u"Server-sent events.\n"_s;
    QTest::newRow("failure") << failedRun({}) << false
                             << u"Bot: chat\n"
                                u"Invocation ID: inv-7\n"
                                u"\n"
                                u"Error: step \"answer\" failed: HTTP 429: slow down\n"_s;
    QTest::newRow("failure, verbose, with partial text") << failedRun(u"I think"_s) << true
                                                         << u"Bot: chat\n"
                                                            u"Invocation ID: inv-7\n"
                                                            u"\n"
                                                            u"Steps:\n"
                                                            u"  • answer (llm.message)\n"
                                                            u"\n"
                                                            u"Result:\n"
                                                            u"I think\n"
                                                            u"\n"
                                                            u"Error: step \"answer\" failed: HTTP 429: slow down\n"_s;

    RunFold cancelled;
    cancelled.add({wire::invocationStarted(at(0), u"Chat"_s, u"chat"_s, u"chat"_s),
                   wire::stepStarted(at(1, u"answer"_s), u"answer"_s, u"llm.message"_s, Json::object())});
    cancelled.markCancelled();
    QTest::newRow("cancelled, verbose") << cancelled.result() << true
                                        << u"Bot: Chat\n"
                                           u"Invocation ID: inv-7\n"
                                           u"\n"
                                           u"Steps:\n"
                                           u"  • answer (llm.message)\n"
                                           u"\n"
                                           u"Error: cancelled\n"_s;

    QTest::newRow("empty success") << fold({wire::invocationFinished(at(0), u"success"_s, Json::array(), {})})
                                   << true
                                   << u"Bot: \n"
                                      u"Invocation ID: \n"
                                      u"\n"
                                      u"Steps:\n"
                                      u"\n"
                                      u"Result:\n"
                                      u"\n"_s;
}

void TestFormatter::text()
{
    QFETCH(InvokeResult, result);
    QFETCH(bool, verbose);
    QFETCH(QString, expected);
    QCOMPARE(format::text(result, verbose), expected);
}

void TestFormatter::jsonResultIsPrettyPrinted_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<QString>("shown");
    QTest::newRow("object keeps its key order")
        << u"{\"zeta\": 1, \"alpha\": [true, null], \"é\": {}}"_s
        << u"{\n  \"zeta\": 1,\n  \"alpha\": [\n    true,\n    null\n  ],\n  \"é\": {}\n}"_s;
    QTest::newRow("array with surrounding blanks") << u"\n [1,\"two\"] \n"_s << u"[\n  1,\n  \"two\"\n]"_s;
    QTest::newRow("broken JSON is shown as is") << u"{\"a\": 1"_s << u"{\"a\": 1"_s;
    QTest::newRow("a bare number is text") << u"12345"_s << u"12345"_s;
    QTest::newRow("a JSON string is text") << u"\"quoted\""_s << u"\"quoted\""_s;
}

void TestFormatter::jsonResultIsPrettyPrinted()
{
    QFETCH(QString, answer);
    QFETCH(QString, shown);
    QCOMPARE(format::text(successfulRun(answer), false),
             u"Bot: Researcher\nInvocation ID: inv-7\n\nResult:\n"_s + shown + u'\n');
}

void TestFormatter::json()
{
    QCOMPARE(format::json(successfulRun(u"Server-sent events."_s)),
             uR"({
  "bot_key": "research",
  "bot_name": "Researcher",
  "error": null,
  "invocation_id": "inv-7",
  "result": "Server-sent events.",
  "steps": [
    {
      "action": "utils.echo",
      "key": "plan",
      "status": "success"
    },
    {
      "action": "bot.invoke",
      "key": "research",
      "status": "success"
    },
    {
      "action": "llm.message",
      "key": "research/summarise",
      "status": "success"
    },
    {
      "action": "utils.echo",
      "key": "fallback",
      "status": "skipped"
    }
  ],
  "success": true
}
)"_s);

    QCOMPARE(format::json(failedRun({})),
             uR"({
  "bot_key": "chat",
  "bot_name": "",
  "error": "step \"answer\" failed: HTTP 429: slow down",
  "invocation_id": "inv-7",
  "result": "",
  "steps": [
    {
      "action": "llm.message",
      "key": "answer",
      "status": "error"
    }
  ],
  "success": false
}
)"_s);
}

void TestFormatter::events()
{
    const InvokeResult r = fold({wire::invocationStarted(at(0), u"Chat"_s, u"chat"_s, u"chat"_s),
                                 wire::messageContent(at(1, u"answer"_s), u"Hi ✓"_s, u"m"_s, u"text"_s, true)});
    QCOMPARE(format::events(r),
             uR"({
  "events": [
    {
      "metadata": {
        "invocation_id": "inv-7",
        "seq": 0,
        "t_ms": 0
      },
      "payload": {
        "bot_id": "chat",
        "bot_key": "chat",
        "bot_name": "Chat",
        "invocation_id": "inv-7"
      },
      "type": "invocation_started"
    },
    {
      "metadata": {
        "content_type": "text",
        "invocation_id": "inv-7",
        "message_content_id": "m",
        "path": "answer",
        "seq": 1,
        "t_ms": 5,
        "user_visibility": "visible"
      },
      "payload": "Hi ✓",
      "type": "message_content"
    }
  ]
}
)"_s);
    QCOMPARE(format::events(InvokeResult()), u"{\n  \"events\": []\n}\n"_s);
}

void TestFormatter::renderPicksTheFormat()
{
    const InvokeResult r = successfulRun(u"ok"_s);
    QCOMPARE(format::render(r, OutputFormat::Text, true), format::text(r, true));
    QCOMPARE(format::render(r, OutputFormat::Text, false), format::text(r, false));
    QCOMPARE(format::render(r, OutputFormat::Json, true), format::json(r));
    QCOMPARE(format::render(r, OutputFormat::Events, false), format::events(r));
}

QTEST_GUILESS_MAIN(TestFormatter)
#include "tst_formatter.moc"
