#include "ui/window/inspectorworkflow.h"

#include "ui/colouring/colouringdelegate.h"
#include "ui/colouring/colouringdialog.h"
#include "ui/colouring/colouringrules.h"
#include "ui/colouring/rowcolours.h"
#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventlistmodel.h"
#include "ui/events/eventsview.h"
#include "ui/follow/followfilters.h"
#include "ui/follow/followmessageview.h"
#include "ui/follow/followstepview.h"
#include "ui/steps/steptreemodel.h"
#include "ui/window/mainwindow.h"

#include <QtGui/QAction>
#include <QtWidgets/QMenu>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;

namespace invoke::ui {

InspectorWorkflow::InspectorWorkflow(MainWindow *window, QSettings *settings)
    : QObject(window), m_window(window), m_rules(new ColouringRules(settings, this)),
      m_colours(new RowColours(window->eventModel(), m_rules, this)),
      m_rulesAction(new QAction(tr("Colouring &Rules…"), this)), m_colourAction(new QAction(tr("&Colour Events"), this)),
      m_followMessage(new QAction(tr("Follow &Message"), this)), m_followStep(new QAction(tr("Follow &Step"), this)),
      m_followSelectedStep(new QAction(tr("Follow &Step"), this)),
      m_followStepMessage(new QAction(tr("Follow &Message"), this))
{
    m_rulesAction->setObjectName(u"colouringRulesAction"_s);
    m_rulesAction->setStatusTip(tr("Edit the rules that colour events and steps"));
    m_colourAction->setObjectName(u"colourEventsAction"_s);
    m_colourAction->setCheckable(true);
    m_colourAction->setChecked(m_rules->isEnabled());
    m_colourAction->setStatusTip(tr("Paint events and steps in their colouring rule's colours"));
    m_followMessage->setObjectName(u"followMessageAction"_s);
    m_followMessage->setStatusTip(tr("The text of this event's message, joined from its deltas, live"));
    m_followStep->setObjectName(u"followStepAction"_s);
    m_followStep->setStatusTip(tr("Only the events of this event's step and the steps under it, live"));
    m_followSelectedStep->setObjectName(u"followSelectedStepAction"_s);
    m_followSelectedStep->setStatusTip(tr("Only the events of this step and the steps under it, live"));
    m_followStepMessage->setObjectName(u"followStepMessageAction"_s);
    m_followStepMessage->setStatusTip(tr("The text of the message this step streams, live"));
    window->addMenuAction(WindowMenu::View, m_colourAction);
    window->addMenuAction(WindowMenu::View, m_rulesAction);

    EventsView *events = window->eventsView();
    ColouringDelegate::installOnEvents(events->view(), events->proxy(), m_colours);
    ColouringDelegate::installOnSteps(window->stepView(), m_colours);

    connect(m_rulesAction, &QAction::triggered, this, &InspectorWorkflow::openRulesDialog);
    connect(m_colourAction, &QAction::toggled, m_rules, &ColouringRules::setEnabled);
    connect(m_rules, &ColouringRules::ruleStopped, window, [window](int, const QString &message) {
        window->statusBar()->showMessage(message, 15000);
    });

    events->view()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(events->view(), &QWidget::customContextMenuRequested, this, &InspectorWorkflow::eventContextMenu);
    connect(m_followMessage, &QAction::triggered, this, [this] { followMessage(currentEventRow()); });
    connect(m_followStep, &QAction::triggered, this, [this] {
        const int row = currentEventRow();
        EventListModel *list = m_window->eventModel();
        if (row >= 0 && !list->pathAt(row).isEmpty())
            followStep(list->pathAt(row));
    });
    // The step tree's context menu (ui/window/mockworkflow.cpp) lists the view's actions.
    QTreeView *steps = window->stepView();
    steps->addAction(m_followStepMessage);
    steps->addAction(m_followSelectedStep);
    connect(m_followStepMessage, &QAction::triggered, this, [this] {
        const StepRecord step = m_window->stepModel()->stepAt(m_window->stepView()->currentIndex());
        if (!step.path.isEmpty())
            followStepMessage(step.path);
    });
    connect(m_followSelectedStep, &QAction::triggered, this, [this] {
        const StepRecord step = m_window->stepModel()->stepAt(m_window->stepView()->currentIndex());
        if (!step.path.isEmpty())
            followStep(step.path);
    });
}

ColouringDialog *InspectorWorkflow::openRulesDialog()
{
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return m_dialog;
    }
    m_dialog = new ColouringDialog(m_rules, m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog->open();
    return m_dialog;
}

int InspectorWorkflow::currentEventRow() const
{
    const EventsView *events = m_window->eventsView();
    const QModelIndex index = events->proxy()->mapToSource(events->view()->currentIndex());
    return index.isValid() ? index.row() : -1;
}

void InspectorWorkflow::updateEventActions()
{
    EventListModel *list = m_window->eventModel();
    const int row = currentEventRow();
    m_followMessage->setEnabled(row >= 0 && messageIdAt(*list, row).has_value());
    m_followStep->setEnabled(row >= 0 && !list->pathAt(row).isEmpty());
}

void InspectorWorkflow::eventContextMenu(const QPoint &position)
{
    QTableView *view = m_window->eventsView()->view();
    const QModelIndex index = view->indexAt(position);
    if (index.isValid())
        view->setCurrentIndex(index);
    updateEventActions();
    QMenu menu(view);
    menu.addAction(m_followMessage);
    menu.addAction(m_followStep);
    menu.addSeparator();
    menu.addAction(m_colourAction);
    menu.addAction(m_rulesAction);
    menu.exec(view->viewport()->mapToGlobal(position));
}

FollowMessageView *InspectorWorkflow::followMessage(int eventRow)
{
    EventListModel *list = m_window->eventModel();
    const std::optional<QString> id = messageIdAt(*list, eventRow);
    if (!id)
        return nullptr;
    auto *view = new FollowMessageView(list, *id, m_window);
    view->show();
    return view;
}

FollowMessageView *InspectorWorkflow::followStepMessage(const QString &path)
{
    // One pass over the rows' path ids (milliseconds at a million events), once per click.
    EventListModel *list = m_window->eventModel();
    for (const int row : list->rowsForPath(path)) {
        if (messageIdAt(*list, row))
            return followMessage(row);
    }
    m_window->statusBar()->showMessage(tr("The step %1 has streamed no message yet.").arg(path), 8000);
    return nullptr;
}

FollowStepView *InspectorWorkflow::followStep(const QString &path)
{
    EventListModel *list = m_window->eventModel();
    auto *view = new FollowStepView(list, path, m_window);
    ColouringDelegate::installOnEvents(view->view(), view->proxy(), m_colours);
    view->show();
    return view;
}

} // namespace invoke::ui
