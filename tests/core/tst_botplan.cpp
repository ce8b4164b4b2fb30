// The plan of a bot as a value and on the wire (GET /bots/{key}/plan): the contract's
// members, a round trip through the codec, and bodies of another shape refused with
// what is wrong and where.
#include "core/model/botplan.h"
#include "core/wire/plancodec.h"
#include "tests/support/jsontext.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;

namespace {

BotPlan samplePlan()
{
    BotPlan plan;
    plan.botKey = u"research-assistant"_s;
    plan.botName = u"Research assistant"_s;
    plan.updatedAt = QDateTime(QDate(2026, 3, 1), QTime(9, 30, 0, 125), Qt::UTC);
    plan.steps = {
        {u"gather"_s, u"gather"_s, u"llm.message"_s, u"research-assistant"_s, 0, false, 12, {}},
        {u"summarise"_s, u"summarise"_s, u"bot.invoke"_s, u"research-assistant"_s, 0, false, 20, {}},
        {u"summarise/answer"_s, u"answer"_s, u"llm.message"_s, u"summariser"_s, 1, false, 4, {}},
        {u"notes-only"_s, u"notes-only"_s, u"utils.write"_s, u"research-assistant"_s, 0, true, 31, {}},
        {u"dyn"_s, u"dyn"_s, u"bot.invoke"_s, u"research-assistant"_s, 0, false, 40,
         u"bot_key \"{{which}}\" is a template: its steps are known only when it runs"_s},
    };
    plan.steps[2].botUpdatedAt = u"2026-02-11T08:00:00.500Z"_s; // the sub-bot's version
    return plan;
}

} // namespace

class TestBotPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bodyHasTheContractMembers()
    {
        const Json body = wire::planBody(samplePlan());
        QCOMPARE(jsonText(body["bot"]["key"]), jsonText(Json("research-assistant")));
        QCOMPARE(jsonText(body["bot"]["name"]), jsonText(Json("Research assistant")));
        QCOMPARE(jsonText(body["bot"]["updated_at"]), jsonText(Json("2026-03-01T09:30:00.125Z")));
        QCOMPARE(body["steps"].size(), size_t(5));
        const Json &nested = body["steps"][2];
        QCOMPARE(jsonText(nested["path"]), jsonText(Json("summarise/answer")));
        QCOMPARE(jsonText(nested["key"]), jsonText(Json("answer")));
        QCOMPARE(jsonText(nested["action_type"]), jsonText(Json("llm.message")));
        QCOMPARE(jsonText(nested["depth"]), jsonText(Json(1)));
        QCOMPARE(jsonText(nested["line"]), jsonText(Json(4)));
        QVERIFY(!nested.contains("note"));
        QCOMPARE(jsonText(nested["bot_updated_at"]), jsonText(Json("2026-02-11T08:00:00.500Z")));
        QVERIFY(!body["steps"][0].contains("bot_updated_at")); // the bot's own: the plan's updated_at
        QCOMPARE(jsonText(body["steps"][3]["conditional"]), jsonText(Json(true)));
    }

    void roundTrip()
    {
        const BotPlan plan = samplePlan();
        QString error;
        const auto back = wire::planFromBody(dumpJson(wire::planBody(plan)), &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(*back == plan);
        QCOMPARE(back->actionTypeOf(u"summarise/answer"_s), u"llm.message"_s);
        QVERIFY(back->actionTypeOf(u"answer"_s).isEmpty());
    }

    void onlyTheContractIsRequired()
    {
        // A server that sends the four step members of the contract only.
        const QByteArray body = R"({"bot": {"key": "chat"}, "steps": [{"path": "answer", "key": "answer",
            "action_type": "llm.message", "depth": 0}]})";
        QString error;
        const auto plan = wire::planFromBody(body, &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->botKey, u"chat"_s);
        QCOMPARE(plan->steps.size(), 1);
        QCOMPARE(plan->steps.first().line, 0);
        QVERIFY(!plan->steps.first().conditional);
        QVERIFY(plan->steps.first().botUpdatedAt.isEmpty());
    }

    void otherShapesSayWhatAndWhere_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{\"bot\": ") << u"the answer is not valid JSON: line 1"_s;
        QTest::newRow("array") << QByteArray("[]") << u"a plan must be an object"_s;
        QTest::newRow("no bot") << QByteArray(R"({"steps": []})") << u"bot: must be an object"_s;
        QTest::newRow("bot key") << QByteArray(R"({"bot": {"key": 7}, "steps": []})")
                                 << u"bot.key: must be a string, not number"_s;
        QTest::newRow("time") << QByteArray(R"({"bot": {"key": "a", "updated_at": "yesterday"}, "steps": []})")
                              << u"bot.updated_at: \"yesterday\" is not an ISO 8601 time"_s;
        QTest::newRow("steps") << QByteArray(R"({"bot": {"key": "a"}, "steps": {}})")
                               << u"steps: must be a list of steps"_s;
        QTest::newRow("step") << QByteArray(R"({"bot": {"key": "a"}, "steps": [3]})")
                              << u"steps[0]: must be an object"_s;
        QTest::newRow("action type")
            << QByteArray(R"({"bot": {"key": "a"}, "steps": [{"path": "x", "key": "x", "action_type": "llm.message",
                "depth": 0}, {"path": "y", "key": "y", "depth": 0}]})")
            << u"steps[1].action_type: is missing (a string)"_s;
        QTest::newRow("depth") << QByteArray(R"({"bot": {"key": "a"}, "steps": [{"path": "x", "key": "x",
                                   "action_type": "llm.message", "depth": -1}]})")
                               << u"steps[0].depth: must be a non-negative integer, not -1"_s;
        QTest::newRow("empty path") << QByteArray(R"({"bot": {"key": "a"}, "steps": [{"path": "", "key": "x",
                                        "action_type": "llm.message", "depth": 0}]})")
                                    << u"steps[0].path: must not be empty"_s;
        QTest::newRow("bot version") << QByteArray(R"({"bot": {"key": "a"}, "steps": [{"path": "x", "key": "x",
                                         "action_type": "llm.message", "depth": 1, "bot_updated_at": 5}]})")
                                     << u"steps[0].bot_updated_at: must be a string, not number"_s;
    }

    void otherShapesSayWhatAndWhere()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!wire::planFromBody(body, &error));
        QVERIFY2(error.startsWith(expected), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestBotPlan)
#include "tst_botplan.moc"
