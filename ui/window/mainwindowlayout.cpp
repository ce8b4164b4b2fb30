// MainWindow's construction of actions and widgets (its behaviour is in mainwindow.cpp).
#include "ui/window/mainwindow.h"
#include "ui/common/banner.h"
#include "ui/request/botpicker.h"
#include "ui/request/composer.h"
#include "ui/request/dataseteditor.h"
#include "ui/events/eventsview.h"
#include "ui/common/icons.h"
#include "ui/request/modeswitch.h"
#include "ui/request/parametereditor.h"
#include "ui/run/resultview.h"
#include "ui/run/runstatuspanel.h"
#include "ui/steps/stepdetailview.h"
#include "ui/steps/stephider.h"
#include "ui/steps/steptreemodel.h"
#include "ui/run/transcriptview.h"

#include <QtGui/QAction>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

QSplitter *splitter(Qt::Orientation orientation, const QString &name, QWidget *parent = nullptr)
{
    auto *s = new QSplitter(orientation, parent);
    s->setObjectName(name);
    s->setChildrenCollapsible(false);
    return s;
}

// A titled pane: a small bold caption over the widget, so every area says what it is.
QWidget *titled(const QString &title, QWidget *content, QWidget *extra = nullptr)
{
    auto *pane = new QWidget;
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    auto *caption = new QLabel(u"<b>%1</b>"_s.arg(title.toHtmlEscaped()), pane);
    layout->addWidget(caption);
    if (extra)
        layout->addWidget(extra);
    layout->addWidget(content, 1);
    return pane;
}

} // namespace

void MainWindow::buildActions()
{
    m_invokeAction = new QAction(icon(u"invoke"_s), tr("Invoke"), this);
    m_invokeAction->setObjectName(u"invokeAction"_s);
    m_invokeAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter),
                                  QKeySequence(Qt::Key_F5)});
    m_invokeAction->setToolTip(tr("Send the message and run the bot (Ctrl+Enter, F5)"));
    m_stopAction = new QAction(icon(u"stop"_s), tr("Stop"), this);
    m_stopAction->setObjectName(u"stopAction"_s);
    // Esc stops only while a run is on (the action is disabled otherwise) and only in
    // the main window: a dialog, a menu or a completer popup keeps its own Esc.
    m_stopAction->setShortcut(Qt::Key_Escape);
    m_stopAction->setShortcutContext(Qt::WindowShortcut);
    m_stopAction->setToolTip(tr("Cancel the run; what it produced so far is kept (Esc)"));
    m_newAction = new QAction(icon(u"new-conversation"_s), tr("New Conversation"), this);
    m_newAction->setObjectName(u"newConversationAction"_s);
    m_newAction->setShortcut(QKeySequence::New);
    m_reloadAction = new QAction(icon(u"reload"_s), tr("Reload bots"), this);
    m_reloadAction->setObjectName(u"reloadAction"_s);
    // Not QKeySequence::Refresh: that is F5 here, which invokes.
    m_reloadAction->setShortcut(QKeySequence(u"Ctrl+Shift+R"_s));
    m_settingsAction = new QAction(icon(u"settings"_s), tr("Settings…"), this);
    m_settingsAction->setObjectName(u"settingsAction"_s);
    m_settingsAction->setShortcut(QKeySequence(u"Ctrl+Shift+,"_s)); // KDE's Configure

    auto *toolbar = m_toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(u"mainToolbar"_s);
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(m_invokeAction);
    toolbar->addAction(m_stopAction);
    toolbar->addSeparator();
    toolbar->addAction(m_newAction);
    toolbar->addAction(m_reloadAction);
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    toolbar->addAction(m_settingsAction);

    connect(m_invokeAction, &QAction::triggered, this, &MainWindow::invoke);
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::stop);
    connect(m_newAction, &QAction::triggered, this, &MainWindow::newConversation);
    connect(m_reloadAction, &QAction::triggered, this, &MainWindow::reloadBots);
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::openSettings);
}

void MainWindow::buildLayout()
{
    // Left: which bot, with which parameters and datasets.
    m_botPicker = new BotPicker;
    m_parameters = new ParameterEditor;
    m_datasets = new DatasetEditor;
    m_setupTabs = new QTabWidget;
    m_setupTabs->setObjectName(u"setupTabs"_s);
    m_setupTabs->addTab(m_parameters, tr("Parameters"));
    m_setupTabs->addTab(m_datasets, tr("Datasets"));
    auto *left = splitter(Qt::Vertical, u"leftSplitter"_s);
    m_leftPane = left;
    left->addWidget(titled(tr("Bots"), m_botPicker));
    left->addWidget(m_setupTabs);

    // Middle: the conversation.
    m_banner = new Banner;
    m_transcriptView = new TranscriptView;
    m_transcriptView->setModel(m_transcript);
    m_mode = new ModeSwitch;
    m_composer = new Composer;
    auto *conversation = new QWidget;
    auto *conversationLayout = new QVBoxLayout(conversation);
    conversationLayout->setContentsMargins(6, 6, 6, 0);
    conversationLayout->addWidget(m_banner);
    conversationLayout->addWidget(m_transcriptView, 1);
    auto *bottom = new QWidget;
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(6, 0, 6, 6);
    bottomLayout->addWidget(m_mode);
    bottomLayout->addWidget(m_composer, 1);
    auto *middle = splitter(Qt::Vertical, u"conversationSplitter"_s);
    middle->addWidget(conversation);
    middle->addWidget(bottom);
    middle->setStretchFactor(0, 1);

    // Right: what happened.
    m_stepView = new QTreeView;
    m_stepView->setObjectName(u"stepTree"_s);
    m_stepView->setModel(m_steps);
    m_stepView->setAlternatingRowColors(true);
    m_stepView->setUniformRowHeights(true);
    m_stepView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_stepView->header()->setStretchLastSection(false);
    m_stepView->header()->setSectionResizeMode(StepTreeModel::KeyColumn, QHeaderView::Stretch);
    m_stepView->setColumnWidth(StepTreeModel::ActionColumn, 120);
    m_stepView->setColumnWidth(StepTreeModel::StatusColumn, 100);
    m_stepView->setColumnWidth(StepTreeModel::SourceColumn, 80);
    m_stepView->setColumnWidth(StepTreeModel::DurationColumn, 70);
    m_stepView->setColumnWidth(StepTreeModel::TokensColumn, 80);
    m_stepDetail = new StepDetailView(m_events);
    auto *steps = splitter(Qt::Vertical, u"stepsSplitter"_s);
    steps->addWidget(m_stepView);
    steps->addWidget(m_stepDetail);
    m_eventsView = new EventsView(m_events);
    m_eventsView->setSettings(m_settings); // saved filters
    // The events filter can narrow the step tree too (docs/filters.md).
    auto *stepHider = new StepTreeHider(m_stepView, m_steps, this);
    connect(m_eventsView, &EventsView::stepFilterChanged, stepHider, &StepTreeHider::setMatchingPaths);
    m_result = new ResultView;
    m_inspector = new QTabWidget;
    m_inspector->setObjectName(u"inspectorTabs"_s);
    m_inspector->addTab(steps, tr("Steps"));
    m_inspector->addTab(m_eventsView, tr("Events"));
    m_inspector->addTab(m_result, tr("Result"));

    auto *main = m_mainSplitter = splitter(Qt::Horizontal, u"mainSplitter"_s);
    main->addWidget(left);
    main->addWidget(middle);
    main->addWidget(m_inspector);
    main->setStretchFactor(1, 1);
    main->setStretchFactor(2, 1);
    setCentralWidget(main);
    applyDefaultLayout();

    m_status = new RunStatusPanel;
    statusBar()->addPermanentWidget(m_status);
}

void MainWindow::applyDefaultLayout()
{
    // Proportions for a first start (a saved layout replaces them) and View ▸ Reset Layout.
    const QList<std::pair<QString, QList<int>>> sizes{{u"mainSplitter"_s, {330, 520, 590}},
                                                     {u"leftSplitter"_s, {430, 370}},
                                                     {u"conversationSplitter"_s, {560, 190}},
                                                     {u"stepsSplitter"_s, {220, 380}}};
    for (const auto &[name, values] : sizes)
        if (auto *s = findChild<QSplitter *>(name))
            s->setSizes(values);
}

} // namespace invoke::ui
