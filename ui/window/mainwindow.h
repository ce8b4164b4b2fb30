#pragma once
#include "core/config/llmsettings.h"
#include "core/model/invocation/invokerequest.h"
#include "core/model/invocation/invokeresult.h"
#include "ui/window/windowstate.h"

#include <QtCore/QTimer>
#include <QtWidgets/QMainWindow>

#include <memory>

class QAction;
class QLineEdit;
class QMenu;
class QSettings;
class QSplitter;
class QTabWidget;
class QToolBar;
class QTreeView;

namespace invoke {
class Backend;
class SecretStore;
}

namespace invoke::ui {

class Banner;
class BotPicker;
class Composer;
class DatasetEditor;
class EventListModel;
class EventsView;
class MockWorkflow;
class ModeSwitch;
class ParameterEditor;
class ResultView;
class RunController;
class RunStatusPanel;
class StepDetailView;
class StepTreeModel;
class TranscriptModel;
class TranscriptView;
class BotConversations;

// The menus of the window's menu bar an add-on can add to (MainWindow::addMenuAction).
// Panels is View ▸ Panels.
enum class WindowMenu { File, Edit, View, Panels, Run, Help };

// The studio window: bot picker, parameters and datasets on the left; the conversation
// (banner, transcript, mode, composer) in the middle; steps, events and result on the
// right. It composes the widgets, turns their state into an InvokeRequest, and shows
// what goes wrong next to what caused it. Everything it needs is injected.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(Backend *backend, SecretStore *secrets, QSettings *settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The LLM settings in use (key from the keychain or the environment).
    const LlmSettings &llmSettings() const { return m_llm; }

    Backend *backend() const { return m_backend; }
    BotPicker *botPicker() const { return m_botPicker; }
    // Picks `key` in the bot list, or as soon as the bots are listed when they are not yet.
    void pickBot(const QString &key);
    Composer *composer() const { return m_composer; }
    ParameterEditor *parameterEditor() const { return m_parameters; }
    ModeSwitch *modeSwitch() const { return m_mode; }
    QTreeView *stepView() const { return m_stepView; }
    StepDetailView *stepDetail() const { return m_stepDetail; }
    EventsView *eventsView() const { return m_eventsView; }
    ResultView *resultView() const { return m_result; }
    TranscriptView *transcriptView() const { return m_transcriptView; }
    Banner *banner() const { return m_banner; }
    RunStatusPanel *runStatus() const { return m_status; }
    QTabWidget *inspectorTabs() const { return m_inspector; }
    StepTreeModel *stepModel() const { return m_steps; }
    EventListModel *eventModel() const { return m_events; }
    // The studio's settings (add-ons keep theirs there too).
    QSettings *settings() const { return m_settings; }
    TranscriptModel *transcriptModel() const { return m_transcript; }
    RunController *runs() const { return m_runs; }
    MockWorkflow *mockWorkflow() const { return m_mockWorkflow; }
    QAction *invokeAction() const { return m_invokeAction; }
    QAction *stopAction() const { return m_stopAction; }
    QAction *newConversationAction() const { return m_newAction; }
    QAction *quitAction() const { return m_quitAction; }
    QAction *rerunAction() const { return m_rerunAction; }
    QAction *findAction() const { return m_findAction; }
    QAction *aboutAction() const { return m_aboutAction; }
    QAction *shortcutsAction() const { return m_shortcutsAction; }

    // The menu bar (ui/window/mainwindowmenus.cpp). An add-on, a panel or a file type
    // adds its actions here, in the menu's open group: File before Quit, Edit before
    // Preferences, View before Reset Layout, Help before About; Panels and Run at the end.
    // Give an action its shortcut before adding it; Help ▸ Keyboard Shortcuts lists it
    // and tst_menus fails on a clash.
    QMenu *menu(WindowMenu which) const;
    void addMenuAction(WindowMenu which, QAction *action);
    // A menu of its own on the menu bar (e.g. "Tests"), before Help.
    QMenu *addMenu(const QString &title, const QString &objectName);
    // Edit ▸ Find (Ctrl+F) focuses `field` when the focus is inside `panel`.
    void addFindField(QWidget *panel, QLineEdit *field);
    // Edit ▸ Undo/Redo run these when the focus is inside `panel` and not in a text field
    // (text fields undo their own typing).
    void addUndoTarget(QWidget *panel, QAction *undo, QAction *redo);

    // An add-on's widget (ui/window/windowaddons.cpp: the profile switcher, Copy as
    // code) on the toolbar, right of the others, before Settings.
    void addToolbarWidget(QWidget *widget);

    // The request the widgets describe now (what Invoke would send, and what "Copy as
    // code" copies); when there is none, why, and the widget to look at.
    struct RequestProblem
    {
        QString message;
        QWidget *where = nullptr;
    };
    std::optional<InvokeRequest> currentRequest(RequestProblem *problem = nullptr) const;

public Q_SLOTS:
    void invoke();
    void stop();
    void newConversation();
    void reloadBots();
    // Lists the backend's datasets again (a dataset was added or changed in the workspace).
    void reloadDatasets();
    void openSettings();
    // Run ▸ Re-run: the last request again, in the mode it ran in.
    void rerun();
    // View ▸ Reset Layout: the default sizes, every panel shown, the toolbar back.
    void resetLayout();
    void showAbout();
    void showShortcuts();
    void openDocumentation();
    // The first-run offer: Manual mode with the example's bundled mock set, then a run.
    void tryExamplesInManualMode();
    // The backend now answers for another profile: a run on the previous one stops (its
    // output stays), the title names the new one, bots and datasets are listed again.
    void backendChanged();
    // An error from outside the window's own widgets (an add-on), in the banner.
    void showError(const QString &message);

Q_SIGNALS:
    // The backend should use these from now on (main() hands them to LocalBackend).
    void llmSettingsChanged(const invoke::LlmSettings &settings);
    // Preferences saved another replay cache (URL or password): main() has the embedded
    // engine read it again for its next run (core/backend/localcachesetting.h).
    void replayCacheSettingChanged();
    void botsLoaded();
    void runFinished(const invoke::InvokeResult &result);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildLayout();
    void buildMenus();
    void applyDefaultLayout();
    void find();
    void undoOrRedo(bool redo);
    void updateEditActions();
    void syncModeActions();
    void restoreSession();
    void loadApiKey();
    void applyLlmSettings(const LlmSettings &settings);
    void showFirstRunOffer();
    void onBotChanged(const QString &key);
    void onRunStarted();
    void onEventsApplied(qint64 total);
    void onRunFinished(const InvokeResult &result);
    void showStep(const QModelIndex &index);
    void refreshStepDetail();
    void updateActions();
    void fail(const QString &message, QWidget *cause);

    Backend *m_backend;
    SecretStore *m_secrets;
    QSettings *m_settings;
    WindowState m_state;
    LlmSettings m_llm;
    QString m_pendingBot; // to select once the listing arrives
    QTimer m_saveComposer;

    StepTreeModel *m_steps;
    EventListModel *m_events;
    TranscriptModel *m_transcript;
    RunController *m_runs;
    MockWorkflow *m_mockWorkflow = nullptr;

    BotPicker *m_botPicker = nullptr;
    ParameterEditor *m_parameters = nullptr;
    DatasetEditor *m_datasets = nullptr;
    QTabWidget *m_setupTabs = nullptr;
    Banner *m_banner = nullptr;
    TranscriptView *m_transcriptView = nullptr;
    ModeSwitch *m_mode = nullptr;
    Composer *m_composer = nullptr;
    QTabWidget *m_inspector = nullptr;
    QTreeView *m_stepView = nullptr;
    StepDetailView *m_stepDetail = nullptr;
    EventsView *m_eventsView = nullptr;
    ResultView *m_result = nullptr;
    RunStatusPanel *m_status = nullptr;

    QAction *m_invokeAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_newAction = nullptr;
    QAction *m_reloadAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_rerunAction = nullptr;
    QAction *m_resetLayoutAction = nullptr;
    QAction *m_docsAction = nullptr;
    QAction *m_shortcutsAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QList<QAction *> m_modeActions; // Live, Replay, Manual
    QToolBar *m_toolbar = nullptr;
    QWidget *m_leftPane = nullptr;
    QSplitter *m_mainSplitter = nullptr;

    struct MenuSlot
    {
        QMenu *menu = nullptr;
        QAction *before = nullptr; // where addMenuAction inserts; nullptr: at the end
    };
    QList<MenuSlot> m_menus; // by WindowMenu
    struct PanelTarget
    {
        QWidget *panel;
        QLineEdit *find = nullptr;
        QAction *undo = nullptr;
        QAction *redo = nullptr;
    };
    QList<PanelTarget> m_panelTargets;
    std::unique_ptr<BotConversations> m_conversations;
    QString m_conversationBot; // whose conversation the transcript shows
};

} // namespace invoke::ui
