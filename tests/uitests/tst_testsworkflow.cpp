// The Tests panel inside the studio window (ui/window/testsworkflow), on the embedded
// engine with the bundled bots as app/studio composes it: a case with one wrong
// expectation fails, and picking it loads its run into the window's step tree, transcript
// and events, with the failed assertion next to the actual value; a run of the window
// saved as a test case parses and passes; the menus, Edit ▸ Undo, the close guard; a
// screenshot. The panel's model under QAbstractItemModelTester. The panel alone: tst_testspanel.
#include "tests/ui/profiledstudio.h"

#include "core/agenttests/testfileparser.h"
#include "core/model/mocksetio.h"
#include "ui/common/banner.h"
#include "ui/desktop/shortcutlist.h"
#include "ui/events/eventsview.h"
#include "ui/request/botpicker.h"
#include "ui/request/composer.h"
#include "ui/request/modeswitch.h"
#include "ui/run/runcontroller.h"
#include "ui/run/transcriptmodel.h"
#include "ui/steps/steptreemodel.h"
#include "ui/tests/casedetailview.h"
#include "ui/tests/savetestcasedialog.h"
#include "ui/tests/testsdocument.h"
#include "ui/tests/testsmodel.h"
#include "ui/tests/testspanel.h"
#include "ui/window/testsworkflow.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtGui/QAction>
#include <QtGui/QUndoStack>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QApplication>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QTreeWidget>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;
using invoke::ui::CaseState;
using invoke::ui::MainWindow;
using invoke::ui::TestsModel;

namespace {

constexpr int kRunTimeoutMs = 180000; // the loaded 2-core machine: a liveness bound only

const QString kBundledTests = QStringLiteral(INVOKE_SOURCE_DIR "/resources/tests");

struct Studio
{
    explicit Studio(const QString &dir)
        : studio(dir + u"/studio.ini"_s, u"invoke-tests-panel-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces),
                 dir + u"/replay.sqlite"_s, {u":/bots"_s})
    {
        const ui::WindowAddOns addOns = ui::installWindowAddOns(studio.window.get(), &studio.profiles, &studio.provider);
        tests = addOns.tests;
        panel = tests->panel();
        modelTester = std::make_unique<QAbstractItemModelTester>(panel->model(),
                                                                 QAbstractItemModelTester::FailureReportingMode::QtTest);
        window()->resize(1440, 980);
        window()->show();
        tests->dock()->show(); // as View ▸ Panels ▸ Tests does
        QSignalSpy loaded(window(), &MainWindow::botsLoaded);
        if (window()->botPicker()->listing().bots.isEmpty())
            loaded.wait(30000);
    }
    MainWindow *window() const { return studio.window.get(); }

    ProfiledStudio studio;
    ui::TestsWorkflow *tests = nullptr;
    ui::TestsPanel *panel = nullptr;
    std::unique_ptr<QAbstractItemModelTester> modelTester;
};

void waitForRun(ui::TestsPanel *panel)
{
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), kRunTimeoutMs);
}

QModelIndex caseIndex(ui::TestsPanel *panel, const QString &name)
{
    TestsModel *model = panel->model();
    for (int file = model->documentCount() - 1; file >= 0; --file) { // the file opened last first
        ui::TestsDocument *document = model->document(file);
        if (const int row = document->rowOf(name); row >= 0)
            return model->indexOfCase(document, row);
    }
    return {};
}

// The ticket-triage example with its first case expecting "shipping" instead of "billing",
// its mocks inline so the copy runs anywhere. Returns the file.
QString writeWrongExpectation(const QString &dir)
{
    agenttests::TestFileResult loaded = agenttests::loadTestFile(kBundledTests + u"/ticket-triage.tests.json"_s);
    if (!loaded.file)
        return {};
    agenttests::TestFile file = *loaded.file;
    for (agenttests::TestCase &c : file.cases) {
        if (!c.mocksFile.isEmpty()) {
            c.mocksFile.clear();
            c.mocksGiven = true; // inline: the set the file named, as loaded
        }
    }
    QString error;
    std::optional<agenttests::Assertion> wrong = agenttests::parseAssertion(Json{{"text_contains", "shipping"}}, &error);
    file.cases[0].expect[0] = *wrong;
    const QString path = dir + u"/triage-wrong.tests.json"_s;
    if (!writeFileAtomically(path, mockDocumentBytes(file.toJson()), &error))
        return {};
    return path;
}

int stepRows(const ui::StepTreeModel *steps)
{
    return steps->rowCount();
}

bool stepTreeHas(const ui::StepTreeModel *steps, const QString &path)
{
    return steps->indexOfPath(path).isValid();
}

} // namespace

class TestsWorkflowTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void failedCaseOpensItsRun();
    void runSavedAsTestCasePasses();
    void inTheWindowsMenus();
    void closeAsksAboutUnsavedTests();
    void screenshot();
};

void TestsWorkflowTest::failedCaseOpensItsRun()
{
    QTemporaryDir dir;
    Studio s(dir.path());
    ui::TestsPanel *panel = s.panel;
    const QString file = writeWrongExpectation(dir.path());
    QVERIFY(!file.isEmpty());
    QVERIFY(panel->openPath(file));
    panel->runAll();
    waitForRun(panel);
    const TestsModel::Summary summary = panel->model()->summary();
    QCOMPARE(summary.failed, 1);
    QCOMPARE(summary.passed, summary.cases - 1);
    QVERIFY(panel->runFailedAction()->isEnabled());

    // Selecting the failed case loads its run into the window and its failure next to it.
    const QModelIndex failed = caseIndex(panel, u"billing tickets are routed"_s);
    QVERIFY(failed.isValid());
    QCOMPARE(failed.data(TestsModel::StateRole).toInt(), int(CaseState::Failed));
    QSignalSpy shown(panel, &ui::TestsPanel::caseRunSelected);
    panel->view()->setCurrentIndex(panel->model()->index(0, 0)); // the file row: no run to show
    QCOMPARE(shown.count(), 0);
    panel->view()->setCurrentIndex(failed);
    QCOMPARE(shown.count(), 1);

    MainWindow *window = s.window();
    QCOMPARE(window->botPicker()->currentKey(), u"ticket-triage"_s);
    QVERIFY(stepRows(window->stepModel()) > 0);
    QVERIFY(stepTreeHas(window->stepModel(), u"classify"_s));
    QCOMPARE(window->stepModel()->stepAt(window->stepModel()->indexOfPath(u"classify"_s)).source, Source::Mock);
    ui::TranscriptModel *transcript = window->transcriptModel();
    QVERIFY(transcript->rowCount() >= 2);
    QCOMPARE(transcript->textAt(0), u"I was charged twice"_s);
    QVERIFY(transcript->textAt(transcript->rowCount() - 1).contains(u"billing"_s, Qt::CaseInsensitive));
    QVERIFY(window->eventsView()->findChild<QAbstractItemView *>()->model()->rowCount() > 0);

    QTreeWidget *failures = panel->detail()->failureList();
    QVERIFY(failures->isVisible());
    QCOMPARE(failures->topLevelItemCount(), 1);
    QTreeWidgetItem *row = failures->topLevelItem(0);
    QCOMPARE(row->text(0), u"{\"text_contains\":\"shipping\"}"_s);
    QCOMPARE(row->text(1), u"shipping"_s);
    QVERIFY2(row->text(2).contains(u"billing"_s, Qt::CaseInsensitive), qPrintable(row->text(2)));

    // A passing case shows its own run, with no failure rows.
    panel->view()->setCurrentIndex(caseIndex(panel, u"a normal bug report is routed, not escalated"_s));
    QCOMPARE(shown.count(), 2);
    QVERIFY(!failures->isVisible());
    QVERIFY(stepTreeHas(window->stepModel(), u"route"_s));

    // Run failed runs only that one again, and it fails the same way.
    panel->runFailed();
    QCOMPARE(panel->model()->summary().running, 1);
    waitForRun(panel);
    QCOMPARE(panel->model()->summary().failed, 1);
}

void TestsWorkflowTest::runSavedAsTestCasePasses()
{
    QTemporaryDir dir;
    Studio s(dir.path());
    MainWindow *window = s.window();
    QVERIFY(!s.tests->saveRunAction()->isEnabled()); // no run yet
    s.tests->dock()->hide(); // saving a case shows the panel with it

    // A run in the window: ticket-triage in Manual mode with its bundled mock set.
    QSignalSpy finished(window, &MainWindow::runFinished);
    QVERIFY(window->botPicker()->selectBot(u"ticket-triage"_s));
    window->modeSwitch()->setMode(Mode::manual());
    window->modeSwitch()->setMockFile(ui::ModeSwitch::bundledMockFile(u"ticket-triage"_s));
    window->composer()->setText(u"I was charged twice"_s);
    window->invoke();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kRunTimeoutMs);
    const InvokeResult result = finished.at(0).at(0).value<InvokeResult>();
    QVERIFY(result.success);
    QVERIFY(s.tests->saveRunAction()->isEnabled());

    // The dialog proposes what the run did; one line is unticked, one edited wrongly first.
    ui::SaveTestCaseDialog dialog(window->runs()->lastRequest(), result, {}, dir.filePath(u"saved.tests.json"_s), window);
    QCOMPARE(dialog.botField()->text(), u"ticket-triage"_s);
    QCOMPARE(dialog.modeBox()->currentText(), u"manual"_s);
    QCOMPARE(dialog.nameField()->text(), u"I was charged twice"_s);
    if (const QString out = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR"); !out.isEmpty()) {
        dialog.show();
        QVERIFY(dialog.grab().save(out + u"/save-test-case.png"_s));
        dialog.hide();
    }
    QListWidget *lines = dialog.assertionList();
    QVERIFY(lines->count() >= 3);
    QVERIFY(lines->item(0)->text().startsWith(u"{\"text_contains\":"_s));
    bool stepWithMock = false;
    for (int i = 0; i < lines->count(); ++i)
        stepWithMock = stepWithMock || lines->item(i)->text() == u"{\"source\":\"mock\",\"status\":\"success\",\"step\":\"classify\"}"_s;
    QVERIFY(stepWithMock);
    // Replay mode: no mock source to check (a replay run's source changes), proposed afresh.
    dialog.modeBox()->setCurrentText(u"replay"_s);
    for (int i = 0; i < lines->count(); ++i)
        QVERIFY2(!lines->item(i)->text().contains(u"\"source\""_s), qPrintable(lines->item(i)->text()));
    dialog.modeBox()->setCurrentText(u"manual"_s);
    QVERIFY(lines->findItems(u"{\"source\":\"mock\",\"status\":\"success\",\"step\":\"classify\"}"_s,
                             Qt::MatchExactly).size() == 1);
    lines->item(lines->count() - 1)->setCheckState(Qt::Unchecked);
    const QString kept = lines->item(0)->text();
    lines->item(0)->setText(u"{\"text_contains\": "_s);
    QString error;
    QVERIFY(!dialog.testCase(&error));
    QVERIFY2(error.contains(u"Line 1"_s), qPrintable(error));
    lines->item(0)->setText(kept);
    const std::optional<agenttests::TestCase> testCase = dialog.testCase(&error);
    QVERIFY2(testCase, qPrintable(error));
    QCOMPARE(testCase->expect.size(), lines->count() - 1);
    QVERIFY(testCase->mocksGiven); // the run's mock set, inline

    // Saved into a new file, then a second case appended to it: both parse, both pass.
    const QString path = dialog.filePath();
    QVERIFY2(s.tests->saveTestCase(path, *testCase, &error), qPrintable(error));
    QVERIFY(s.tests->dock()->isVisible());
    agenttests::TestCase second = *testCase;
    second.name = u"second"_s;
    QVERIFY(!s.tests->saveTestCase(path, *testCase, &error)); // the name is taken
    QVERIFY(error.contains(u"already names"_s));
    QVERIFY2(s.tests->saveTestCase(path, second, &error), qPrintable(error));
    const agenttests::TestFileResult saved = agenttests::loadTestFile(path);
    QVERIFY2(saved.file, qPrintable(saved.problems.join(u'\n')));
    QCOMPARE(saved.file->cases.size(), 2);
    QCOMPARE(saved.file->cases.at(0).name, u"I was charged twice"_s);
    QCOMPARE(saved.file->cases.at(0).expect.size(), testCase->expect.size());
    QVERIFY(saved.file->cases.at(0).mocksGiven);
    QVERIFY(saved.file->cases.at(0).request.manualMocks == testCase->request.manualMocks);

    ui::TestsPanel *panel = s.panel;
    QCOMPARE(panel->model()->documentCount(), 1);
    QVERIFY(!panel->model()->document(0)->isModified());
    panel->runAll();
    waitForRun(panel);
    QCOMPARE(panel->model()->summary().passed, 2);
}

void TestsWorkflowTest::inTheWindowsMenus()
{
    QTemporaryDir dir;
    Studio s(dir.path());
    MainWindow *window = s.window();
    s.tests->dock()->hide();
    const QList<QAction *> file = window->menu(ui::WindowMenu::File)->actions();
    QVERIFY(file.contains(s.panel->openFileAction()));
    QVERIFY(file.contains(s.panel->openFolderAction()));
    QVERIFY(window->menu(ui::WindowMenu::Run)->actions().contains(s.tests->saveRunAction()));
    QMenu *tests = window->menuBar()->findChild<QMenu *>(u"testsMenu"_s);
    QVERIFY(tests);
    for (QAction *action : {s.panel->runAllAction(), s.panel->runFailedAction(), s.panel->stopAction(),
                            s.panel->saveAction(), s.tests->saveRunAction()})
        QVERIFY(tests->actions().contains(action));
    QAction *toggle = s.tests->dock()->toggleViewAction();
    QVERIFY(window->menu(ui::WindowMenu::Panels)->actions().contains(toggle));
    toggle->trigger();
    QVERIFY(s.tests->dock()->isVisible());
    // The panel's keys (F2, Delete in its list) clash with none of the window's.
    const QStringList clashes = ui::shortcutClashes(ui::windowShortcuts(window));
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(u'\n')));

    // Edit ▸ Undo reaches the panel's stack of the selected file while the list has the focus.
    QVERIFY(s.panel->openPath(writeWrongExpectation(dir.path())));
    ui::TestsDocument *document = s.panel->model()->document(0);
    QVERIFY(document->renameCase(0, u"renamed"_s));
    s.panel->view()->setFocus();
    QAction *undo = nullptr;
    for (QAction *action : window->menu(ui::WindowMenu::Edit)->actions())
        if (action->objectName() == u"undoAction"_s)
            undo = action;
    QVERIFY(undo);
    undo->trigger();
    QCOMPARE(document->testCase(0).name, u"billing tickets are routed"_s);
}

void TestsWorkflowTest::closeAsksAboutUnsavedTests()
{
    QTemporaryDir dir;
    Studio s(dir.path());
    MainWindow *window = s.window();
    const QString file = writeWrongExpectation(dir.path());
    QVERIFY(s.panel->openPath(file));
    ui::TestsDocument *document = s.panel->model()->document(0);
    QVERIFY(document->renameCase(0, u"renamed"_s));

    // Cancel keeps the window and the edit; Save all writes the file, then the window closes.
    QVERIFY(!window->close());
    QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
    auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
    QCOMPARE(box->objectName(), u"unsavedTestsBox"_s);
    QVERIFY(box->text().contains(u"triage-wrong.tests.json"_s));
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(!QApplication::activeModalWidget());
    QVERIFY(window->isVisible());
    QVERIFY(document->isModified());

    QVERIFY(!window->close());
    QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
    box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
    QTest::mouseClick(box->button(QMessageBox::SaveAll), Qt::LeftButton);
    QTRY_VERIFY(!window->isVisible());
    const agenttests::TestFileResult saved = agenttests::loadTestFile(file);
    QVERIFY(saved.file);
    QCOMPARE(saved.file->cases.first().name, u"renamed"_s);
}

void TestsWorkflowTest::screenshot()
{
    QTemporaryDir dir;
    Studio s(dir.path());
    ui::TestsPanel *panel = s.panel;
    QVERIFY(panel->openPath(kBundledTests));
    QVERIFY(panel->openPath(writeWrongExpectation(dir.path())));
    s.tests->dock()->show();
    panel->runAll();
    waitForRun(panel);
    panel->view()->setCurrentIndex(caseIndex(panel, u"billing tickets are routed"_s));
    QTest::qWait(200);
    const QString out = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR");
    if (!out.isEmpty()) {
        QVERIFY(s.window()->grab().save(out + u"/tests-panel.png"_s));
    }
    QVERIFY(!panel->grab().isNull());
}

QTEST_MAIN(TestsWorkflowTest)
#include "tst_testsworkflow.moc"
