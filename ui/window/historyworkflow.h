#pragma once
// The run history inside the studio window (docs/runs.md): every run the window starts is
// recorded (history::RunHistory, written off the GUI thread; the LLM key and the profiles'
// tokens masked); the History panel docks at the bottom (View ▸ Panels ▸ History) and a
// run picked there reopens into the step tree, transcript, events and result as it
// streamed, or runs again; two picked runs open side by side in a Compare dock; File ▸
// Open Run File… and dropping a *.invokerun on the window open a run file (offline: its
// events are shown as recorded). The Timeline dock paints the current run's waterfall.
// Run ▸ Re-run from Selected Step, also in the step tree's context menu
// (core/history/forkfromstep.h): the steps before the selected one are answered from the
// run shown, the rest runs in the mode chosen, optionally with an edited output for the
// selected step. Run ▸ Re-run Shown Run starts the run shown again (a run file's replay
// answered from its own cache entries). A run file's bot definitions go with a re-run or a
// fork of it: written to a temporary folder the embedded engine reads after its own for
// that run only (Backend::invokeWithBotFolders), removed when the run ends; never into the
// user's bots folder. A server cannot load them: it runs its own bots, and the status bar
// says so.
// A history that cannot be used is said in the panel; runs go on unrecorded.
#include "core/history/botsources.h"
#include "core/history/runrecord.h"

#include <QtCore/QObject>
#include <QtCore/QStringList>

#include <memory>

class QAction;
class QDockWidget;
class QTemporaryDir;

namespace invoke::history {
class RunHistory;
}

namespace invoke::ui {

class HistoryPanel;
class MainWindow;
class RunCompareView;
class RunTimeline;

class HistoryWorkflow : public QObject
{
    Q_OBJECT
public:
    // `historyFile` empty: the user's (history::defaultHistoryFile()); `maxBytes` the size
    // cap (settings: history/maxMegabytes); `secrets` are masked in what is recorded.
    HistoryWorkflow(MainWindow *window, const QString &historyFile, qint64 maxBytes, std::function<QStringList()> secrets);
    ~HistoryWorkflow() override;

    history::RunHistory *history() const { return m_history; }
    HistoryPanel *panel() const { return m_panel; }
    RunCompareView *compareView() const { return m_compare; }
    RunTimeline *timeline() const { return m_timeline; }
    QDockWidget *dock() const { return m_dock; }
    QAction *openRunFileAction() const { return m_openFile; }

    // Shows a recorded run in the window's views (false while a run is going).
    bool reopen(const history::RunRecord &record);
    bool openRunFile(const QString &filePath);
    // The bot definitions of the run shown (a run file's), empty for any other run.
    const QList<history::BotSource> &shownBots() const { return m_shownBots; }
    // The folder the run going reads the run file's bots from, or empty.
    QString runBotsFolder() const;
    // Re-runs the run shown from the step at `path` in the mode switch's mode; with
    // `editedOutput`, that step is answered by it. False (with a status message) when
    // there is no run shown, no such step, or a run is going.
    bool forkFrom(const QString &path, const std::optional<Json> &editedOutput = std::nullopt);
    QAction *forkAction() const { return m_fork; }
    // Run ▸ Re-run Shown Run: the run shown (a reopened run, a run file) started again with
    // its recorded request in the mode switch's mode; a run file's cache entries answer its
    // replay in a cache of their own. False (with a status message) with none or while running.
    bool rerunShown();
    QAction *rerunShownAction() const { return m_rerunShown; }
    QAction *forkEditedAction() const { return m_forkEdited; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    bool showRunFile(const history::RunRecord &record, const QList<history::BotSource> &bots);
    // Starts `request` again in the window (RunController::startAgain: the transcript shows
    // its messages, then the new answer) with the shown run's bots (a run file's) in a folder
    // of its own; `note` gets what the user should know about them (a server runs its own).
    // False (with a status message) when the folder cannot be written.
    bool startWithShownBots(const InvokeRequest &request, QString *note);
    // Picks `botKey` in the bot picker, so that a run shown or run again is in its bot's
    // conversation.
    void showConversationOf(const QString &botKey);

    MainWindow *m_window;
    history::RunHistory *m_history;
    HistoryPanel *m_panel;
    RunCompareView *m_compare;
    RunTimeline *m_timeline;
    QDockWidget *m_dock;
    QDockWidget *m_compareDock;
    QDockWidget *m_timelineDock;
    QAction *m_openFile;
    QAction *m_fork;
    QAction *m_forkEdited;
    QAction *m_rerunShown;
    std::function<QStringList()> m_secrets;
    // The run shown in the window: what a fork starts from.
    InvokeRequest m_shownRequest;
    InvokeResult m_shownResult;
    Json m_shownPlan; // the bot's plan as recorded, or null (asked of the backend)
    bool m_haveShown = false;
    QList<history::BotSource> m_shownBots;   // a run file's bots, for its re-runs
    QList<history::BotSource> m_startedBots; // those of the run going (shown when it ends)
    std::unique_ptr<QTemporaryDir> m_runBots; // their folder while it runs
};

// The size cap from the settings (history/maxMegabytes, default 512).
qint64 historyMaxBytes();

} // namespace invoke::ui
