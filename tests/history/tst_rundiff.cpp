// Comparing runs: steps aligned by path (steps only in one run placed where they ran),
// the first divergence, the JSON shape invoke-cli runs diff --json prints; word diffs.
#include "core/history/rundiff.h"

#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::history;

namespace {

StepRecord step(const QString &path, const Json &output, StepStatus status = StepStatus::Success,
                Source source = Source::Live)
{
    StepRecord s;
    s.path = s.key = path;
    s.actionType = u"llm.message"_s;
    s.status = status;
    s.source = source;
    s.output = output;
    s.durationMs = 10;
    return s;
}

InvokeResult run(const QString &id, const QList<StepRecord> &steps, const QString &text)
{
    InvokeResult r;
    r.invocationId = id;
    r.steps = steps;
    r.messages = {StepMessage{u"m"_s, u"x"_s, u"text"_s, true, text}};
    return r;
}

} // namespace

class TestRunDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void alignsAndFindsTheFirstDivergence()
    {
        const InvokeResult a = run(u"A"_s, {step(u"ack"_s, "hi"), step(u"classify"_s, "billing"), step(u"escalate"_s, "URGENT")},
                                   u"URGENT: billing"_s);
        const InvokeResult b = run(u"B"_s, {step(u"ack"_s, "hi", StepStatus::Success, Source::ReplayHit),
                                            step(u"classify"_s, "bugs"), step(u"route"_s, "Routed")},
                                   u"Routed to bugs"_s);
        const RunComparison c = compareRuns(a, b);
        QStringList paths;
        for (const StepComparison &s : c.steps)
            paths << s.path;
        QCOMPARE(paths, (QStringList{u"ack"_s, u"classify"_s, u"route"_s, u"escalate"_s}));
        QVERIFY(c.steps[0].same); // a replay hit of the same answer is the same step
        QVERIFY(!c.steps[1].same);
        QVERIFY(!c.steps[2].a && c.steps[2].b);
        QVERIFY(c.steps[3].a && !c.steps[3].b);
        QCOMPARE(c.firstDivergence.value_or(QString()), u"classify"_s);
        const Json json = c.toJson();
        QCOMPARE(stringField(json, "a"), u"A"_s);
        QCOMPARE(stringField(json, "first_divergence"), u"classify"_s);
        QVERIFY(json["steps"][2]["a"].is_null());
        QVERIFY(json["steps"][0]["b"] == (Json{{"status", "success"}, {"source", "replay_hit"}, {"duration_ms", 10},
                                               {"tokens", 0}, {"output", "hi"}}));
        QVERIFY(json["result"] == (Json{{"a", "URGENT: billing"}, {"b", "Routed to bugs"}}));
    }

    void identicalRunsHaveNoDivergence()
    {
        const InvokeResult a = run(u"A"_s, {step(u"answer"_s, "same")}, u"same"_s);
        const RunComparison c = compareRuns(a, a);
        QVERIFY(!c.firstDivergence);
        QVERIFY(c.toJson()["first_divergence"].is_null());
    }

    void wordDiff()
    {
        const auto changes = diffWords(u"the quick brown fox"_s, u"the slow brown dog"_s);
        QCOMPARE(wordDiffText(changes), u"the [-quick -]{+slow +}brown [-fox-]{+dog+}"_s);
        QCOMPARE(wordDiffText(diffWords(u"same text"_s, u"same text"_s)), u"same text"_s);
        QCOMPARE(wordDiffText(diffWords(QString(), u"new"_s)), u"{+new+}"_s);
        // Past the size bound it is one replacement, not a slow diff.
        const QString big = QString(u"w "_s).repeated(5000);
        QCOMPARE(diffWords(big, big + u"x"_s).size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestRunDiff)
#include "tst_rundiff.moc"
