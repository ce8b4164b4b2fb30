// The studio's step tree reading a stream as the public SDK's backend sends it: each
// "step finished" names no step (neither key nor path) and closes the most recently
// started step still running (core/fold/runfold.h). Both steps show as rows under their
// keys, succeeded; no unnamed row appears; each finish changes its own row.
#include "tests/support/plaininvokeserver.h"
#include "tests/ui/modeldump.h"
#include "ui/steps/steptreemodel.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using invoke::Event;
using invoke::Json;
using invoke::test::dumpTree;
using invoke::ui::StepTreeModel;

namespace {

QList<Event> keylessRun()
{
    QList<Event> events;
    for (const Json &event : invoke::test::PlainInvokeServer::keylessFinishRun(u"Tidy"_s))
        events.append(Event::fromJson(event));
    return events;
}

const QString kGolden = u"think | llm.message | succeeded\ntidy | utils.write | succeeded\n"_s;

} // namespace

class TestStepTreeKeyless : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eventByEvent()
    {
        StepTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QStringList afterEachFinish;
        for (const Event &event : keylessRun()) {
            const qsizetype changesBefore = changed.size();
            model.addEvents({event});
            if (!event.raw.contains("step finished"))
                continue;
            // The finish changed one existing row, the step it closed.
            QCOMPARE(changed.size(), changesBefore + 1);
            const QModelIndex row = changed.last().at(0).value<QModelIndex>();
            afterEachFinish << row.siblingAtColumn(StepTreeModel::KeyColumn).data().toString();
            afterEachFinish << dumpTree(&model);
        }
        QCOMPARE(afterEachFinish,
                 (QStringList{u"think"_s, u"think | llm.message | succeeded\n"_s,
                              u"tidy"_s, kGolden}));
    }

    void oneBatch()
    {
        StepTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEvents(keylessRun());
        QCOMPARE(dumpTree(&model), kGolden);
    }
};

QTEST_MAIN(TestStepTreeKeyless)
#include "tst_steptreekeyless.moc"
