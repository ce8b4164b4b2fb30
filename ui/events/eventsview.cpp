#include "ui/events/eventsview.h"
#include "ui/events/eventdetail.h"
#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventlistmodel.h"
#include "ui/events/eventtable.h"
#include "ui/events/filterbar/filterbar.h"

#include <QtGui/QAction>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

EventsView::EventsView(EventListModel *events, QWidget *parent)
    : QWidget(parent), m_events(events), m_proxy(new EventFilterProxy(this)), m_bar(new FilterBar(this)),
      m_view(new QTableView), m_detail(new QPlainTextEdit)
{
    m_proxy->setSourceModel(events);

    m_view->setObjectName(u"eventList"_s);
    m_view->setModel(m_proxy);
    setUpEventTable(m_view);
    sizeEventColumns(m_view, 110);

    m_detail->setObjectName(u"eventDetail"_s);
    setUpEventDetail(m_detail);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(u"eventsSplitter"_s);
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_bar);
    layout->addWidget(split, 1);

    // F3 / Shift+F3 anywhere in the view, as in a browser's find, and the platform's own
    // keys. A key listed twice would make the shortcut ambiguous, and it would never fire.
    const auto keys = [](QKeySequence::StandardKey standard, const QKeySequence &extra) {
        QList<QKeySequence> all = QKeySequence::keyBindings(standard);
        if (!all.contains(extra))
            all.prepend(extra);
        return all;
    };
    auto *next = new QAction(this);
    next->setShortcuts(keys(QKeySequence::FindNext, QKeySequence(Qt::Key_F3)));
    next->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    auto *previous = new QAction(this);
    previous->setShortcuts(keys(QKeySequence::FindPrevious, QKeySequence(Qt::SHIFT | Qt::Key_F3)));
    previous->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(next);
    addAction(previous);
    connect(next, &QAction::triggered, this, [this] { selectMatch(true); });
    connect(previous, &QAction::triggered, this, [this] { selectMatch(false); });

    connect(m_bar, &FilterBar::filterChanged, this, [this](const filter::Filter &filter) {
        m_problem.clear();
        m_proxy->setFilter(filter);
        m_progress = m_proxy->isEvaluating() ? 0 : -1;
        updateCount();
    });
    connect(m_bar, &FilterBar::nextRequested, this, [this] { selectMatch(true); });
    connect(m_bar, &FilterBar::previousRequested, this, [this] { selectMatch(false); });
    connect(m_bar, &FilterBar::hideOthersChanged, m_proxy, &EventFilterProxy::setHideOthers);
    connect(m_bar, &FilterBar::hideStepsChanged, this, &EventsView::announceSteps);
    connect(m_proxy, &EventFilterProxy::matchingPathsChanged, this, [this] {
        if (m_bar->hideStepsBox()->isChecked())
            announceSteps();
    });
    connect(m_proxy, &EventFilterProxy::filterApplied, this, [this] {
        m_progress = -1;
        updateCount();
    });
    connect(m_proxy, &EventFilterProxy::filterFailed, this, [this](const QString &message) {
        m_progress = -1;
        m_problem = message;
        updateCount();
    });
    connect(m_proxy, &EventFilterProxy::evaluationProgress, this, [this](int done, int total) {
        m_progress = total > 0 ? int(qint64(done) * 100 / total) : 0;
        updateCount();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &EventsView::showSelected);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &EventsView::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        m_detail->clear();
        updateCount();
    });
    // Remember whether the user was reading the tail before new rows move the scroll bar.
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *bar = m_view->verticalScrollBar();
        m_atBottom = bar->value() >= bar->maximum() - 2;
    });
    updateCount();
}

void EventsView::setSettings(QSettings *settings)
{
    m_bar->setSettings(settings);
}

void EventsView::announceSteps()
{
    const bool active = m_bar->hideStepsBox()->isChecked() && !m_proxy->filter().isEmpty();
    emit stepFilterChanged(active, active ? m_proxy->matchingPaths() : QSet<QString>());
}

QLineEdit *EventsView::filterField() const
{
    return m_bar->edit();
}

void EventsView::followTail()
{
    if (m_atBottom)
        m_view->scrollToBottom();
}

void EventsView::selectMatch(bool forward)
{
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    const int row = m_proxy->nextMatch(current.isValid() ? current.row() : -1, forward);
    if (row < 0)
        return;
    const QModelIndex target = m_proxy->mapFromSource(m_events->index(row, 0));
    if (!target.isValid())
        return;
    m_view->setCurrentIndex(target);
    m_view->scrollTo(target, QAbstractItemView::PositionAtCenter);
}

QString EventsView::detailText() const
{
    return m_detail->toPlainText();
}

void EventsView::showSelected()
{
    showCurrentEvent(m_view, m_proxy, m_events, m_detail);
}

void EventsView::updateCount()
{
    const int total = m_events->rowCount();
    if (!m_problem.isEmpty()) {
        m_bar->setStatus(tr("Not applied: %1").arg(m_problem), true);
        return;
    }
    const QString events = total == 1 ? tr("1 event") : tr("%L1 events").arg(total);
    QString text;
    if (m_proxy->filter().isEmpty())
        text = events;
    else
        text = tr("%L1 of %2 match").arg(m_proxy->matchCount()).arg(events);
    if (m_progress >= 0)
        text += tr(" — filtering… %1%").arg(m_progress);
    m_bar->setStatus(text);
}

} // namespace invoke::ui
