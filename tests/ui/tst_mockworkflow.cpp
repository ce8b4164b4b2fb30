// Mock sets in the studio window, clicked through offscreen on the real engine: a run
// saved as a mock set, one answer changed in the editor, re-run in Manual mode, and the
// later steps follow; a live run's secrets masked; Promote to mock from the step tree;
// the coverage warning before a run; a dropped file; the close guard.
#include "studiofixture.h"

#include "core/model/redaction.h"
#include "tests/support/openaistubserver.h"
#include "ui/common/banner.h"
#include "ui/request/botpicker.h"
#include "ui/request/composer.h"
#include "ui/mocks/mockcoveragemodel.h"
#include "ui/mocks/mockentryview.h"
#include "ui/mocks/mockkeylistmodel.h"
#include "ui/mocks/mockseteditor.h"
#include "ui/mocks/mocksetdocument.h"
#include "ui/window/mockworkflow.h"
#include "ui/request/modeswitch.h"
#include "ui/run/runcontroller.h"
#include "ui/steps/steptreemodel.h"

#include <QtCore/QFile>
#include <QtCore/QMimeData>
#include <QtCore/QStandardPaths>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtGui/QAction>
#include <QtGui/QDragEnterEvent>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListView>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;
using invoke::ui::MainWindow;

namespace {

ui::MockSetEditor *editorOf(MainWindow *window)
{
    return window->mockWorkflow()->editor();
}

void selectBot(MainWindow *window, const QString &key)
{
    QTRY_VERIFY(!window->botPicker()->listing().bots.isEmpty());
    window->botPicker()->selectBot(key);
    QCOMPARE(window->botPicker()->currentKey(), key);
}

void runWithBundledMocks(MainWindow *window, const QString &bot, const QString &text)
{
    QSignalSpy finished(window, &MainWindow::runFinished);
    selectBot(window, bot);
    window->modeSwitch()->setMode(Mode::manual());
    QTest::mouseClick(window->modeSwitch()->useBundledButton(), Qt::LeftButton);
    QTRY_COMPARE(editorOf(window)->document()->filePath(), ui::ModeSwitch::bundledMockFile(bot));
    QPlainTextEdit *composer = window->composer()->editor();
    composer->setFocus();
    QTest::keyClicks(composer, text);
    QTest::keyClick(composer, Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(finished.at(0).at(0).value<InvokeResult>().success);
}

// Selects `needle` in the output editor and types `replacement` over it.
void replaceInOutput(ui::MockSetEditor *editor, const QString &needle, const QString &replacement)
{
    QPlainTextEdit *output = editor->entryView()->outputEdit();
    const qsizetype at = output->toPlainText().indexOf(needle);
    QVERIFY2(at >= 0, qPrintable(output->toPlainText()));
    QTextCursor cursor = output->textCursor();
    cursor.setPosition(int(at));
    cursor.setPosition(int(at + needle.size()), QTextCursor::KeepAnchor);
    output->setTextCursor(cursor);
    output->setFocus();
    QTest::keyClicks(output, replacement);
}

QMessageBox *openBox(const QString &name)
{
    QMessageBox *box = nullptr;
    if (!QTest::qWaitFor([&] { return (box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) != nullptr; }))
        return nullptr;
    return box->objectName() == name ? box : nullptr;
}

QStringList stepPaths(const InvokeResult &result)
{
    QStringList paths;
    for (const StepRecord &step : result.steps)
        paths << step.path;
    return paths;
}

} // namespace

class TstMockWorkflow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
    }

    void saveRunChangeOneAnswerRerun()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        ui::MockSetEditor *editor = editorOf(window);
        QAbstractItemModelTester keys(editor->keyModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester coverage(editor->coverageModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy finished(window, &MainWindow::runFinished);
        runWithBundledMocks(window, u"ticket-triage"_s, u"I was charged twice for the annual plan"_s);
        QVERIFY(stepPaths(finished.at(0).at(0).value<InvokeResult>()).contains(u"escalate"_s));

        // Save run as mock set, from the "Mocks" menu next to the result.
        auto *menuButton = window->inspectorTabs()->findChild<QToolButton *>(u"mocksMenuButton"_s);
        QVERIFY(menuButton && menuButton->menu()->actions().contains(window->mockWorkflow()->saveRunAction()));
        QVERIFY(window->mockWorkflow()->saveRunAction()->isEnabled());
        window->mockWorkflow()->saveRunAction()->trigger();
        ui::MockSetDocument *document = editor->document();
        QTRY_COMPARE(window->inspectorTabs()->currentWidget(), editor);
        QCOMPARE(document->keys(), QStringList{u"classify"_s}); // utils.* stay computed
        QVERIFY(document->filePath().isEmpty());
        QVERIFY(document->isModified());
        QCOMPARE(editor->currentKey(), u"classify"_s);
        // The mode switch names the same document: Manual mode runs this one.
        QVERIFY(window->modeSwitch()->findChild<QLineEdit *>(u"mockFile"_s)->text().contains(u"unsaved"_s));

        // One answer changed by typing: the ticket is not urgent any more.
        replaceInOutput(editor, u"\\\"urgent\\\""_s, u"\\\"low\\\""_s);
        QCOMPARE(document->problem(0).kind, ui::MockEntryProblem::None);

        // Re-run with mocks (the editor's toolbar has it too): the same request, in Manual
        // mode with the edited set, unsaved.
        QVERIFY(window->mockWorkflow()->rerunAction()->isEnabled());
        window->mockWorkflow()->rerunAction()->trigger();
        QTRY_COMPARE(finished.count(), 2);
        QCOMPARE(studio.backend->requests.size(), 2);
        const InvokeRequest &again = studio.backend->requests.at(1);
        QCOMPARE(again.mode, Mode::manual());
        QCOMPARE(again.messages, studio.backend->requests.at(0).messages);
        QVERIFY(toQString(again.manualMocks.value(u"classify"_s)->output["content"].get<std::string>()).contains(u"\"low\""_s));
        // The later steps saw it: routed, not escalated.
        const InvokeResult result = finished.at(1).at(0).value<InvokeResult>();
        QVERIFY(result.success);
        QVERIFY2(stepPaths(result).contains(u"route"_s) && !stepPaths(result).contains(u"escalate"_s),
                 qPrintable(stepPaths(result).join(u", "_s)));
        QVERIFY2(result.visibleText().contains(u"Routed to billing (low priority)"_s), qPrintable(result.visibleText()));
        QVERIFY(window->stepModel()->indexOfPath(u"route"_s).isValid());
        QVERIFY(document->isModified()); // still the user's to save
    }

    void liveRunSecretsAreMasked()
    {
        OpenAiStubServer llm;
        QVERIFY(llm.listen());
        const QString secret = u"plain-configured-secret-42"_s;
        llm.setReply(StubReply::text({u"The key you gave me is "_s, secret, u", keep it safe."_s}, 10, 5));
        qputenv("INVOKE_LLM_API_KEY", secret.toUtf8());
        StudioFixture studio({}, LlmSettings{llm.baseUrl(), u"stub-model"_s, secret, 60});
        MainWindow *window = studio.open();
        QSignalSpy finished(window, &MainWindow::runFinished);
        selectBot(window, u"chat"_s);
        QCOMPARE(window->modeSwitch()->mode(), Mode::live());
        window->composer()->setText(u"What is my key?"_s);
        QTest::keyClick(window->composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE(finished.count(), 1);
        qunsetenv("INVOKE_LLM_API_KEY");
        QCOMPARE(llm.requestCount(), 1);

        window->mockWorkflow()->saveRunAction()->trigger();
        ui::MockSetEditor *editor = editorOf(window);
        QTRY_COMPARE(editor->document()->keys(), QStringList{u"answer"_s});
        const QString output = editor->document()->entry(0).outputText;
        QVERIFY2(!output.contains(secret), qPrintable(output));
        QVERIFY(output.contains(QString::fromLatin1(RedactedText)));
        // The user is told where.
        QCOMPARE(editor->banner()->kind(), ui::Banner::Warning);
        QVERIFY2(editor->banner()->text().contains(u"answer"_s) && editor->banner()->text().contains(u"/output/content"_s),
                 qPrintable(editor->banner()->text()));

        // Re-run with mocks answers from the set: the server is not asked again.
        replaceInOutput(editor, QString::fromLatin1(RedactedText), u"(hidden)"_s);
        window->mockWorkflow()->rerunAction()->trigger();
        QTRY_COMPARE(finished.count(), 2);
        QCOMPARE(llm.requestCount(), 1);
        QVERIFY(finished.at(1).at(0).value<InvokeResult>().visibleText().contains(u"The key you gave me is (hidden)"_s));
    }

    void promoteStepFromTheTree()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        runWithBundledMocks(window, u"research-assistant"_s, u"Tea?"_s);
        ui::MockSetEditor *editor = editorOf(window);
        editor->newAction()->trigger(); // the bundled set is unmodified: no question
        QCOMPARE(editor->document()->count(), 0);

        // Right-click a nested step: the context menu offers Promote to mock.
        QTreeView *steps = window->stepView();
        window->inspectorTabs()->setCurrentIndex(0);
        const QModelIndex answer = window->stepModel()->indexOfPath(u"summarise/answer"_s);
        QVERIFY(answer.isValid());
        steps->scrollTo(answer);
        bool offered = false;
        QTimer::singleShot(0, this, [&] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            if (menu) {
                offered = menu->actions().contains(window->mockWorkflow()->promoteAction());
                window->mockWorkflow()->promoteAction()->trigger();
                menu->close();
            }
        });
        QMetaObject::invokeMethod(steps, "customContextMenuRequested", Q_ARG(QPoint, steps->visualRect(answer).center()));
        QVERIFY(offered);
        QCOMPARE(editor->document()->keys(), QStringList{u"summarise/answer"_s});
        QCOMPARE(editor->currentKey(), u"summarise/answer"_s);
        QVERIFY(editor->entryView()->outputEdit()->toPlainText().contains(u"Green tea and black tea"_s));
        QCOMPARE(window->inspectorTabs()->currentWidget(), editor);

        // Edited, then promoted again: the run's answer comes back, and undo brings the edit back.
        replaceInOutput(editor, u"Green tea"_s, u"Matcha"_s);
        const QString edited = editor->document()->entry(0).outputText;
        steps->setCurrentIndex(answer);
        window->mockWorkflow()->promoteAction()->trigger();
        QCOMPARE(editor->document()->count(), 1);
        QVERIFY(editor->document()->entry(0).outputText.contains(u"Green tea and black tea"_s));
        editor->undoAction()->trigger();
        QCOMPARE(editor->document()->entry(0).outputText, edited);
    }

    void coverageWarningNamesTheSteps()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        selectBot(window, u"research-assistant"_s);
        window->modeSwitch()->setMode(Mode::manual());
        ui::MockSetEditor *editor = editorOf(window);
        // Before running: the coverage lists the bot's steps and what answers them (the
        // plan comes from the backend, a moment later).
        QTRY_VERIFY(editor->coverageModel()->uncoveredSteps().contains(u"gather"_s));
        QVERIFY(editor->document()->addKey(u"gather"_s));
        QCOMPARE(editor->coverageModel()->uncoveredSteps(), QStringList{u"summarise/answer"_s});

        window->composer()->setText(u"Tea?"_s);
        clickAction(window, window->invokeAction());
        QMessageBox *box = openBox(u"coverageWarningBox"_s);
        QVERIFY(box);
        QVERIFY2(box->text().contains(u"summarise/answer"_s) && !box->text().contains(u"“gather”"_s), qPrintable(box->text()));
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        QTRY_VERIFY(!QApplication::activeModalWidget());
        QVERIFY(studio.backend->requests.isEmpty());
        QCOMPARE(window->composer()->text(), u"Tea?"_s);
        QCOMPARE(window->inspectorTabs()->currentWidget(), editor);

        // Run anyway: it runs, and fails where the warning said (the bot's handler catches it).
        QSignalSpy finished(window, &MainWindow::runFinished);
        clickAction(window, window->invokeAction());
        box = openBox(u"coverageWarningBox"_s);
        QVERIFY(box);
        QTest::mouseClick(box->findChild<QPushButton *>(u"runAnywayButton"_s), Qt::LeftButton);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(studio.backend->requests.size(), 1);
        const InvokeResult result = finished.at(0).at(0).value<InvokeResult>();
        bool failedThere = false;
        for (const StepRecord &step : result.steps)
            failedThere |= step.path == u"summarise/answer"_s && step.status == StepStatus::Error;
        QVERIFY(failedThere);

        // Covered: no question.
        QVERIFY(editor->document()->addKey(u"summarise/answer"_s));
        window->composer()->setText(u"Again"_s);
        clickAction(window, window->invokeAction());
        QTRY_COMPARE(finished.count(), 2);
    }

    void droppedFileOpensAndBecomesTheManualMockSet()
    {
        StudioFixture studio;
        QVERIFY(QFile::copy(u":/mocks/chat.mocks.json"_s, studio.dir.filePath(u"mine.json"_s)));
        QFile::setPermissions(studio.dir.filePath(u"mine.json"_s), QFile::ReadOwner | QFile::WriteOwner);
        MainWindow *window = studio.open();
        const QString file = studio.dir.filePath(u"mine.json"_s);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(file)});
        const QPoint at = window->rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window, &drop);
        QVERIFY(drop.isAccepted());
        ui::MockSetEditor *editor = editorOf(window);
        QTRY_COMPARE(editor->document()->filePath(), file);
        QCOMPARE(editor->document()->keys(), QStringList{u"answer"_s});
        QCOMPARE(window->modeSwitch()->mockFile(), file);
        QCOMPARE(window->inspectorTabs()->currentWidget(), editor);

        // Something that is not JSON is not taken.
        QMimeData text;
        text.setUrls({QUrl::fromLocalFile(studio.dir.filePath(u"notes.txt"_s))});
        QDragEnterEvent other(at, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
        other.ignore();
        QApplication::sendEvent(window, &other);
        QVERIFY(!other.isAccepted());
    }

    void closingWithUnsavedMocksAsks()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        ui::MockSetEditor *editor = editorOf(window);
        QVERIFY(editor->document()->addKey(u"answer"_s));
        QVERIFY(!window->close());
        QMessageBox *box = openBox(u"unsavedChangesBox"_s);
        QVERIFY(box);
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        QTRY_VERIFY(!QApplication::activeModalWidget());
        QVERIFY(window->isVisible());
        QCOMPARE(editor->document()->keys(), QStringList{u"answer"_s});

        QVERIFY(!window->close());
        box = openBox(u"unsavedChangesBox"_s);
        QVERIFY(box);
        QTest::mouseClick(box->button(QMessageBox::Discard), Qt::LeftButton);
        QTRY_VERIFY(!window->isVisible());
    }
};

QTEST_MAIN(TstMockWorkflow)
#include "tst_mockworkflow.moc"
