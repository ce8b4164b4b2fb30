#include "ui/window/mockworkflow.h"
#include "ui/common/banner.h"
#include "ui/request/botpicker.h"
#include "ui/window/mainwindow.h"
#include "ui/mocks/mockseteditor.h"
#include "ui/mocks/mocksetdocument.h"
#include "ui/common/recentfilesmenu.h"
#include "ui/request/modeswitch.h"
#include "ui/run/runcontroller.h"
#include "ui/steps/steptreemodel.h"

#include "core/backend/backend.h"
#include "core/mocks/mocksetfromrun.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QMimeData>
#include <QtGui/QAction>
#include <QtGui/QCloseEvent>
#include <QtGui/QDragEnterEvent>
#include <QtGui/QDropEvent>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

// The local .json file a drag carries, else empty.
QString droppedJsonFile(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl &url : mime->urls())
        if (url.isLocalFile() && url.toLocalFile().endsWith(u".json"_s, Qt::CaseInsensitive))
            return url.toLocalFile();
    return {};
}

} // namespace

MockWorkflow::MockWorkflow(MainWindow *window, QSettings *settings)
    : QObject(window), m_window(window), m_editor(new MockSetEditor(settings))
{
    m_saveRun = new QAction(tr("Save Run as Mock Set"), this);
    m_saveRun->setObjectName(u"saveRunAsMocksAction"_s);
    m_saveRun->setToolTip(tr("A mock set with the answers of this run's LLM calls, searches and code runs, "
                             "opened in the Mock set tab (secrets masked)"));
    m_promote = new QAction(tr("Promote to Mock"), this);
    m_promote->setObjectName(u"promoteToMockAction"_s);
    m_promote->setToolTip(tr("Add this step's answer to the open mock set, or replace its mock"));
    m_rerun = new QAction(tr("Re-run with Mocks"), this);
    m_rerun->setObjectName(u"rerunWithMocksAction"_s);
    m_rerun->setToolTip(tr("Run the last request again in Manual mode with the mock set as edited here"));
    m_rerun->setShortcut(Qt::SHIFT | Qt::Key_F5);

    QTabWidget *tabs = window->inspectorTabs();
    tabs->addTab(m_editor, tr("Mock set"));
    // "Mocks ▾" in the inspector's corner: next to the result it is about.
    auto *menuButton = new QToolButton(tabs);
    menuButton->setObjectName(u"mocksMenuButton"_s);
    menuButton->setText(tr("Mocks"));
    menuButton->setPopupMode(QToolButton::InstantPopup);
    menuButton->setAutoRaise(true);
    auto *menu = new QMenu(menuButton);
    menu->addActions({m_saveRun, m_promote, m_rerun});
    menuButton->setMenu(menu);
    tabs->setCornerWidget(menuButton, Qt::TopRightCorner);
    window->addAction(m_rerun);
    m_editor->addToolbarAction(m_rerun);

    // The window's menus: the mock set files under File (Ctrl+O/S/Shift+S wherever the
    // focus is, one action each, so the editor's keys cannot clash with the menu's),
    // Re-run with mocks under Run; Edit ▸ Undo/Redo reach the editor's undo stack.
    m_editor->setProperty("shortcutScope", tr("Mock set tab"));
    m_editor->newAction()->setText(tr("New Mock Set"));
    m_editor->openAction()->setText(tr("Open Mock Set…"));
    m_editor->saveAction()->setText(tr("Save Mock Set"));
    m_editor->saveAsAction()->setText(tr("Save Mock Set As…"));
    m_editor->recentMenu()->setTitle(tr("Recent Mock Sets"));
    if (m_editor->saveAsAction()->shortcut().isEmpty()) // QKeySequence::SaveAs is empty on some platforms
        m_editor->saveAsAction()->setShortcut(QKeySequence(u"Ctrl+Shift+S"_s));
    for (QAction *fileAction : {m_editor->openAction(), m_editor->saveAction(), m_editor->saveAsAction()})
        fileAction->setShortcutContext(Qt::WindowShortcut);
    for (QAction *fileAction : {m_editor->openAction(), m_editor->saveAction(), m_editor->saveAsAction()})
        connect(fileAction, &QAction::triggered, this, &MockWorkflow::showEditor);
    window->addMenuAction(WindowMenu::File, m_editor->newAction());
    window->addMenuAction(WindowMenu::File, m_editor->openAction());
    window->addMenuAction(WindowMenu::File, m_editor->recentMenu()->menuAction());
    window->addMenuAction(WindowMenu::File, m_editor->saveAction());
    window->addMenuAction(WindowMenu::File, m_editor->saveAsAction());
    window->addMenuAction(WindowMenu::File, m_saveRun);
    window->addMenuAction(WindowMenu::Run, m_rerun);
    m_editor->undoAction()->setShortcuts({});
    m_editor->redoAction()->setShortcuts({});
    window->addUndoTarget(m_editor, m_editor->undoAction(), m_editor->redoAction());
    auto *showTab = new QAction(tr("&Mock Set Editor"), this);
    showTab->setObjectName(u"showMockEditorAction"_s);
    connect(showTab, &QAction::triggered, this, &MockWorkflow::showEditor);
    window->addMenuAction(WindowMenu::Panels, showTab);

    QTreeView *steps = window->stepView();
    steps->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(steps, &QWidget::customContextMenuRequested, this, &MockWorkflow::stepContextMenu);
    connect(steps->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MockWorkflow::updateActions);

    ModeSwitch *mode = window->modeSwitch();
    mode->setMockProvider([this](QString *error) { return m_editor->mocksForRun(error); });
    connect(mode, &ModeSwitch::mockFileChanged, this, [this](const QString &path) {
        if (!path.isEmpty())
            m_editor->openFile(path);
    });
    connect(m_editor, &MockSetEditor::documentChanged, this, &MockWorkflow::syncModeSwitch);

    // The plan comes from the window's backend, so a server's bot shows its coverage too.
    auto botChanged = [this] {
        m_editor->setBot(m_window->botPicker()->currentKey(), m_window->backend());
        updateActions();
    };
    connect(window->botPicker(), &BotPicker::currentBotChanged, this, botChanged);
    connect(window, &MainWindow::botsLoaded, this, botChanged);
    connect(window, &MainWindow::runFinished, this, [this](const InvokeResult &result) {
        m_lastResult = result;
        m_haveResult = true;
        updateActions();
    });
    connect(window->runs(), &RunController::started, this, [this] { m_haveResult = false; updateActions(); });
    connect(m_saveRun, &QAction::triggered, this, &MockWorkflow::saveRunAsMockSet);
    connect(m_promote, &QAction::triggered, this, &MockWorkflow::promoteCurrentStep);
    connect(m_rerun, &QAction::triggered, this, &MockWorkflow::rerunWithMocks);

    window->setAcceptDrops(true);
    window->installEventFilter(this);
    syncModeSwitch();
    updateActions();
}

QStringList MockWorkflow::secrets() const
{
    QStringList secrets;
    if (!m_window->llmSettings().apiKey.isEmpty())
        secrets << m_window->llmSettings().apiKey;
    // The token of the remote profile in use, when the window runs on a server.
    secrets << m_window->backend()->secrets();
    return secrets;
}

void MockWorkflow::showEditor()
{
    m_window->inspectorTabs()->setCurrentWidget(m_editor);
}

void MockWorkflow::syncModeSwitch()
{
    // The mode switch names the document Manual mode will run, as the editor holds it.
    const MockSetDocument *document = m_editor->document();
    ModeSwitch *mode = m_window->modeSwitch();
    mode->setMockFile(document->filePath());
    QString text = document->filePath().startsWith(u":/mocks/"_s)
                       ? tr("%1 (bundled example)").arg(document->displayName())
                       : (document->filePath().isEmpty() ? document->displayName()
                                                         : QDir::toNativeSeparators(document->filePath()));
    if (document->isModified())
        text += tr(" — edited, unsaved");
    mode->setMockDisplay(document->filePath().isEmpty() && document->count() == 0 ? QString() : text);
}

void MockWorkflow::updateActions()
{
    const bool running = m_window->runs()->isRunning();
    m_saveRun->setEnabled(!running && m_haveResult && !m_lastResult.steps.isEmpty());
    const StepRecord step = m_window->stepModel()->stepAt(m_window->stepView()->currentIndex());
    m_promote->setEnabled(!running && !step.path.isEmpty() && step.status != StepStatus::Running);
    // Only the shown bot's last run (its answer goes to that bot's conversation).
    const QString lastBot = m_window->runs()->lastRequest().botKey;
    m_rerun->setEnabled(!running && !lastBot.isEmpty() && lastBot == m_window->botPicker()->currentKey());
}

void MockWorkflow::stepContextMenu(const QPoint &position)
{
    QTreeView *steps = m_window->stepView();
    const QModelIndex index = steps->indexAt(position);
    if (!index.isValid())
        return;
    steps->setCurrentIndex(index);
    updateActions();
    QMenu menu(steps);
    menu.addAction(m_promote);
    menu.addSeparator();
    menu.addAction(m_saveRun);
    menu.addAction(m_rerun);
    // Other add-ons' step actions (Follow Step: ui/window/inspectorworkflow.cpp).
    if (!steps->actions().isEmpty()) {
        menu.addSeparator();
        menu.addActions(steps->actions());
    }
    menu.exec(steps->viewport()->mapToGlobal(position));
}

void MockWorkflow::saveRunAsMockSet()
{
    if (!m_haveResult)
        return;
    mocks::RunMocks run = mocks::mockSetFromRun(m_lastResult, secrets());
    const QString botKey = m_lastResult.botKey;
    m_editor->whenChangesAreSafe([this, run = std::move(run), botKey] {
        m_editor->document()->setMockSet(run.mocks, u"%1.mocks.json"_s.arg(botKey.isEmpty() ? u"run"_s : botKey));
        if (m_editor->document()->count() > 0)
            m_editor->selectKey(m_editor->document()->entry(0).key);
        QStringList masked;
        for (const Redaction &r : run.redactions)
            masked << r.toString();
        if (run.mocks.isEmpty())
            m_editor->banner()->showMessage(Banner::Warning, tr("This run has no LLM call, search or code run to mock: the new mock set is empty."));
        else
            reportRedactions(run.mocks.size() == 1 ? tr("A mock set with the run's answer is open, not saved yet.")
                                                    : tr("A mock set with the run's %1 answers is open, not saved yet.").arg(run.mocks.size()),
                             masked);
        showEditor();
    });
}

void MockWorkflow::promoteCurrentStep()
{
    const StepRecord step = m_window->stepModel()->stepAt(m_window->stepView()->currentIndex());
    if (step.path.isEmpty())
        return;
    QList<Redaction> redactions;
    QString error;
    const std::optional<MockResponse> mock = mocks::mockFromStep(step, secrets(), &redactions, &error);
    if (!mock) {
        m_window->banner()->showMessage(Banner::Error, tr("The step “%1” cannot become a mock: %2").arg(step.path, error));
        return;
    }
    const bool existed = m_editor->document()->rowOf(step.path) >= 0;
    m_editor->document()->putResponse(step.path, *mock);
    m_editor->selectKey(step.path);
    QStringList masked;
    for (const Redaction &r : redactions)
        masked << r.toString();
    reportRedactions(existed ? tr("The mock “%1” now answers as the run did.").arg(step.path)
                             : tr("“%1” added to the mock set with the run's answer.").arg(step.path),
                     masked);
    showEditor();
}

void MockWorkflow::reportRedactions(const QString &what, const QStringList &lines)
{
    if (lines.isEmpty()) {
        m_editor->banner()->showMessage(Banner::Success, what);
        return;
    }
    m_editor->banner()->showMessage(Banner::Warning,
                                    what + u" "_s + tr("Values that looked like secrets were replaced by %1: %2")
                                                         .arg(QString::fromLatin1(RedactedText), lines.join(u"; "_s)));
}

void MockWorkflow::rerunWithMocks()
{
    RunController *runs = m_window->runs();
    if (runs->isRunning() || runs->lastRequest().botKey.isEmpty()
        || runs->lastRequest().botKey != m_window->botPicker()->currentKey())
        return;
    QString error;
    const std::optional<MockSet> mocks = m_editor->mocksForRun(&error);
    if (!mocks) {
        m_window->banner()->showMessage(Banner::Error, error);
        showEditor();
        return;
    }
    InvokeRequest request = runs->lastRequest();
    request.mode = Mode::manual();
    request.manualMocks = *mocks;
    if (!confirmRun(request, [this] { rerunWithMocks(); }))
        return;
    m_window->modeSwitch()->setMode(Mode::manual());
    // The same messages again; the transcript shows the question once more with the new answer.
    const QString text = !request.messages.isEmpty() && request.messages.last().role == u"user"_s
                             ? request.messages.last().content : QString();
    m_window->banner()->clearMessage();
    runs->start(request, text);
}

bool MockWorkflow::confirmRun(const InvokeRequest &request, std::function<void()> start)
{
    if (request.mode.kind != Mode::Manual || std::exchange(m_runAnyway, false))
        return true;
    const QStringList missing = m_editor->uncoveredSteps(request.botKey, request.manualMocks);
    if (missing.isEmpty())
        return true;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Steps without a mock"),
                                tr("In Manual mode nothing answers these steps, so the run fails at the first one it reaches: %1.")
                                    .arg(missing.join(u", "_s)),
                                QMessageBox::Cancel, m_window);
    box->setObjectName(u"coverageWarningBox"_s);
    box->setInformativeText(tr("Add a mock for them in the Mock set tab (double-click a step in Coverage), or run anyway."));
    QPushButton *runAnyway = box->addButton(tr("Run anyway"), QMessageBox::AcceptRole);
    runAnyway->setObjectName(u"runAnywayButton"_s);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, runAnyway, start = std::move(start)] {
        if (box->clickedButton() == runAnyway) {
            m_runAnyway = true;
            start();
        } else {
            showEditor();
        }
    });
    box->open();
    return false;
}

bool MockWorkflow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_window)
        return false;
    switch (event->type()) {
    case QEvent::Close:
        if (m_editor->document()->isModified() && !std::exchange(m_closeApproved, false)) {
            event->ignore();
            m_editor->whenChangesAreSafe([this] {
                m_closeApproved = true;
                m_window->close();
            });
            return true;
        }
        return false;
    case QEvent::DragEnter: {
        auto *drag = static_cast<QDragEnterEvent *>(event);
        if (droppedJsonFile(drag->mimeData()).isEmpty())
            return false;
        drag->acceptProposedAction();
        return true;
    }
    case QEvent::Drop: {
        auto *drop = static_cast<QDropEvent *>(event);
        const QString path = droppedJsonFile(drop->mimeData());
        if (path.isEmpty())
            return false;
        drop->acceptProposedAction();
        showEditor();
        m_editor->openFile(path);
        return true;
    }
    default:
        return false;
    }
}

} // namespace invoke::ui
