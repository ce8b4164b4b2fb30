#include "ui/window/testsworkflow.h"
#include "ui/window/mainwindow.h"
#include "ui/window/mockworkflow.h"
#include "ui/request/botpicker.h"
#include "ui/run/runcontroller.h"
#include "ui/steps/steptreemodel.h"
#include "ui/tests/savetestcasedialog.h"
#include "ui/tests/testspanel.h"

#include "core/agenttests/caseresult.h"

#include <QtCore/QDir>
#include <QtGui/QAction>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QMenu>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;

namespace invoke::ui {

TestsWorkflow::TestsWorkflow(MainWindow *window)
    : QObject(window), m_window(window), m_panel(new TestsPanel(window->backend())),
      m_dock(new QDockWidget(tr("Tests"), window))
{
    m_dock->setObjectName(u"testsDock"_s);
    m_dock->setWidget(m_panel);
    m_dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable
                        | QDockWidget::DockWidgetFloatable);
    window->addDockWidget(Qt::BottomDockWidgetArea, m_dock);
    m_dock->hide(); // until tests are opened, or View ▸ Panels ▸ Tests
    // The first time it shows, a third of the window's height: the run it opens stays readable above.
    connect(m_dock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && !std::exchange(m_sized, true))
            m_window->resizeDocks({m_dock}, {std::max(240, m_window->height() / 3)}, Qt::Vertical);
    });

    m_saveRun = new QAction(tr("Save Run as Test Case…"), this);
    m_saveRun->setObjectName(u"saveRunAsTestCaseAction"_s);
    m_saveRun->setToolTip(tr("Turn the run shown into a case of a tests file, with assertions proposed from "
                             "what it did"));
    connect(m_saveRun, &QAction::triggered, this, &TestsWorkflow::saveRunAsTestCase);

    QAction *openFile = m_panel->openFileAction();
    QAction *openFolder = m_panel->openFolderAction();
    openFile->setText(tr("Open Tests File…"));
    openFolder->setText(tr("Open Tests Folder…"));
    openFile->setIconText(tr("Open")); // the panel's own toolbar
    openFolder->setIconText(tr("Open Folder"));
    for (QAction *action : {openFile, openFolder})
        connect(action, &QAction::triggered, this, &TestsWorkflow::showPanel);
    window->addMenuAction(WindowMenu::File, openFile);
    window->addMenuAction(WindowMenu::File, openFolder);
    window->addMenuAction(WindowMenu::Run, m_saveRun);
    // A Tests menu with everything the panel's toolbar does, and Save Run as Test Case.
    QMenu *menu = window->addMenu(tr("&Tests"), u"testsMenu"_s);
    menu->addActions({openFile, openFolder});
    menu->addSeparator();
    menu->addActions({m_panel->runAllAction(), m_panel->runSelectedAction(), m_panel->runFailedAction(),
                      m_panel->stopAction()});
    menu->addSeparator();
    menu->addActions({m_panel->saveAction(), m_saveRun});
    for (QAction *action : {m_panel->runAllAction(), m_panel->runSelectedAction(), m_panel->runFailedAction()})
        connect(action, &QAction::triggered, this, &TestsWorkflow::showPanel);
    m_panel->saveAction()->setText(tr("Save Tests File"));
    m_panel->saveAction()->setIconText(tr("Save"));
    QAction *toggle = m_dock->toggleViewAction();
    toggle->setObjectName(u"showTestsPanelAction"_s);
    toggle->setText(tr("&Tests"));
    window->addMenuAction(WindowMenu::Panels, toggle);
    // Edit ▸ Undo/Redo (Ctrl+Z, Ctrl+Shift+Z) reach the panel's stacks; its own buttons keep no keys.
    m_panel->undoAction()->setShortcuts({});
    m_panel->redoAction()->setShortcuts({});
    window->addUndoTarget(m_panel, m_panel->undoAction(), m_panel->redoAction());

    connect(m_panel, &TestsPanel::caseRunSelected, this,
            [this](const agenttests::TestCase &testCase, const agenttests::CaseResult &result) {
                showCaseRun(testCase, result.run);
            });
    connect(window, &MainWindow::runFinished, this, [this](const InvokeResult &result) {
        m_shownRequest = m_window->runs()->lastRequest();
        m_shownResult = result;
        m_haveRun = true;
        updateActions();
    });
    connect(window->runs(), &RunController::started, this, &TestsWorkflow::updateActions);
    window->installEventFilter(this);
    updateActions();
}

void TestsWorkflow::showPanel()
{
    m_dock->show();
    m_dock->raise();
}

bool TestsWorkflow::showCaseRun(const agenttests::TestCase &testCase, const InvokeResult &result)
{
    RunController *runs = m_window->runs();
    if (runs->isRunning()) {
        m_window->statusBar()->showMessage(tr("Stop the run to see the test case's run"), 6000);
        return false;
    }
    // The case's conversation goes to its bot's transcript (ui/window/botconversations.h).
    m_window->botPicker()->selectBot(testCase.request.botKey);
    if (!runs->showFinished(testCase.request, result))
        return false;
    m_window->inspectorTabs()->setCurrentIndex(0); // the steps
    m_shownRequest = testCase.request;
    m_shownResult = result;
    m_haveRun = true;
    updateActions();
    return true;
}

void TestsWorkflow::saveRunAsTestCase()
{
    if (!m_haveRun || m_window->runs()->isRunning())
        return;
    if (m_lastFile.isEmpty())
        m_lastFile = QDir::home().filePath(m_shownRequest.botKey + u".tests.json"_s);
    auto *dialog = new SaveTestCaseDialog(m_shownRequest, m_shownResult, m_window->mockWorkflow()->secrets(),
                                          m_lastFile, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        QString error;
        const std::optional<agenttests::TestCase> testCase = dialog->testCase(&error);
        if (!testCase || !saveTestCase(dialog->filePath(), *testCase, &error))
            m_window->showError(tr("The test case was not saved: %1").arg(error));
    });
    dialog->open();
}

bool TestsWorkflow::saveTestCase(const QString &filePath, const agenttests::TestCase &testCase, QString *error)
{
    if (!m_panel->addCaseToFile(filePath, testCase, error))
        return false;
    m_lastFile = filePath;
    showPanel();
    m_window->statusBar()->showMessage(tr("“%1” saved in %2").arg(testCase.name, filePath), 8000);
    return true;
}

void TestsWorkflow::updateActions()
{
    const bool running = m_window->runs()->isRunning();
    m_saveRun->setEnabled(!running && m_haveRun && !m_shownRequest.botKey.isEmpty());
}

bool TestsWorkflow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_window || event->type() != QEvent::Close)
        return false;
    if (m_panel->hasUnsavedChanges() && !std::exchange(m_closeApproved, false)) {
        event->ignore();
        showPanel();
        m_panel->whenChangesAreSafe([this] {
            m_closeApproved = true;
            m_window->close();
        });
        return true;
    }
    if (m_panel->isRunning())
        m_panel->stop();
    return false;
}

} // namespace invoke::ui
