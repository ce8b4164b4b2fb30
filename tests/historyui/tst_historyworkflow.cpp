// The run history in the studio window (ui/window/historyworkflow): a run the window
// starts is recorded and appears in the History panel; reopening it after another run
// shows the same step tree and transcript; two runs compared select the first divergence
// in the Compare dock; a run file opens into the window; the timeline follows the step
// tree. Real window, real embedded engine in manual mode (no LLM), real SQLite file,
// QAbstractItemModelTester on the panel's list; the window is rendered to PNG.
#include "tests/ui/profiledstudio.h"
#include "ui/history/historylistmodel.h"
#include "ui/history/historypanel.h"
#include "ui/history/runcompareview.h"
#include "ui/history/runtimeline.h"
#include "ui/request/botpicker.h"
#include "ui/run/runcontroller.h"
#include "ui/steps/steptreemodel.h"
#include "ui/window/historyworkflow.h"

#include "core/history/runhistory.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QDockWidget>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

namespace {

InvokeRequest chat(const QString &text, const QString &answer)
{
    InvokeRequest r;
    r.botKey = u"chat"_s;
    r.messages = {Message::user(text)};
    r.mode = Mode::manual();
    r.manualMocks.insert(u"answer"_s, MockResponse{true, Json{{"content", toStd(answer)}}, {}});
    return r;
}

QStringList stepRows(const StepTreeModel *model, const QModelIndex &parent = {})
{
    QStringList rows;
    for (int r = 0; r < model->rowCount(parent); ++r) {
        const QModelIndex index = model->index(r, 0, parent);
        const StepRecord step = model->stepAt(index);
        rows << u"%1 %2 %3 %4"_s.arg(step.path, wireName(step.status), wireName(step.source),
                                     QString::fromUtf8(dumpJson(step.output)));
        rows << stepRows(model, index);
    }
    return rows;
}

} // namespace

class TstHistoryWorkflow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void recordsReopensComparesAndOpensFiles()
    {
        QTemporaryDir dir;
        test::ProfiledStudio studio(dir.filePath(u"studio.ini"_s),
                                    u"invoke-tests-history-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces),
                                    dir.filePath(u"replay.sqlite"_s), {u":/bots"_s});
        MainWindow *window = studio.window.get();
        const WindowAddOns addOns = installWindowAddOns(window, &studio.profiles, &studio.provider,
                                                        dir.filePath(u"history.sqlite"_s));
        HistoryWorkflow *history = addOns.history;
        QVERIFY(history);
        QAbstractItemModelTester tester(history->panel()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window->resize(1440, 980);
        window->show();
        history->dock()->show();

        RunController *runs = window->runs();
        QSignalSpy recorded(history->history(), &history::RunHistory::runRecorded);
        QSignalSpy finished(runs, &RunController::finished);
        runs->start(chat(u"Is tea a drink?"_s, u"Tea is a drink made from leaves."_s), u"Is tea a drink?"_s);
        QVERIFY(finished.wait(60000));
        QTRY_COMPARE_WITH_TIMEOUT(recorded.size(), 1, 30000);
        const QStringList firstSteps = stepRows(window->stepModel());
        QVERIFY(!firstSteps.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(history->panel()->model()->rowCount(), 1, 10000);
        // The timeline follows the step tree.
        QCOMPARE(history->timeline()->bars().size(), firstSteps.size());

        runs->start(chat(u"Is tea a drink?"_s, u"Tea is a hot drink made from dried leaves."_s), u"Is tea a drink?"_s);
        QVERIFY(finished.wait(60000));
        QTRY_COMPARE_WITH_TIMEOUT(history->panel()->model()->rowCount(), 2, 30000);
        QVERIFY(stepRows(window->stepModel()) != firstSteps);

        // Reopen the first run: the same steps as when it ran.
        const QString firstId = history->panel()->model()->index(1, 0).data(HistoryListModel::InvocationIdRole).toString();
        history->panel()->select({firstId});
        QVERIFY(history->panel()->reopenSelected());
        QTRY_COMPARE_WITH_TIMEOUT(stepRows(window->stepModel()), firstSteps, 10000);
        QCOMPARE(runs->invocationId(), firstId);

        // Compare the two: the Compare dock opens on the first divergence.
        const QString secondId = history->panel()->model()->index(0, 0).data(HistoryListModel::InvocationIdRole).toString();
        history->panel()->select({firstId, secondId});
        QVERIFY(history->panel()->compareSelected());
        QVERIFY(history->compareView()->isVisible());
        QCOMPARE(history->compareView()->selectedPath(), u"answer"_s);

        const QString shot = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR", QDir::tempPath());
        QDir().mkpath(shot);
        QVERIFY(window->grab().save(shot + u"/studio-history.png"_s));

        // Export the second run, then open the file: it is shown as recorded.
        history->panel()->select({secondId});
        const QString file = dir.filePath(u"second.invokerun"_s);
        QVERIFY2(history->panel()->exportSelected(file), qPrintable(history->panel()->lastMessage()));
        const QStringList secondSteps = [&] {
            history->panel()->select({secondId});
            history->panel()->reopenSelected();
            return stepRows(window->stepModel());
        }();
        history->panel()->select({firstId});
        QVERIFY(history->panel()->reopenSelected());
        QVERIFY(history->openRunFile(file));
        QTRY_COMPARE_WITH_TIMEOUT(stepRows(window->stepModel()), secondSteps, 10000);
        QCOMPARE(runs->invocationId(), secondId);
    }
};

QTEST_MAIN(TstHistoryWorkflow)
#include "tst_historyworkflow.moc"
