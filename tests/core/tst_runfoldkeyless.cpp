// The fold (core/fold/runfold.h) reading step_finished events that name no step, as the
// public SDK's backend sends them: a finish with neither key nor path closes the most
// recently started step still running (stack order) and never opens a step; a keyed
// finish still closes its own step, wherever it is in the stack.
#include "core/fold/runfold.h"
#include "core/wire/events.h"

#include <QtTest/QTest>

using namespace invoke;
using namespace Qt::StringLiterals;

namespace {

Event raw(const QByteArray &json)
{
    auto event = Event::decode(json);
    Q_ASSERT(event);
    return *event;
}

// A step start in the plain SDK shape: no type, no path.
Event started(const char *key, const char *action)
{
    return raw(QByteArray(R"({"payload": {"key": ")") + key + R"(", "action_type": ")" + action
               + R"(", "parameters": {}}, "metadata": {}})");
}

// A finish that names no step, with a result status.
Event keylessFinish(const char *status = "success")
{
    return raw(QByteArray(R"({"payload": {"status": "step finished", "result": {"status": ")") + status
               + R"(", "output": null}}, "metadata": {"user_visibility": "visible"}})");
}

FoldChange finishedChange(int step)
{
    FoldChange change;
    change.kind = EventKind::StepFinished;
    change.step = step;
    return change;
}

QStringList stepLines(const RunFold &fold)
{
    QStringList lines;
    for (const StepRecord &step : fold.result().steps)
        lines << u"%1 %2 %3"_s.arg(step.path, step.actionType, QString(wireName(step.status)));
    return lines;
}

} // namespace

class TestRunFoldKeyless : public QObject
{
    Q_OBJECT

private slots:
    void sequentialStepsEachCloseTheirOwn()
    {
        // The run of the issue: think, then tidy, each ended by a finish without a key.
        RunFold fold;
        fold.add(raw(R"({"payload": {"bot_name": "Tidy", "invocation_id": "inv-k"}, "metadata": {}})"));
        QCOMPARE(fold.add(started("think", "llm.message")).step, 0);
        QCOMPARE(fold.add(keylessFinish()), finishedChange(0));
        QCOMPARE(fold.add(started("tidy", "utils.write")).step, 1);
        QCOMPARE(fold.add(keylessFinish()), finishedChange(1));
        QCOMPARE(stepLines(fold), (QStringList{u"think llm.message success"_s, u"tidy utils.write success"_s}));
    }

    void nestedStepsCloseInStackOrder()
    {
        // A sub-bot's step inside its parent: the first finish closes the inner step.
        RunFold fold;
        fold.add(started("research", "bot.invoke"));
        fold.add(started("summarise", "llm.message"));
        QCOMPARE(fold.add(keylessFinish("error")), finishedChange(1));
        QCOMPARE(fold.result().steps[1].status, StepStatus::Error);
        QCOMPARE(fold.result().steps[0].status, StepStatus::Running);
        QCOMPARE(fold.add(keylessFinish()), finishedChange(0));
        QCOMPARE(stepLines(fold), (QStringList{u"research bot.invoke success"_s, u"summarise llm.message error"_s}));
    }

    void keyedFinishStillClosesItsOwnStep()
    {
        // "outer" is closed by name while "inner" still runs: the next finish without a
        // key closes "inner", not the already finished "outer".
        RunFold fold;
        fold.add(wire::stepStarted({u"i"_s, 0, 0, u"outer"_s}, u"outer"_s, u"utils.echo"_s, Json::object()));
        fold.add(wire::stepStarted({u"i"_s, 1, 1, u"inner"_s}, u"inner"_s, u"utils.echo"_s, Json::object()));
        QCOMPARE(fold.add(wire::stepFinished({u"i"_s, 2, 2, u"outer"_s}, u"outer"_s, u"utils.echo"_s,
                                             StepStatus::Success, Json(1), {}, Source::Live, 1)),
                 finishedChange(0));
        QCOMPARE(fold.add(keylessFinish("cancelled")), finishedChange(1));
        QCOMPARE(stepLines(fold), (QStringList{u"outer utils.echo success"_s, u"inner utils.echo cancelled"_s}));
        // A key alone (no path) names its step as before.
        fold.add(started("third", "utils.echo"));
        QCOMPARE(fold.add(raw(R"({"payload": {"status": "step finished", "key": "third"}})")), finishedChange(2));
        QCOMPARE(fold.result().steps[2].status, StepStatus::Success);
    }

    void keylessFinishNeverOpensAStep()
    {
        // Nothing running: the finish changes nothing, and no unnamed step appears.
        RunFold fold;
        QCOMPARE(fold.add(keylessFinish()), finishedChange(-1));
        fold.add(started("only", "utils.echo"));
        fold.add(keylessFinish());
        QCOMPARE(fold.add(keylessFinish()), finishedChange(-1));
        // Empty strings name nothing either.
        QCOMPARE(fold.add(raw(R"({"payload": {"status": "step finished", "key": ""}, "metadata": {"path": ""}})")),
                 finishedChange(-1));
        QCOMPARE(stepLines(fold), QStringList{u"only utils.echo success"_s});
        QCOMPARE(fold.eventCount(), qint64(5));
    }

    void aStepMarkedCancelledIsNotClosedAgain()
    {
        // After the run was stopped, a late finish finds no running step.
        RunFold fold;
        fold.add(started("a", "utils.echo"));
        QCOMPARE(fold.markCancelled(), QList<int>{0});
        QCOMPARE(fold.add(keylessFinish()), finishedChange(-1));
        QCOMPARE(fold.result().steps[0].status, StepStatus::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestRunFoldKeyless)
#include "tst_runfoldkeyless.moc"
