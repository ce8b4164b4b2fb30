#include "ui/window/mainwindow.h"

#include <QtWidgets/QApplication>
#include "ui/common/banner.h"
#include "ui/request/botpicker.h"
#include "ui/request/composer.h"
#include "ui/request/dataseteditor.h"
#include "ui/events/eventlistmodel.h"
#include "ui/events/eventsview.h"
#include "ui/common/icons.h"
#include "ui/window/botconversations.h"
#include "ui/window/mockworkflow.h"
#include "ui/desktop/theme.h"
#include "ui/request/modeswitch.h"
#include "ui/request/parametereditor.h"
#include "ui/run/resultview.h"
#include "ui/run/runcontroller.h"
#include "ui/run/runstatuspanel.h"
#include "ui/connection/settingsdialog.h"
#include "ui/steps/stepdetailview.h"
#include "ui/steps/steptreemodel.h"
#include "ui/run/transcriptmodel.h"
#include "ui/run/transcriptview.h"

#include "core/backend/backend.h"
#include "core/config/environmentsecret.h"
#include "core/config/secretstore.h"

#include <QtCore/QSettings>
#include <QtGui/QAction>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;

namespace invoke::ui {

MainWindow::MainWindow(Backend *backend, SecretStore *secrets, QSettings *settings, QWidget *parent)
    : QMainWindow(parent), m_backend(backend), m_secrets(secrets), m_settings(settings),
      m_state(settings), m_steps(new StepTreeModel(this)), m_events(new EventListModel(this)),
      m_transcript(new TranscriptModel(this)),
      m_runs(new RunController(backend, m_steps, m_events, m_transcript, this))
{
    // The application's display name follows (" — Invoke Studio"): QGuiApplication adds it.
    setWindowTitle(backend->displayName());
    setWindowIcon(icon(u"invoke-studio"_s));
    // A chosen theme comes back; System leaves the application's look as it started.
    if (const Theme theme = savedTheme(*settings); theme != Theme::System)
        applyTheme(theme);
    m_conversations = std::make_unique<BotConversations>(m_transcript);
    buildActions();
    buildLayout();
    buildMenus();
    resize(1440, 900);
    m_state.restoreLayout(this);

    connect(m_botPicker, &BotPicker::currentBotChanged, this, &MainWindow::onBotChanged);
    connect(m_botPicker, &BotPicker::reloadRequested, this, &MainWindow::reloadBots);
    connect(m_composer, &Composer::sendRequested, this, &MainWindow::invoke);
    connect(m_parameters, &ParameterEditor::problemChanged, this, &MainWindow::updateActions);
    connect(m_mode, &ModeSwitch::modeChanged, this, [this] { m_state.setMode(m_mode->mode()); });
    connect(m_mode, &ModeSwitch::mockFileChanged, this, [this](const QString &path) { m_state.setMockFile(path); });
    connect(m_result->formatBox(), &QComboBox::currentIndexChanged, this,
            [this] { m_state.setResultFormat(int(m_result->format())); });
    connect(m_stepView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::showStep);
    // Sub-bot steps stay visible: a new step opens, with whatever came under it in the batch.
    connect(m_steps, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent, int first, int last) {
        if (parent.isValid())
            m_stepView->expand(parent);
        for (int row = first; row <= last; ++row)
            m_stepView->expandRecursively(m_steps->index(row, 0, parent));
    });
    connect(m_steps, &QAbstractItemModel::modelReset, m_stepDetail, &StepDetailView::clear);
    connect(m_runs, &RunController::started, this, &MainWindow::onRunStarted);
    connect(m_runs, &RunController::eventsApplied, this, &MainWindow::onEventsApplied);
    connect(m_runs, &RunController::invocationIdKnown, m_status, &RunStatusPanel::setInvocationId);
    connect(m_runs, &RunController::finished, this, &MainWindow::onRunFinished);
    connect(m_banner, &Banner::actionTriggered, this, &MainWindow::tryExamplesInManualMode);
    // The mock set editor and its links to Manual mode, the steps and the result.
    m_mockWorkflow = new MockWorkflow(this, settings);

    // The unsent message survives a crash too: saved shortly after typing pauses.
    m_saveComposer.setSingleShot(true);
    m_saveComposer.setInterval(400);
    connect(m_composer, &Composer::textChanged, &m_saveComposer, qOverload<>(&QTimer::start));
    connect(&m_saveComposer, &QTimer::timeout, this, [this] { m_state.setComposerText(m_composer->text()); });

    restoreSession();
    m_llm = LlmSettings::fromSettings(*settings).withEnvironment();
    showFirstRunOffer();
    loadApiKey();
    updateActions();
    reloadBots();
    m_backend->listDatasets(this, [this](const DatasetListing &listing) { m_datasets->setListing(listing); });
}

MainWindow::~MainWindow()
{
    // Closing the window moves the focus while its children go (after this body): the
    // application's focusChanged must not reach a window that is half gone.
    disconnect(qApp, &QApplication::focusChanged, this, nullptr);
    // Likewise a panel going later may still change its Undo/Redo (the dataset workspace
    // lets go of its table then; UBSan saw updateEditActions called on a window already
    // reduced to a QWidget). The panels are the window's children, alive here.
    for (const PanelTarget &target : std::as_const(m_panelTargets))
        for (QAction *action : {target.undo, target.redo})
            if (action)
                disconnect(action, &QAction::changed, this, &MainWindow::updateEditActions);
}

void MainWindow::restoreSession()
{
    m_mode->setMode(m_state.mode());
    m_mode->setMockFile(m_state.mockFile());
    m_composer->setText(m_state.composerText());
    if (const int format = m_state.resultFormat(); format >= 0)
        m_result->setFormat(OutputFormat(format));
    m_pendingBot = m_state.lastBot();
}

void MainWindow::loadApiKey()
{
    if (takeSecretFromEnvironment("INVOKE_LLM_API_KEY").has_value()) {
        Q_EMIT llmSettingsChanged(m_llm);
        return;
    }
    m_secrets->read(SecretStore::llmApiKeyName(), this, [this](const SecretResult &r) {
        if (r.ok())
            m_llm.apiKey = r.value;
        else if (r.status != SecretResult::NotFound && m_llm.isConfigured())
            statusBar()->showMessage(tr("The API key could not be read: %1").arg(r.error));
        Q_EMIT llmSettingsChanged(m_llm);
    });
}

void MainWindow::applyLlmSettings(const LlmSettings &settings)
{
    m_llm = settings.withEnvironment();
    if (!settings.apiKey.isEmpty() && !takeSecretFromEnvironment("INVOKE_LLM_API_KEY").has_value())
        m_llm.apiKey = settings.apiKey;
    Q_EMIT llmSettingsChanged(m_llm);
    if (m_llm.isConfigured() && m_banner->kind() == Banner::Info)
        m_banner->clearMessage();
}

void MainWindow::showFirstRunOffer()
{
    if (m_llm.isConfigured())
        return;
    m_banner->showMessage(Banner::Info,
                          tr("No LLM provider is configured yet, so Live and Replay runs cannot call a model. "
                             "Set one up in Settings — or run the examples right now in Manual mode, where "
                             "their bundled mock sets answer instead of a model."),
                          tr("Try the examples in Manual mode"));
}

void MainWindow::tryExamplesInManualMode()
{
    // The current bot if it ships a mock set, else the first example that does.
    QString key = m_botPicker->currentKey();
    if (ModeSwitch::bundledMockFile(key).isEmpty()) {
        for (const BotInfo &bot : m_botPicker->listing().bots) {
            if (!ModeSwitch::bundledMockFile(bot.key).isEmpty()) {
                key = bot.key;
                break;
            }
        }
    }
    if (ModeSwitch::bundledMockFile(key).isEmpty()) {
        fail(tr("No example with a bundled mock set is loaded."), m_botPicker);
        return;
    }
    m_botPicker->selectBot(key);
    m_mode->setMode(Mode::manual());
    m_mode->setMockFile(ModeSwitch::bundledMockFile(key));
    m_banner->clearMessage();
    if (m_composer->text().trimmed().isEmpty())
        m_composer->setText(tr("Hello! What can you do?"));
    invoke();
}

void MainWindow::addToolbarWidget(QWidget *widget)
{
    m_toolbar->insertWidget(m_settingsAction, widget);
}

void MainWindow::backendChanged()
{
    if (m_runs->isRunning())
        stop();
    setWindowTitle(m_backend->displayName());
    reloadBots();
    m_backend->listDatasets(this, [this](const DatasetListing &listing) { m_datasets->setListing(listing); });
}

void MainWindow::reloadDatasets()
{
    m_backend->listDatasets(this, [this](const DatasetListing &listing) { m_datasets->setListing(listing); });
}

void MainWindow::showError(const QString &message)
{
    m_banner->showMessage(Banner::Error, message);
}

void MainWindow::reloadBots()
{
    m_reloadAction->setEnabled(false);
    m_backend->listBots(this, [this](const BotListing &listing) {
        m_reloadAction->setEnabled(true);
        m_botPicker->setListing(listing);
        if (!m_pendingBot.isEmpty())
            m_botPicker->selectBot(std::exchange(m_pendingBot, QString()));
        if (m_botPicker->currentKey().isEmpty())
            m_botPicker->selectFirst();
        if (!listing.error.isEmpty())
            fail(tr("The bots could not be listed: %1").arg(listing.error), m_botPicker);
        Q_EMIT botsLoaded();
    });
}

void MainWindow::pickBot(const QString &key)
{
    if (!m_botPicker->selectBot(key) && m_botPicker->currentKey().isEmpty())
        m_pendingBot = key;
}

void MainWindow::onBotChanged(const QString &key)
{
    const BotInfo *bot = m_botPicker->currentBot();
    m_parameters->setDefinitions(bot ? bot->parameters : QList<ParameterDefinition>());
    m_mode->setBotKey(key);
    if (!key.isEmpty())
        m_state.setLastBot(key);
    // Each bot has its own conversation: the one shown is kept aside, the new bot's comes
    // back (or a fresh one), and the previous bot's run leaves the inspector.
    if (!key.isEmpty() && m_conversations->switchTo(key)) {
        m_steps->clear();
        m_events->clear();
        m_result->clear();
        m_stepDetail->clear();
        m_status->setIdle();
    }
    updateActions();
}

std::optional<InvokeRequest> MainWindow::currentRequest(RequestProblem *problem) const
{
    const auto refuse = [problem](const QString &message, QWidget *where) {
        if (problem)
            *problem = {message, where};
        return std::nullopt;
    };
    const BotInfo *bot = m_botPicker->currentBot();
    if (!bot)
        return refuse(tr("Pick a bot in the list on the left first."), m_botPicker);
    QString why;
    const std::optional<Json> parameters = m_parameters->parameters(&why);
    if (!parameters)
        return refuse(tr("The run cannot start: the parameters are not valid: %1").arg(why), m_parameters);
    const std::optional<MockSet> mocks = m_mode->mocks(&why); // empty outside Manual mode
    if (!mocks)
        return refuse(why, m_mode);

    InvokeRequest request;
    request.botKey = bot->key;
    request.messages = m_transcript->conversation();
    if (const QString text = m_composer->text().trimmed(); !text.isEmpty())
        request.messages << Message::user(text);
    request.parameters = *parameters;
    request.datasets = m_datasets->slugs();
    request.mode = m_mode->mode();
    request.manualMocks = *mocks;
    request.verbose = true;
    return request;
}

void MainWindow::invoke()
{
    if (m_runs->isRunning())
        return;
    RequestProblem problem;
    std::optional<InvokeRequest> found = currentRequest(&problem);
    if (!found) {
        if (problem.where == m_parameters)
            m_setupTabs->setCurrentWidget(m_parameters);
        fail(problem.message, problem.where);
        return;
    }
    const InvokeRequest &request = *found;
    const QString text = m_composer->text().trimmed();
    if (!m_mockWorkflow->confirmRun(request, [this] { invoke(); }))
        return; // it asks about steps without a mock first; the text stays in the composer

    if (m_banner->kind() != Banner::Info || !m_llm.isConfigured())
        m_banner->clearMessage();
    m_runs->start(request, text);
    m_composer->clear(); // only once the run has started: a refused request keeps the text
    m_state.setComposerText({});
}

void MainWindow::stop()
{
    m_runs->stop();
}

void MainWindow::rerun()
{
    InvokeRequest request = m_runs->lastRequest();
    // Only the shown bot's last run: another bot's would land in this bot's conversation.
    if (m_runs->isRunning() || request.botKey.isEmpty() || request.botKey != m_botPicker->currentKey())
        return;
    if (!m_mockWorkflow->confirmRun(request, [this] { rerun(); }))
        return;
    const QString text = !request.messages.isEmpty() && request.messages.last().role == u"user"_s
                             ? request.messages.last().content : QString();
    m_banner->clearMessage();
    m_runs->start(request, text);
}

void MainWindow::newConversation()
{
    if (m_runs->isRunning())
        m_runs->stop();
    m_conversations->forget();
    m_steps->clear();
    m_events->clear();
    m_result->clear();
    m_status->setIdle();
    m_banner->clearMessage();
    m_composer->editor()->setFocus();
}

void MainWindow::openSettings()
{
    auto *dialog = new SettingsDialog(m_settings, m_secrets, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::applied, this, &MainWindow::applyLlmSettings);
    connect(dialog, &SettingsDialog::replayCacheSaved, this, &MainWindow::replayCacheSettingChanged);
    dialog->open();
}

void MainWindow::onRunStarted()
{
    m_status->setRunning();
    m_result->clear();
    m_stepDetail->clear();
    updateActions();
}

void MainWindow::onEventsApplied(qint64 total)
{
    m_status->setEventCount(total);
    m_eventsView->followTail();
    refreshStepDetail();
}

void MainWindow::onRunFinished(const InvokeResult &result)
{
    m_status->setFinished(result);
    m_result->setResult(result);
    updateActions();

    // Point at what failed: the first failed step is selected (its detail shows the
    // error) and the banner says it in words.
    QString failedPath;
    for (const StepRecord &step : result.steps) {
        if (step.status == StepStatus::Error) {
            failedPath = step.path;
            const QModelIndex index = m_steps->indexOfPath(step.path);
            m_stepView->setCurrentIndex(index);
            m_stepView->scrollTo(index);
            m_inspector->setCurrentIndex(0);
            fail(tr("The step “%1” (%2) failed: %3").arg(step.path, step.actionType, step.error), m_stepView);
            break;
        }
    }
    if (result.cancelled) {
        m_banner->showMessage(Banner::Warning, tr("Stopped. What the bot produced so far is kept and marked as stopped."));
    } else if (!result.success && failedPath.isEmpty()) {
        fail(tr("The run failed: %1").arg(result.error.isEmpty() ? tr("no reason given") : result.error), m_transcriptView);
    } else if (result.success && !m_stepView->currentIndex().isValid() && m_steps->rowCount() > 0) {
        m_stepView->setCurrentIndex(m_steps->index(m_steps->rowCount() - 1, 0));
    }
    Q_EMIT runFinished(result);
}

void MainWindow::showStep(const QModelIndex &index)
{
    if (!index.isValid()) {
        m_stepDetail->clear();
        return;
    }
    m_stepDetail->setStep(m_steps->stepAt(index));
}

void MainWindow::refreshStepDetail()
{
    // The selected step may still be running: show its newest state once per batch.
    const QString path = m_stepDetail->currentPath();
    if (!path.isEmpty())
        m_stepDetail->setStep(m_steps->stepAt(m_steps->indexOfPath(path)));
}

void MainWindow::updateActions()
{
    const bool running = m_runs->isRunning();
    const bool ready = !running && m_botPicker->currentBot() && m_parameters->problem().isEmpty();
    m_invokeAction->setEnabled(!running);
    m_invokeAction->setToolTip(ready || running ? tr("Send the message and run the bot (Ctrl+Enter, F5)")
                                                : m_parameters->problem());
    m_stopAction->setEnabled(running);
    m_composer->setSendEnabled(!running);
    const QString lastBot = m_runs->lastRequest().botKey;
    m_rerunAction->setEnabled(!running && !lastBot.isEmpty() && lastBot == m_botPicker->currentKey());
    // A run belongs to the conversation of the bot it was sent to: no switching meanwhile.
    m_botPicker->setEnabled(!running);
    m_botPicker->setToolTip(running ? tr("Stop the run to switch bots") : QString());
}

void MainWindow::fail(const QString &message, QWidget *cause)
{
    m_banner->showMessage(Banner::Error, message);
    if (cause)
        cause->setFocus();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_runs->isRunning())
        m_runs->stop();
    m_saveComposer.stop();
    m_state.setComposerText(m_composer->text());
    m_state.saveLayout(this);
    QMainWindow::closeEvent(event);
}

} // namespace invoke::ui
