#include "tests/ui/modeldump.h"
#include "tests/ui/runscript.h"
#include "ui/steps/steptreemodel.h"
#include "core/format/labels.h"

#include <QtCore/QFile>
#include <QtGui/QColor>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using invoke::Event;
using invoke::Json;
using invoke::Source;
using invoke::StepRecord;
using invoke::StepStatus;
namespace format = invoke::format;
using invoke::test::RunScript;
using invoke::test::batchesOf;
using invoke::test::dumpTree;
using invoke::ui::StepTreeModel;

namespace {

// A run with a sub-bot (research → search, summarise), a skipped step (finished
// without a start), a failed step and plenty of non-step events in between.
QList<Event> nestedRun()
{
    RunScript run;
    return {
        run.begin(),
        run.started(u"research"_s, u"bot.invoke"_s),
        run.started(u"research/search"_s, u"memory.search"_s, Json{{"query", "tides"}}),
        run.chunk(u"research/search"_s, u"hidden notes"_s, u"m0"_s, false),
        run.finished(u"research/search"_s, u"memory.search"_s, u"success"_s, u"live"_s, 120),
        run.started(u"research/summarise"_s, u"llm.message"_s),
        run.chunk(u"research/summarise"_s, u"Tides "_s),
        run.chunk(u"research/summarise"_s, u"are "_s),
        run.chunk(u"research/summarise"_s, u"waves."_s),
        run.finished(u"research/summarise"_s, u"llm.message"_s, u"success"_s, u"replay_hit"_s, 1234, {24, 27}),
        run.finished(u"research"_s, u"bot.invoke"_s, u"success"_s, u"live"_s, 2000),
        run.finished(u"cleanup"_s, u"utils.echo"_s, u"skipped"_s),
        run.status(u"answer"_s, u"thinking"_s),
        run.started(u"answer"_s, u"llm.message"_s),
        run.finished(u"answer"_s, u"llm.message"_s, u"error"_s, u"live"_s, 340, {}, u"rate limited"_s),
        run.end(u"error"_s, u"rate limited"_s),
    };
}

const QString kNestedGolden = uR"(research | bot.invoke | succeeded | live | 2.0 s
  search | memory.search | succeeded | live | 120 ms
  summarise | llm.message | succeeded | replay hit | 1.2 s | in 24 · out 27
cleanup | utils.echo | skipped
answer | llm.message | failed | live | 340 ms
)"_s;

Event plain(const Json &value)
{
    return Event::fromJson(value);
}

struct Insert
{
    QString parent;
    int first;
    int last;
    bool operator==(const Insert &) const = default;
};

QList<Insert> insertsOf(const QSignalSpy &spy)
{
    QList<Insert> inserts;
    for (const QList<QVariant> &args : spy) {
        const auto parent = args.at(0).value<QModelIndex>();
        inserts.append({parent.data(StepTreeModel::PathRole).toString(), args.at(1).toInt(), args.at(2).toInt()});
    }
    return inserts;
}

} // namespace

QT_BEGIN_NAMESPACE
namespace QTest {
template<> char *toString(const Insert &insert)
{
    return qstrdup(u"(%1: %2..%3)"_s.arg(insert.parent).arg(insert.first).arg(insert.last).toUtf8().constData());
}
} // namespace QTest
QT_END_NAMESPACE

class TestStepTreeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wholeTreeForAnyBatching_data()
    {
        QTest::addColumn<int>("batchSize");
        for (const int size : {1, 2, 3, 5, 7, 100})
            QTest::addRow("batches of %d", size) << size;
    }

    void wholeTreeForAnyBatching()
    {
        QFETCH(int, batchSize);
        StepTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto batches = batchesOf(nestedRun(), batchSize);
        for (const QList<Event> &batch : batches)
            model.addEvents(batch);
        QCOMPARE(dumpTree(&model), kNestedGolden);
        QCOMPARE(model.stepCount(), 5);
    }

    void oneInsertPerParentPerBatch()
    {
        RunScript run;
        StepTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // A new parent and its new children arrive together: one insert at the top.
        model.addEvents({run.started(u"research"_s, u"bot.invoke"_s),
                         run.started(u"research/a"_s, u"utils.echo"_s),
                         run.chunk(u"research/a"_s, u"x"_s),
                         run.started(u"research/b"_s, u"utils.echo"_s),
                         run.started(u"answer"_s, u"llm.message"_s)});
        QCOMPARE(insertsOf(inserted), (QList<Insert>{{QString(), 0, 1}}));
        QCOMPARE(changed.count(), 0);

        // Children of a known parent and a new top-level row: one insert per parent,
        // the inclusive last row right.
        inserted.clear();
        model.addEvents({run.started(u"research/c"_s, u"utils.echo"_s),
                         run.started(u"final"_s, u"utils.write"_s),
                         run.started(u"research/d"_s, u"utils.echo"_s)});
        QCOMPARE(insertsOf(inserted), (QList<Insert>{{u"research"_s, 2, 3}, {QString(), 2, 2}}));

        // Several rows changing under two parents: one dataChanged per parent per batch.
        inserted.clear();
        model.addEvents({run.finished(u"research/a"_s, u"utils.echo"_s, u"success"_s, u"live"_s, 1),
                         run.finished(u"research/c"_s, u"utils.echo"_s, u"success"_s, u"live"_s, 2),
                         run.finished(u"answer"_s, u"llm.message"_s, u"success"_s, u"mock"_s, 3),
                         run.finished(u"research/b"_s, u"utils.echo"_s, u"success"_s, u"live"_s, 4)});
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(changed.count(), 2);
        for (const QList<QVariant> &args : changed) {
            const auto topLeft = args.at(0).value<QModelIndex>();
            const auto bottomRight = args.at(1).value<QModelIndex>();
            if (topLeft.parent().isValid()) {
                QCOMPARE(topLeft.row(), 0);
                QCOMPARE(bottomRight.row(), 2);
            } else {
                QCOMPARE(topLeft.row(), 1);
                QCOMPARE(bottomRight.row(), 1);
            }
            QCOMPARE(bottomRight.column(), StepTreeModel::ColumnCount - 1);
        }
        QCOMPARE(dumpTree(&model), uR"(research | bot.invoke | running
  a | utils.echo | succeeded | live | 1 ms
  b | utils.echo | succeeded | live | 4 ms
  c | utils.echo | succeeded | live | 2 ms
  d | utils.echo | running
answer | llm.message | succeeded | mock | 3 ms
final | utils.write | running
)"_s);

        // A batch without step events changes nothing.
        changed.clear();
        model.addEvents({run.chunk(u"answer"_s, u"more"_s), run.status(QString(), u"hi"_s)});
        QCOMPARE(changed.count(), 0);
        QCOMPARE(inserted.count(), 0);
    }

    void stepsWithUnknownParentGoToNearestKnownAncestor()
    {
        RunScript run;
        StepTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEvents({run.started(u"outer"_s, u"bot.invoke"_s)});
        model.addEvents({run.started(u"outer/inner/deep"_s, u"utils.echo"_s),
                         run.started(u"lost/child"_s, u"utils.echo"_s)});
        // The missing parent arriving late does not move the rows already shown.
        model.addEvents({run.started(u"outer/inner"_s, u"bot.invoke"_s),
                         run.started(u"outer/inner/next"_s, u"utils.echo"_s)});
        QCOMPARE(dumpTree(&model), uR"(outer | bot.invoke | running
  deep | utils.echo | running
  inner | bot.invoke | running
    next | utils.echo | running
child | utils.echo | running
)"_s);
        QCOMPARE(model.indexOfPath(u"outer/inner/deep"_s).parent(), model.indexOfPath(u"outer"_s));
        QVERIFY(!model.indexOfPath(u"lost/child"_s).parent().isValid());
    }

    void plainSdkEventsWithoutTypeOrMetadata()
    {
        StepTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEvents({
            plain(Json{{"payload", {{"bot_name", "Chat"}, {"invocation_id", "i-9"}}}}),
            plain(Json{{"payload", {{"key", "answer"}, {"action_type", "llm.message"}}}}),
            plain(Json{{"payload", "Hello"}, {"metadata", {{"message_content_id", "m"}}}}),
            plain(Json{{"payload", {{"status", "step finished"}, {"key", "answer"},
                                    {"result", {{"status", "success"}, {"output", "Hello"}}}}}}),
            plain(Json{{"payload", {{"status", "step finished"}, {"key", "tidy"},
                                    {"result", {{"status", "skipped"}}}}}}),
        });
        QCOMPARE(dumpTree(&model), u"answer | llm.message | succeeded\ntidy |  | skipped\n"_s);
        QVERIFY(model.stepAt(model.indexOfPath(u"answer"_s)).output == Json("Hello"));
    }

    void cancelMarksRunningSteps()
    {
        RunScript run;
        StepTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEvents({run.started(u"research"_s, u"bot.invoke"_s),
                         run.started(u"research/search"_s, u"memory.search"_s),
                         run.finished(u"research/search"_s, u"memory.search"_s, u"success"_s, u"live"_s, 80),
                         run.started(u"research/summarise"_s, u"llm.message"_s),
                         run.chunk(u"research/summarise"_s, u"Partial"_s)});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.markCancelled();
        QCOMPARE(changed.count(), 2); // the top-level row, and one span under research
        QCOMPARE(dumpTree(&model), uR"(research | bot.invoke | cancelled
  search | memory.search | succeeded | live | 80 ms
  summarise | llm.message | cancelled
)"_s);
        QCOMPARE(model.index(0, StepTreeModel::StatusColumn).data(StepTreeModel::StatusRole).value<StepStatus>(),
                 StepStatus::Cancelled);
    }

    void markFailedFailsRunningSteps()
    {
        RunScript run;
        StepTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEvents({run.started(u"answer"_s, u"llm.message"_s)});
        model.markFailed(u"the connection was closed"_s);
        QCOMPARE(dumpTree(&model), u"answer | llm.message | failed\n"_s);
        QCOMPARE(model.index(0, 0).data(Qt::ToolTipRole).toString(), u"the connection was closed"_s);
    }

    void rolesAndFlags()
    {
        StepTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEvents(nestedRun());

        const QModelIndex research = model.indexOfPath(u"research"_s);
        const QModelIndex summarise = model.indexOfPath(u"research/summarise"_s);
        const QModelIndex answer = model.indexOfPath(u"answer"_s);
        QVERIFY(research.isValid() && summarise.isValid() && answer.isValid());
        QCOMPARE(summarise.parent(), research);
        QCOMPARE(summarise.internalPointer(), model.index(1, 0, research).internalPointer());

        // Sub-bots may have children; other actions never do.
        QVERIFY(!(model.flags(research) & Qt::ItemNeverHasChildren));
        QVERIFY(model.flags(summarise) & Qt::ItemNeverHasChildren);

        QCOMPARE(summarise.data(StepTreeModel::PathRole).toString(), u"research/summarise"_s);
        const auto record = summarise.data(StepTreeModel::StepRecordRole).value<StepRecord>();
        QCOMPARE(record, model.stepAt(summarise));
        QCOMPARE(record.inputTokens, 24);
        QCOMPARE(record.source, Source::ReplayHit);
        QVERIFY(model.stepAt(model.indexOfPath(u"research/search"_s)).parameters == (Json{{"query", "tides"}}));

        const QModelIndex failedStatus = answer.siblingAtColumn(StepTreeModel::StatusColumn);
        QCOMPARE(failedStatus.data(Qt::ToolTipRole).toString(), u"rate limited"_s);
        QCOMPARE(answer.data(StepTreeModel::ErrorRole).toString(), u"rate limited"_s);
        QVERIFY(failedStatus.data(Qt::ForegroundRole).value<QColor>().isValid());
        QVERIFY(failedStatus.data(Qt::ForegroundRole) != summarise.siblingAtColumn(StepTreeModel::StatusColumn).data(Qt::ForegroundRole));
        const auto icon = failedStatus.data(Qt::DecorationRole).value<QIcon>();
        QVERIFY(!icon.pixmap(16, 16).isNull());
        QVERIFY(!answer.data(Qt::DecorationRole).isValid()); // only the status column has one
        QVERIFY(!model.stepAt(QModelIndex()).key.size());
    }

    void statusIconsAreInTheResources()
    {
        for (const char *name : {"running", "succeeded", "failed", "skipped", "cancelled"}) {
            const QString path = u":/icons/status-"_s + QLatin1String(name) + u".svg"_s;
            QVERIFY2(QFile::exists(path), qPrintable(path));
            QVERIFY2(!QIcon(path).pixmap(16, 16).isNull(), qPrintable(path));
        }
    }

    void texts_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("0 ms") << StepTreeModel::durationText(0) << u"0 ms"_s;
        QTest::newRow("340 ms") << StepTreeModel::durationText(340) << u"340 ms"_s;
        QTest::newRow("1.2 s") << StepTreeModel::durationText(1234) << u"1.2 s"_s;
        QTest::newRow("59.9 s") << StepTreeModel::durationText(59'900) << u"59.9 s"_s;
        QTest::newRow("2 min") << StepTreeModel::durationText(125'000) << u"2 min 5 s"_s;
        QTest::newRow("unknown duration") << StepTreeModel::durationText(-1) << QString();
        QTest::newRow("tokens") << StepTreeModel::tokensText(24, 27) << u"in 24 · out 27"_s;
        QTest::newRow("tokens in") << StepTreeModel::tokensText(24, -1) << u"in 24"_s;
        QTest::newRow("tokens out") << StepTreeModel::tokensText(-1, 3) << u"out 3"_s;
        QTest::newRow("no tokens") << StepTreeModel::tokensText(-1, -1) << QString();
        QTest::newRow("stored") << format::label(Source::ReplayStored) << u"stored"_s;
        QTest::newRow("refreshed") << format::label(Source::Refreshed) << u"refreshed"_s;
        QTest::newRow("failed") << format::label(StepStatus::Error) << u"failed"_s;
    }

    void texts()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(text, expected);
    }

    void stepRunTwiceAndStepThatOnlyEnds()
    {
        // The fold says which step each event touched (core/fold/runfold.h): a path run
        // again is a new row, its end changes that row and not the first; an end with no
        // start (a skipped step) is a new row too; the invocation id is the fold's.
        RunScript run(u"inv-twice"_s);
        StepTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.invocationId(), QString());
        model.addEvents({run.begin(), run.started(u"loop"_s, u"utils.echo"_s),
                         run.finished(u"loop"_s, u"utils.echo"_s, u"success"_s, u"live"_s, 3)});
        QCOMPARE(model.invocationId(), u"inv-twice"_s);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.addEvents({run.started(u"loop"_s, u"utils.echo"_s), run.chunk(u"loop"_s, u"text"_s)});
        QCOMPARE(insertsOf(inserted), (QList<Insert>{{QString(), 1, 1}}));
        QCOMPARE(changed.count(), 0); // a text chunk changes no step row
        model.addEvents({run.finished(u"loop"_s, u"utils.echo"_s, u"error"_s, u"live"_s, 4, {}, u"no"_s),
                         run.finished(u"after"_s, u"utils.echo"_s, u"skipped"_s)});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), 1);
        QCOMPARE(dumpTree(&model), uR"(loop | utils.echo | succeeded | live | 3 ms
loop | utils.echo | failed | live | 4 ms
after | utils.echo | skipped
)"_s);
        QCOMPARE(model.indexOfPath(u"loop"_s).row(), 1);
    }

    void clearStartsOver()
    {
        StepTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEvents(nestedRun());
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.stepCount(), 0);
        QVERIFY(!model.indexOfPath(u"research"_s).isValid());
        const auto batches = batchesOf(nestedRun(), 4);
        for (const QList<Event> &batch : batches)
            model.addEvents(batch);
        QCOMPARE(dumpTree(&model), kNestedGolden);
    }
};

QTEST_MAIN(TestStepTreeModel)
#include "tst_steptreemodel.moc"
