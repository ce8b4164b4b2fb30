#include "ui/window/historyworkflow.h"

#include "ui/history/historypanel.h"
#include "ui/history/runcompareview.h"
#include "ui/history/runtimeline.h"
#include "ui/run/runcontroller.h"
#include "ui/steps/steptreemodel.h"
#include "ui/window/mainwindow.h"

#include "core/backend/backend.h"
#include "core/backend/invocation.h"
#include "core/history/forkfromstep.h"
#include "core/history/runhistory.h"
#include "ui/request/modeswitch.h"

#include <QtCore/QMimeData>
#include <QtCore/QSettings>
#include <QtCore/QTemporaryDir>
#include <QtGui/QDragEnterEvent>
#include <QtGui/QDropEvent>
#include <QtGui/QAction>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QStatusBar>

#include <utility>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

QString droppedRunFile(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl &url : mime->urls())
        if (url.isLocalFile() && url.toLocalFile().endsWith(u".invokerun"_s, Qt::CaseInsensitive))
            return url.toLocalFile();
    return {};
}

QDockWidget *makeDock(MainWindow *window, const QString &title, const QString &name, QWidget *content)
{
    auto *dock = new QDockWidget(title, window);
    dock->setObjectName(name);
    dock->setWidget(content);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable
                      | QDockWidget::DockWidgetFloatable);
    window->addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide();
    return dock;
}

} // namespace

qint64 historyMaxBytes()
{
    const qint64 mb = QSettings().value(u"history/maxMegabytes"_s, 512).toLongLong();
    return qMax<qint64>(1, mb) << 20;
}

HistoryWorkflow::HistoryWorkflow(MainWindow *window, const QString &historyFile, qint64 maxBytes,
                                 std::function<QStringList()> secrets)
    : QObject(window), m_window(window),
      m_history(new history::RunHistory({historyFile.isEmpty() ? history::defaultHistoryFile() : historyFile, maxBytes},
                                        this)),
      m_panel(new HistoryPanel(m_history->filePath())), m_compare(new RunCompareView), m_timeline(new RunTimeline),
      m_secrets(std::move(secrets))
{
    m_dock = makeDock(window, tr("History"), u"historyDock"_s, m_panel);
    m_compareDock = makeDock(window, tr("Compare Runs"), u"compareDock"_s, m_compare);
    m_timelineDock = makeDock(window, tr("Timeline"), u"timelineDock"_s, m_timeline);
    m_timeline->setModel(window->stepModel());
    for (QDockWidget *dock : {m_dock, m_compareDock, m_timelineDock}) {
        QAction *toggle = dock->toggleViewAction();
        toggle->setObjectName(u"show_"_s + dock->objectName());
        window->addMenuAction(WindowMenu::Panels, toggle);
    }

    m_openFile = new QAction(tr("Open Run File…"), this);
    m_openFile->setObjectName(u"openRunFileAction"_s);
    m_openFile->setToolTip(tr("Open a run file (*.invokerun) and show its run, offline"));
    connect(m_openFile, &QAction::triggered, this, [this] {
        const QString file = QFileDialog::getOpenFileName(m_window, tr("Open run file"), {}, tr("Run files (*.invokerun)"));
        if (!file.isEmpty())
            openRunFile(file);
    });
    window->addMenuAction(WindowMenu::File, m_openFile);
    window->setAcceptDrops(true);
    window->installEventFilter(this);

    // Every run the window starts is recorded from its first event.
    RunController *runs = window->runs();
    connect(runs, &RunController::started, this, [this, runs] {
        if (Invocation *invocation = runs->currentInvocation())
            m_history->record(invocation, runs->lastRequest(),
                              {m_window->backend() ? m_window->backend()->displayName() : QString(),
                               m_secrets ? m_secrets() : QStringList(), m_window->backend(),
                               // a run file's bots, when this run reads them from their folder
                               m_runBots ? m_startedBots : QList<history::BotSource>()});
    });
    connect(runs, &RunController::finished, this, [this, runs](const InvokeResult &result) {
        m_shownRequest = runs->lastRequest();
        m_shownResult = result;
        m_shownPlan = Json();
        m_haveShown = true;
        // A re-run of a run file stays re-runnable with its bots; their folder is no longer read.
        m_shownBots = std::exchange(m_startedBots, {});
        m_runBots.reset();
    });
    m_fork = new QAction(tr("Re-run from Selected Step"), this);
    m_fork->setObjectName(u"forkFromStepAction"_s);
    m_fork->setToolTip(tr("Answer the steps before the selected one from this run; run it and what depends on it "
                          "again in the mode chosen"));
    m_forkEdited = new QAction(tr("Re-run from Selected Step with Edited Output…"), this);
    m_forkEdited->setObjectName(u"forkFromStepEditedAction"_s);
    const auto selectedStep = [this] {
        return m_window->stepModel()->stepAt(m_window->stepView()->currentIndex());
    };
    connect(m_fork, &QAction::triggered, this, [this, selectedStep] { forkFrom(selectedStep().path); });
    connect(m_forkEdited, &QAction::triggered, this, [this, selectedStep] {
        const StepRecord step = selectedStep();
        if (step.path.isEmpty())
            return;
        const bool isText = step.output.is_object() && step.output.contains("content") && step.output["content"].is_string();
        const QString shown = isText ? toQString(step.output["content"].get<std::string>())
                                     : QString::fromUtf8(dumpJson(step.output, 2));
        bool ok = false;
        const QString text = QInputDialog::getMultiLineText(m_window, tr("Edited output of %1").arg(step.path),
                                                            isText ? tr("The answer:") : tr("The output (JSON):"),
                                                            shown, &ok);
        if (!ok)
            return;
        Json output;
        if (isText) {
            output = step.output;
            output["content"] = toStd(text);
        } else {
            output = parseJson(text.toUtf8());
            if (output.is_discarded())
                output = Json(toStd(text)); // not JSON: the text itself
        }
        forkFrom(step.path, output);
    });
    window->addMenuAction(WindowMenu::Run, m_fork);
    window->addMenuAction(WindowMenu::Run, m_forkEdited);
    // Also in the step tree's context menu, on the step clicked (ui/window/mockworkflow.cpp
    // adds the view's actions to it).
    window->stepView()->addAction(m_fork);
    window->stepView()->addAction(m_forkEdited);
    m_rerunShown = new QAction(tr("Re-run Shown Run"), this);
    m_rerunShown->setObjectName(u"rerunShownAction"_s);
    m_rerunShown->setToolTip(tr("Run the request of the run shown again in the mode chosen; in replay mode a run "
                                "file's cache entries answer it, in a cache of their own"));
    connect(m_rerunShown, &QAction::triggered, this, [this] { rerunShown(); });
    window->addMenuAction(WindowMenu::Run, m_rerunShown);

    connect(m_history, &history::RunHistory::runRecorded, m_panel, &HistoryPanel::refresh);
    connect(m_history, &history::RunHistory::unavailable, m_panel, &HistoryPanel::setUnavailable);

    m_panel->setSecretsSource(m_secrets);
    connect(m_panel, &HistoryPanel::reopenRequested, this, &HistoryWorkflow::reopen);
    connect(m_panel, &HistoryPanel::runFileOpened, this, &HistoryWorkflow::showRunFile);
    connect(m_panel, &HistoryPanel::rerunRequested, this, [this](const history::RunRecord &record) {
        if (m_window->runs()->isRunning())
            return;
        // A run that re-ran a run file (its request carries the file's cache entries) runs
        // again with the file's bots the history kept with it, as Re-run Shown Run did.
        const QList<history::BotSource> kept = record.request.replayEntries.is_array() ? m_panel->keptBots(record)
                                                                                       : QList<history::BotSource>();
        if (!kept.isEmpty()) {
            const QList<history::BotSource> shown = std::exchange(m_shownBots, kept);
            QString note;
            if (!startWithShownBots(record.request, &note))
                m_shownBots = shown;
            else if (!note.isEmpty())
                m_window->statusBar()->showMessage(note.trimmed(), 15000);
            return;
        }
        showConversationOf(record.request.botKey);
        m_window->runs()->startAgain(record.request);
    });
    connect(m_panel, &HistoryPanel::compareRequested, this,
            [this](const history::RunRecord &a, const history::RunRecord &b) {
                m_compare->compare(a, b);
                m_compareDock->show();
                m_compareDock->raise();
            });
}

HistoryWorkflow::~HistoryWorkflow() = default;

bool HistoryWorkflow::reopen(const history::RunRecord &record)
{
    if (m_window->runs()->isRunning()) {
        m_window->statusBar()->showMessage(tr("A run is going: stop it to reopen another."), 8000);
        return false;
    }
    showConversationOf(record.request.botKey);
    m_window->runs()->showFinished(record.request, record.result());
    m_shownRequest = record.request;
    m_shownResult = record.result();
    m_shownPlan = record.botPlan;
    m_haveShown = true;
    // A run that re-ran a run file re-runs with the file's bots the history kept with it.
    m_shownBots = record.request.replayEntries.is_array() ? m_panel->keptBots(record) : QList<history::BotSource>();
    m_window->statusBar()->showMessage(
        tr("Reopened run %1 (%2, %3)").arg(record.summary.invocationId.left(8), record.summary.botKey,
                                          record.summary.startedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s)),
        8000);
    return true;
}

bool HistoryWorkflow::forkFrom(const QString &path, const std::optional<Json> &editedOutput)
{
    const auto say = [this](const QString &message) {
        m_window->statusBar()->showMessage(message, 10000);
        return false;
    };
    if (!m_haveShown || path.isEmpty())
        return say(tr("Select a step of a finished run to re-run from."));
    if (m_window->runs()->isRunning())
        return say(tr("A run is going: stop it to re-run from a step."));
    const auto start = [this, path, editedOutput, say](const BotPlan &plan) {
        QString error;
        const auto fork = history::forkFromStep(m_shownRequest, m_shownResult, plan, path, m_window->modeSwitch()->mode(),
                                                editedOutput, &error);
        if (!fork)
            return say(error);
        QString note;
        if (!startWithShownBots(fork->request, &note))
            return false;
        m_window->statusBar()->showMessage(tr("Re-running from %1: %n step(s) answered from the recorded run", nullptr,
                                              int(fork->pinned.size())).arg(path)
                                               + (note.isEmpty() ? QString() : u'.' + note),
                                           10000);
        return true;
    };
    if (const auto plan = BotPlan::fromJson(m_shownPlan))
        return start(*plan);
    if (!m_window->backend())
        return say(tr("No backend to ask for the bot's plan."));
    // The plan was not recorded (a run of this window): ask the backend, then start.
    m_window->backend()->botPlan(m_shownRequest.botKey, this, [start, say, this](const BotPlanResult &result) {
        if (!result.plan) {
            say(tr("Cannot re-run from a step: %1").arg(result.error));
            return;
        }
        m_shownPlan = result.plan->toJson();
        start(*result.plan);
    });
    return true;
}

bool HistoryWorkflow::rerunShown()
{
    if (!m_haveShown) {
        m_window->statusBar()->showMessage(tr("Open or reopen a run to run it again."), 10000);
        return false;
    }
    if (m_window->runs()->isRunning()) {
        m_window->statusBar()->showMessage(tr("A run is going: stop it to re-run another."), 10000);
        return false;
    }
    // Its request as recorded (a run file's with its cache entries: docs/runs.md), in the
    // mode the switch shows.
    InvokeRequest request = m_shownRequest;
    request.mode = m_window->modeSwitch()->mode();
    QString note;
    if (!startWithShownBots(request, &note))
        return false;
    if (!note.isEmpty())
        m_window->statusBar()->showMessage(note.trimmed(), 15000);
    return true;
}

bool HistoryWorkflow::startWithShownBots(const InvokeRequest &request, QString *note)
{
    if (m_window->runs()->isRunning()) { // a fork's plan came back while another run started
        m_window->statusBar()->showMessage(tr("A run is going: stop it to re-run another."), 10000);
        return false;
    }
    QStringList folders;
    if (!m_shownBots.isEmpty()) {
        QStringList keys;
        for (const history::BotSource &bot : std::as_const(m_shownBots))
            keys << bot.key;
        Backend *backend = m_window->backend();
        if (backend && !backend->readsLocalBotFolders()) {
            // invoke-cli runs rerun FILE --endpoint does the same, without a word: here it is said.
            *note = u' ' + tr("%1 runs its own version of %2: a server cannot load the run file's bot definitions "
                              "(the embedded engine can).")
                               .arg(backend->displayName(), keys.join(u", "_s));
        } else {
            auto folder = std::make_unique<QTemporaryDir>();
            QString error = folder->isValid() ? QString() : folder->errorString();
            if (error.isEmpty() && !history::writeBotSources(m_shownBots, folder->path(), &error) && error.isEmpty())
                error = tr("the files could not be written");
            if (!error.isEmpty()) {
                m_window->statusBar()->showMessage(tr("Cannot write the run file's bots for the re-run: %1").arg(error),
                                                   15000);
                return false;
            }
            folders << folder->path();
            m_runBots = std::move(folder);
            *note = u' ' + tr("With the run file's bots as they ran: %1 (over yours of the same key).")
                               .arg(keys.join(u", "_s));
        }
    }
    m_startedBots = m_shownBots;
    showConversationOf(request.botKey);
    // The transcript shows the messages sent, then the new answer, as after an Invoke.
    m_window->runs()->startAgain(request, folders);
    return true;
}

void HistoryWorkflow::showConversationOf(const QString &botKey)
{
    // A run belongs to its bot's conversation (ui/window/botconversations.h): shown or run
    // again under another bot, that bot's next Invoke would send this one's messages. A bot
    // not listed here (a run file's own) leaves the bot picked as it is; before the bots are
    // listed, it is picked first when they are (and keeps what the transcript shows).
    m_window->pickBot(botKey);
}

QString HistoryWorkflow::runBotsFolder() const
{
    return m_runBots ? m_runBots->path() : QString();
}

bool HistoryWorkflow::showRunFile(const history::RunRecord &record, const QList<history::BotSource> &bots)
{
    if (!reopen(record))
        return false;
    m_shownBots = bots;
    return true;
}

bool HistoryWorkflow::openRunFile(const QString &filePath)
{
    return m_panel->openRunFile(filePath); // its runFileOpened shows it
}

bool HistoryWorkflow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::DragEnter) {
        auto *drag = static_cast<QDragEnterEvent *>(event);
        if (!droppedRunFile(drag->mimeData()).isEmpty()) {
            drag->acceptProposedAction();
            return true;
        }
    } else if (watched == m_window && event->type() == QEvent::Drop) {
        auto *drop = static_cast<QDropEvent *>(event);
        const QString file = droppedRunFile(drop->mimeData());
        if (!file.isEmpty()) {
            drop->acceptProposedAction();
            openRunFile(file);
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace invoke::ui
