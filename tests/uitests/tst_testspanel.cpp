// The studio's Tests panel on its own (ui/tests), on the embedded engine with the bundled
// bots: the bundled tests folder runs all green; a copy with one wrong expectation fails
// and its failure shows the assertion as written, expected and actual, and the case's run
// (with its events) is handed on; cases are edited with undo and saved; a file with
// problems is refused with them; a run saved as a test case (the dialog's proposals)
// parses and passes. The model under QAbstractItemModelTester. The panel inside the
// window: tst_testsworkflow.
#include "core/agenttests/testfileparser.h"
#include "core/backend/localbackend.h"
#include "core/model/mocksetio.h"
#include "ui/common/banner.h"
#include "ui/tests/casedetailview.h"
#include "ui/tests/savetestcasedialog.h"
#include "ui/tests/testsdocument.h"
#include "ui/tests/testsmodel.h"
#include "ui/tests/testspanel.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtGui/QUndoStack>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QTreeWidget>

using namespace Qt::StringLiterals;
using namespace invoke;
using invoke::ui::CaseState;
using invoke::ui::TestsModel;

namespace {

constexpr int kRunTimeoutMs = 180000; // the loaded 2-core machine: a liveness bound only

const QString kBundledTests = QStringLiteral(INVOKE_SOURCE_DIR "/resources/tests");

struct Panel
{
    explicit Panel(const QString &dir)
        : local([&] {
              LocalBackend::Options o;
              o.botFolders = {u":/bots"_s};
              o.replayCacheFile = dir + u"/replay.sqlite"_s;
              return o;
          }()),
          panel(&local),
          modelTester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest)
    {
        panel.resize(1200, 420);
        panel.show();
    }

    LocalBackend local;
    ui::TestsPanel panel;
    QAbstractItemModelTester modelTester;
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

} // namespace

class TestsPanelTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bundledTestsRunGreen();
    void failedCaseShowsItsFailure();
    void casesAreEditedWithUndoAndSaved();
    void caseFromARunIsSavedAndPasses();
    void badFileIsRefusedWithItsProblems();
    void screenshot();
};

void TestsPanelTest::bundledTestsRunGreen()
{
    QTemporaryDir dir;
    Panel p(dir.path());
    ui::TestsPanel *panel = &p.panel;
    QVERIFY(panel->openPath(kBundledTests));
    QCOMPARE(panel->model()->documentCount(), QDir(kBundledTests).entryList({u"*.tests.json"_s}).size());
    const TestsModel::Summary before = panel->model()->summary();
    QVERIFY(before.cases >= 6);
    QCOMPARE(before.passed, 0);
    QVERIFY(panel->summaryLabel()->text().contains(u"not run"_s));

    // Each case goes queued → running → a verdict; rows change while the run goes.
    QSignalSpy changed(panel->model(), &QAbstractItemModel::dataChanged);
    QTest::mouseClick(panel->findChild<QToolBar *>(u"testsToolbar"_s)->widgetForAction(panel->runAllAction()),
                      Qt::LeftButton);
    QVERIFY(panel->isRunning());
    QVERIFY(panel->stopAction()->isEnabled());
    QVERIFY(!panel->runAllAction()->isEnabled());
    waitForRun(panel);
    QVERIFY(changed.count() > before.cases);

    const TestsModel::Summary after = panel->model()->summary();
    QCOMPARE(after.passed, before.cases);
    QCOMPARE(after.failed, 0);
    QCOMPARE(after.errors, 0);
    QVERIFY2(panel->summaryLabel()->text().startsWith(u"%1 passed · 0 failed · 0 errors — "_s.arg(before.cases)),
             qPrintable(panel->summaryLabel()->text()));
    for (int file = 0; file < panel->model()->documentCount(); ++file) {
        const QModelIndex fileIndex = panel->model()->index(file, 0);
        QCOMPARE(fileIndex.data(TestsModel::StateRole).toInt(), int(CaseState::Passed));
        QVERIFY(panel->model()->index(file, TestsModel::TimeColumn).data().toString().endsWith(u"passed"_s));
    }
    QVERIFY(!panel->runFailedAction()->isEnabled()); // nothing failed
}

void TestsPanelTest::failedCaseShowsItsFailure()
{
    QTemporaryDir dir;
    Panel p(dir.path());
    ui::TestsPanel *panel = &p.panel;
    const QString file = writeWrongExpectation(dir.path());
    QVERIFY(!file.isEmpty());
    QVERIFY(panel->openPath(file));
    panel->runAll();
    waitForRun(panel);
    const TestsModel::Summary summary = panel->model()->summary();
    QCOMPARE(summary.failed, 1);
    QCOMPARE(summary.passed, summary.cases - 1);
    QVERIFY(panel->summaryLabel()->text().startsWith(u"%1 passed · 1 failed · 0 errors"_s.arg(summary.cases - 1)));
    QVERIFY(panel->runFailedAction()->isEnabled());
    QCOMPARE(panel->model()->index(0, 0).data(TestsModel::StateRole).toInt(), int(CaseState::Failed));

    // Picking the failed case hands on its run, events kept, and shows the failure.
    const QModelIndex failed = caseIndex(panel, u"billing tickets are routed"_s);
    QCOMPARE(failed.data(TestsModel::StateRole).toInt(), int(CaseState::Failed));
    QSignalSpy shown(panel, &ui::TestsPanel::caseRunSelected);
    panel->view()->setCurrentIndex(panel->model()->index(0, 0)); // the file row: no run to show
    QCOMPARE(shown.count(), 0);
    panel->view()->setCurrentIndex(failed);
    QCOMPARE(shown.count(), 1);
    const auto result = shown.at(0).at(1).value<agenttests::CaseResult>();
    QCOMPARE(result.status, agenttests::CaseStatus::Failed);
    QVERIFY(!result.run.events.isEmpty());
    QVERIFY(!result.run.steps.isEmpty());
    QCOMPARE(shown.at(0).at(0).value<agenttests::TestCase>().request.query(), u"I was charged twice"_s);

    QTreeWidget *failures = panel->detail()->failureList();
    QVERIFY(failures->isVisible());
    QCOMPARE(failures->topLevelItemCount(), 1);
    QTreeWidgetItem *row = failures->topLevelItem(0);
    QCOMPARE(row->text(0), u"{\"text_contains\":\"shipping\"}"_s);
    QCOMPARE(row->text(1), u"shipping"_s);
    QVERIFY2(row->text(2).contains(u"billing"_s, Qt::CaseInsensitive), qPrintable(row->text(2)));

    // A passing case: its own run, no failure rows.
    panel->view()->setCurrentIndex(caseIndex(panel, u"a normal bug report is routed, not escalated"_s));
    QCOMPARE(shown.count(), 2);
    QVERIFY(!failures->isVisible());

    // Run failed runs only that one again, and it fails the same way.
    panel->runFailed();
    QCOMPARE(panel->model()->summary().running, 1);
    waitForRun(panel);
    QCOMPARE(panel->model()->summary().failed, 1);
    QCOMPARE(panel->model()->summary().passed, summary.cases - 1);
}

void TestsPanelTest::casesAreEditedWithUndoAndSaved()
{
    QTemporaryDir dir;
    Panel p(dir.path());
    ui::TestsPanel *panel = &p.panel;
    const QString file = writeWrongExpectation(dir.path());
    QVERIFY(panel->openPath(file));
    ui::TestsDocument *document = panel->model()->document(0);
    const QString original = document->testCase(0).name;
    QVERIFY(!document->isModified());

    // Rename, then undo through the panel's action (the stack of the selected file).
    panel->selectCase(document, 0);
    QVERIFY(document->renameCase(0, u"renamed"_s));
    QCOMPARE(panel->model()->indexOfCase(document, 0).data().toString(), u"renamed"_s);
    QVERIFY(panel->model()->index(0, 0).data().toString().endsWith(u" *"_s));
    QString error;
    QVERIFY(!document->renameCase(0, document->testCase(1).name, &error));
    QVERIFY(error.contains(u"already names"_s));
    QVERIFY(panel->undoAction()->isEnabled());
    panel->undoAction()->trigger();
    QCOMPARE(document->testCase(0).name, original);
    QVERIFY(!document->isModified());

    // Remove and duplicate, undone.
    const int count = document->count();
    panel->selectCase(document, 1);
    panel->removeAction()->trigger();
    QCOMPARE(document->count(), count - 1);
    QCOMPARE(panel->view()->currentIndex(), panel->model()->indexOfCase(document, 1)); // the next one
    panel->duplicateAction()->trigger();
    QCOMPARE(document->count(), count);
    QCOMPARE(document->testCase(2).name, document->testCase(1).name + u" (copy)"_s);
    QCOMPARE(panel->view()->currentIndex(), panel->model()->indexOfCase(document, 2));
    document->undoStack()->undo();
    document->undoStack()->undo();
    QCOMPARE(document->count(), count);
    QCOMPARE(document->testCase(1).name, u"a normal bug report is routed, not escalated"_s);

    // Expectations as JSON lines: a bad line is refused with its line number and the text
    // kept; a good edit fixes the wrong expectation, and the case passes again.
    panel->selectCase(document, 0);
    QPlainTextEdit *editor = panel->detail()->expectationEditor();
    const QString lines = editor->toPlainText();
    QVERIFY(lines.startsWith(u"{\"text_contains\":\"shipping\"}"_s));
    editor->setPlainText(u"{\"text_contains\": \"billing\"}\n{\"text_containz\": \"x\"}"_s);
    QVERIFY(panel->detail()->applyButton()->isEnabled());
    QTest::mouseClick(panel->detail()->applyButton(), Qt::LeftButton);
    QVERIFY(panel->detail()->problemLabel()->isVisible());
    QVERIFY2(panel->detail()->problemLabel()->text().contains(u"line 2"_s), qPrintable(panel->detail()->problemLabel()->text()));
    QVERIFY(!document->isModified());
    QString fixed = lines;
    fixed.replace(u"shipping"_s, u"billing"_s);
    editor->setPlainText(fixed);
    QTest::mouseClick(panel->detail()->applyButton(), Qt::LeftButton);
    QVERIFY(document->isModified());
    QCOMPARE(document->testCase(0).expect.first().text, u"billing"_s);
    QVERIFY(panel->saveAction()->isEnabled());
    QVERIFY(panel->saveCurrent());
    QVERIFY(!document->isModified());

    const agenttests::TestFileResult saved = agenttests::loadTestFile(file);
    QVERIFY2(saved.file, qPrintable(saved.problems.join(u'\n')));
    QCOMPARE(saved.file->cases.size(), count);
    QCOMPARE(saved.file->cases.first().expect.first().text, u"billing"_s);
    panel->runAll();
    waitForRun(panel);
    QCOMPARE(panel->model()->summary().passed, count);
}

void TestsPanelTest::caseFromARunIsSavedAndPasses()
{
    QTemporaryDir dir;
    Panel p(dir.path());
    ui::TestsPanel *panel = &p.panel;
    QVERIFY(panel->openPath(kBundledTests + u"/ticket-triage.tests.json"_s));
    QSignalSpy shown(panel, &ui::TestsPanel::caseRunSelected);
    panel->runAll();
    waitForRun(panel);
    shown.clear(); // the first case, selected on open, was handed on as it finished
    panel->view()->setCurrentIndex(caseIndex(panel, u"a normal bug report is routed, not escalated"_s));
    QCOMPARE(shown.count(), 1);
    const auto source = shown.at(0).at(0).value<agenttests::TestCase>();
    const InvokeResult run = shown.at(0).at(1).value<agenttests::CaseResult>().run;

    // The dialog proposes what the run did; replay mode proposes no mock source.
    ui::SaveTestCaseDialog dialog(source.request, run, {}, dir.filePath(u"saved.tests.json"_s));
    QCOMPARE(dialog.botField()->text(), u"ticket-triage"_s);
    QCOMPARE(dialog.modeBox()->currentText(), u"manual"_s);
    QCOMPARE(dialog.nameField()->text(), u"The export button does nothing"_s);
    QListWidget *lines = dialog.assertionList();
    QVERIFY(lines->count() >= 3);
    QVERIFY(lines->item(0)->text().startsWith(u"{\"text_contains\":"_s));
    QCOMPARE(lines->findItems(u"{\"source\":\"mock\",\"status\":\"success\",\"step\":\"classify\"}"_s,
                              Qt::MatchExactly).size(), 1);
    dialog.modeBox()->setCurrentText(u"replay"_s);
    for (int i = 0; i < lines->count(); ++i)
        QVERIFY2(!lines->item(i)->text().contains(u"\"source\""_s), qPrintable(lines->item(i)->text()));
    dialog.modeBox()->setCurrentText(u"manual"_s);
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
    QVERIFY(testCase->mocksGiven);
    QVERIFY(testCase->request.manualMocks == source.request.manualMocks);

    // Into a new file, then a second case appended: both parse, both pass; a taken name is refused.
    const QString path = dialog.filePath();
    QVERIFY2(panel->addCaseToFile(path, *testCase, &error), qPrintable(error));
    QVERIFY(!panel->addCaseToFile(path, *testCase, &error));
    QVERIFY(error.contains(u"already names"_s));
    agenttests::TestCase second = *testCase;
    second.name = u"second"_s;
    QVERIFY2(panel->addCaseToFile(path, second, &error), qPrintable(error));
    const agenttests::TestFileResult saved = agenttests::loadTestFile(path);
    QVERIFY2(saved.file, qPrintable(saved.problems.join(u'\n')));
    QCOMPARE(saved.file->cases.size(), 2);
    QCOMPARE(saved.file->cases.at(0).name, testCase->name);
    QCOMPARE(saved.file->cases.at(0).expect.size(), testCase->expect.size());
    QVERIFY(saved.file->cases.at(0).request.manualMocks == testCase->request.manualMocks);
    const int row = panel->model()->documentRowOf(QFileInfo(path).absoluteFilePath());
    QVERIFY(row >= 0);
    QVERIFY(!panel->model()->document(row)->isModified());
    panel->model()->clearResults();
    panel->runAll();
    waitForRun(panel);
    QCOMPARE(panel->model()->summary().failed, 0);
    QCOMPARE(panel->model()->summary().errors, 0);
    QCOMPARE(panel->model()->summary().passed, panel->model()->summary().cases);
}

void TestsPanelTest::badFileIsRefusedWithItsProblems()
{
    QTemporaryDir dir;
    Panel p(dir.path());
    ui::TestsPanel *panel = &p.panel;
    QFile bad(dir.filePath(u"bad.tests.json"_s));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"tests\": [{\"name\": \"x\", \"bot\": \"chat\",\n \"expect\": [{\"text_containz\": \"a\"}]}]}\n");
    bad.close();
    QVERIFY(!panel->openPath(bad.fileName()));
    QCOMPARE(panel->model()->documentCount(), 0);
    QVERIFY2(panel->banner()->text().contains(u"bad.tests.json:2:"_s), qPrintable(panel->banner()->text()));
    QVERIFY(!panel->runAllAction()->isEnabled());
}

void TestsPanelTest::screenshot()
{
    QTemporaryDir dir;
    Panel p(dir.path());
    ui::TestsPanel *panel = &p.panel;
    QVERIFY(panel->openPath(kBundledTests));
    QVERIFY(panel->openPath(writeWrongExpectation(dir.path())));
    panel->runAll();
    waitForRun(panel);
    panel->view()->setCurrentIndex(caseIndex(panel, u"billing tickets are routed"_s));
    const QImage image = panel->grab().toImage();
    QVERIFY(!image.isNull());
    if (const QString out = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR"); !out.isEmpty())
        QVERIFY(image.save(out + u"/tests-panel-only.png"_s));
}

QTEST_MAIN(TestsPanelTest)
#include "tst_testspanel.moc"
