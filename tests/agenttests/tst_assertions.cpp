// Each assertion of docs/tests.md against a run built by hand: what passes, what fails,
// and the expected/actual a report shows; the SDK's dot paths into the JSON summary.
#include "core/agenttests/assertions.h"
#include "core/agenttests/summarypath.h"
#include "core/agenttests/testfileparser.h"

#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::agenttests;

namespace {

InvokeResult sampleRun()
{
    InvokeResult r;
    r.success = true;
    r.botKey = u"ticket-triage"_s;
    r.botName = u"Ticket triage"_s;
    r.invocationId = u"inv-1"_s;
    StepRecord classify;
    classify.path = classify.key = u"classify"_s;
    classify.actionType = u"llm.message"_s;
    classify.status = StepStatus::Success;
    classify.source = Source::Mock;
    classify.output = Json{{"content", "{\"team\": \"billing\"}"}};
    classify.inputTokens = 100;
    classify.outputTokens = 20;
    StepRecord route;
    route.path = route.key = u"route"_s;
    route.actionType = u"utils.write"_s;
    route.status = StepStatus::Skipped;
    StepRecord escalate;
    escalate.path = escalate.key = u"escalate"_s;
    escalate.actionType = u"utils.write"_s;
    escalate.status = StepStatus::Success;
    escalate.output = "URGENT: paging the billing on-call engineer.";
    r.steps = {classify, route, escalate};
    r.messages = {StepMessage{u"m1"_s, u"escalate"_s, u"text"_s, true, u"URGENT: paging the billing on-call engineer."_s},
                  StepMessage{u"m2"_s, u"classify"_s, u"text"_s, false, u"hidden thoughts"_s}};
    return r;
}

Assertion assertion(const char *json)
{
    QString why;
    auto a = parseAssertion(parseJson(json), &why);
    if (!a)
        qFatal("bad assertion in the test: %s: %s", json, qPrintable(why));
    return *a;
}

} // namespace

class TestAssertions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verdicts_data()
    {
        QTest::addColumn<QByteArray>("spec");
        QTest::addColumn<bool>("passes");
        QTest::newRow("text_contains") << QByteArray(R"({"text_contains": "billing"})") << true;
        QTest::newRow("text_contains reads visible text only") << QByteArray(R"({"text_contains": "hidden"})") << false;
        QTest::newRow("text_contains is case-sensitive") << QByteArray(R"({"text_contains": "BILLING"})") << false;
        QTest::newRow("text_contains, insensitive") << QByteArray(R"({"text_contains": {"value": "BILLING", "case_sensitive": false}})") << true;
        QTest::newRow("text_equals") << QByteArray(R"({"text_equals": "URGENT: paging the billing on-call engineer."})") << true;
        QTest::newRow("text_equals is whole") << QByteArray(R"({"text_equals": "URGENT"})") << false;
        QTest::newRow("text_matches searches") << QByteArray(R"({"text_matches": "paging the [a-z]+ on-call"})") << true;
        QTest::newRow("text_matches, flags") << QByteArray(R"({"text_matches": "(?i)^urgent"})") << true;
        QTest::newRow("text_matches fails") << QByteArray(R"({"text_matches": "^paging"})") << false;
        QTest::newRow("json_path_equals") << QByteArray(R"({"json_path_equals": {"path": "steps[0].key", "value": "classify"}})") << true;
        QTest::newRow("json_path_equals with $.") << QByteArray(R"({"json_path_equals": {"path": "$.steps[2].status", "value": "success"}})") << true;
        QTest::newRow("json_path_equals differs") << QByteArray(R"({"json_path_equals": {"path": "bot_key", "value": "chat"}})") << false;
        QTest::newRow("json_path_equals, no such index") << QByteArray(R"({"json_path_equals": {"path": "steps[9].key", "value": null}})") << false;
        QTest::newRow("json_path_exists") << QByteArray(R"({"json_path_exists": "invocation_id"})") << true;
        QTest::newRow("json_path_exists, no") << QByteArray(R"({"json_path_exists": "steps[0].output"})") << false;
        QTest::newRow("step status and source") << QByteArray(R"({"step": "classify", "status": "success", "source": "mock"})") << true;
        QTest::newRow("step source differs") << QByteArray(R"({"step": "classify", "source": "live"})") << false;
        QTest::newRow("step output_contains") << QByteArray(R"({"step": "escalate", "output_contains": "on-call"})") << true;
        QTest::newRow("step output_contains in JSON output") << QByteArray(R"({"step": "classify", "output_contains": "billing"})") << true;
        QTest::newRow("a skipped step did not run") << QByteArray(R"({"step": "route", "ran": false})") << true;
        QTest::newRow("an absent step did not run") << QByteArray(R"({"step": "fallback", "ran": false})") << true;
        QTest::newRow("a step that ran, ran") << QByteArray(R"({"step": "escalate", "ran": false})") << false;
        QTest::newRow("a step alone: it ran") << QByteArray(R"({"step": "escalate"})") << true;
        QTest::newRow("a step alone, skipped") << QByteArray(R"({"step": "route"})") << false;
        QTest::newRow("a missing step fails its checks") << QByteArray(R"({"step": "nope", "status": "success"})") << false;
        QTest::newRow("has_dataset") << QByteArray(R"({"has_dataset": "solar-system"})") << true;
        QTest::newRow("has_dataset not given") << QByteArray(R"({"has_dataset": "planets"})") << false;
        QTest::newRow("has_dataset given but missing") << QByteArray(R"({"has_dataset": "ghost"})") << false;
        QTest::newRow("error_contains on success") << QByteArray(R"({"error_contains": "x"})") << false;
        QTest::newRow("max_tokens") << QByteArray(R"({"max_tokens": 120})") << true;
        QTest::newRow("max_tokens exceeded") << QByteArray(R"({"max_tokens": 119})") << false;
        QTest::newRow("max_duration_ms") << QByteArray(R"({"max_duration_ms": 50})") << true;
        QTest::newRow("max_duration_ms exceeded") << QByteArray(R"({"max_duration_ms": 49})") << false;
        QTest::newRow("not") << QByteArray(R"({"not": {"text_contains": "Routed to bugs"}})") << true;
        QTest::newRow("not of a pass") << QByteArray(R"({"not": {"text_contains": "billing"}})") << false;
        QTest::newRow("not not") << QByteArray(R"({"not": {"not": {"text_contains": "billing"}}})") << true;
    }

    void verdicts()
    {
        QFETCH(QByteArray, spec);
        QFETCH(bool, passes);
        const InvokeResult run = sampleRun();
        const RunFacts facts = RunFacts::of(run, 50, {u"solar-system"_s, u"ghost"_s}, {u"solar-system"_s});
        const Verdict v = evaluate(assertion(spec.constData()), facts);
        QCOMPARE(v.passed, passes);
    }

    void aFailureShowsExpectedAndActual()
    {
        const InvokeResult run = sampleRun();
        const RunFacts facts = RunFacts::of(run, 5, {}, {});
        TestCase c;
        c.expect = {assertion(R"({"text_contains": "Routed"})"), assertion(R"({"step": "classify", "source": "live"})")};
        const QList<Failure> failures = checkCase(c, facts);
        QCOMPARE(failures.size(), 2);
        QCOMPARE(failures[0].assertion, u"{\"text_contains\":\"Routed\"}"_s);
        QVERIFY(failures[0].expected == Json("Routed"));
        QVERIFY(failures[0].actual == Json("URGENT: paging the billing on-call engineer."));
        QVERIFY(failures[1].expected == (Json{{"source", "live"}}));
        QVERIFY(failures[1].actual == (Json{{"source", "mock"}}));
        QVERIFY(failures[1].toJson() == (Json{{"assertion", "{\"source\":\"live\",\"step\":\"classify\"}"},
                                              {"expected", {{"source", "live"}}},
                                              {"actual", {{"source", "mock"}}}}));
    }

    void aFailedRunFailsTheCaseUnlessAnErrorIsExpected()
    {
        InvokeResult run = sampleRun();
        run.success = false;
        run.error = u"step \"classify\" failed: the model is overloaded"_s;
        const RunFacts facts = RunFacts::of(run, 5, {}, {});
        TestCase plain;
        QList<Failure> failures = checkCase(plain, facts);
        QCOMPARE(failures.size(), 1);
        QCOMPARE(failures[0].assertion, u"the run succeeds"_s);
        QVERIFY(failures[0].actual == Json(toStd(run.error)));

        TestCase expectsError;
        expectsError.expect = {assertion(R"({"error_contains": "overloaded"})")};
        QVERIFY(checkCase(expectsError, facts).isEmpty());
        expectsError.expect = {assertion(R"({"error_contains": "timeout"})")};
        QCOMPARE(checkCase(expectsError, facts).size(), 1);
    }

    void summaryPaths()
    {
        const Json doc = Json{{"steps", Json::array({Json{{"key", "a"}}, Json{{"key", "b"}}})},
                              {"result", "text"}, {"nested", {{"list", Json::array({Json::array({1, 2})})}}}};
        QVERIFY(*findSummaryPath(doc, u"result"_s) == Json("text"));
        QVERIFY(*findSummaryPath(doc, u"$.result"_s) == Json("text"));
        QVERIFY(*findSummaryPath(doc, u"steps[1].key"_s) == Json("b"));
        QVERIFY(*findSummaryPath(doc, u"nested.list[0][1]"_s) == Json(2));
        QVERIFY(*findSummaryPath(doc, u"$"_s) == doc);
        QVERIFY(!findSummaryPath(doc, u"steps[2].key"_s));
        QVERIFY(!findSummaryPath(doc, u"result.length"_s));
        QString error;
        QVERIFY(!findSummaryPath(doc, u"steps[x]"_s, &error));
        QVERIFY2(error.contains(u"expected an index"_s), qPrintable(error));
        QVERIFY(!findSummaryPath(doc, u"steps..key"_s, &error));
        QVERIFY(!findSummaryPath(doc, u"steps[0]key"_s, &error));
        QVERIFY2(error.contains(u"expected \".\" or \"[\""_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestAssertions)
#include "tst_assertions.moc"
