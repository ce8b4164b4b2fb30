#include "ui/follow/followstepview.h"

#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventdetail.h"
#include "ui/events/eventlistmodel.h"
#include "ui/events/eventtable.h"
#include "ui/follow/findbar.h"
#include "ui/follow/followfilters.h"

#include "core/model/json/json.h"

#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

FollowStepView::FollowStepView(EventListModel *events, const QString &stepPath, QWidget *parent)
    : QWidget(parent, Qt::Window), m_events(events), m_proxy(new EventFilterProxy(this)), m_path(stepPath),
      m_status(new QLabel(this)), m_view(new QTableView), m_detail(new QPlainTextEdit),
      m_find(new FindBar(this, this))
{
    setObjectName(u"followStep"_s);
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Follow Step %1").arg(stepPath));
    m_status->setObjectName(u"followStatus"_s);

    m_view->setObjectName(u"followEvents"_s);
    setUpEventTable(m_view); // as the Events tab's
    m_detail->setObjectName(u"followDetail"_s);
    setUpEventDetail(m_detail);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);
    layout->addWidget(m_find);

    m_proxy->setSourceModel(events);
    // Shown only once the filter is matched: until then the proxy holds every event.
    connect(m_proxy, &EventFilterProxy::filterApplied, this, [this] {
        if (m_ready)
            return;
        m_ready = true;
        m_view->setModel(m_proxy);
        sizeEventColumns(m_view, 130);
        connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &FollowStepView::showSelected);
        m_view->scrollToBottom();
        updateStatus();
    });
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *bar = m_view->verticalScrollBar();
        m_atBottom = bar->value() >= bar->maximum() - 2;
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_ready)
            return;
        if (m_atBottom)
            m_view->scrollToBottom();
        updateStatus();
    });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        m_detail->clear();
        updateStatus();
    });
    connect(m_find, &FindBar::findRequested, this, &FollowStepView::find);
    m_proxy->setFilter(*filter::Filter::parse(stepFilterText(stepPath)));
    updateStatus();
    resize(820, 560);
}

QString FollowStepView::statusText() const
{
    return m_status->text();
}

QString FollowStepView::detailText() const
{
    return m_detail->toPlainText();
}

void FollowStepView::updateStatus()
{
    if (!m_ready) {
        m_status->setText(tr("Step %1: finding its events…").arg(m_path));
        return;
    }
    const int count = m_proxy->rowCount();
    m_status->setText(count == 1 ? tr("Step %1 and the steps under it: 1 event").arg(m_path)
                                 : tr("Step %1 and the steps under it: %L2 events").arg(m_path).arg(count));
}

void FollowStepView::showSelected()
{
    showCurrentEvent(m_view, m_proxy, m_events, m_detail);
}

bool FollowStepView::rowHas(int proxyRow, const QString &text) const
{
    const int source = m_proxy->mapToSource(m_proxy->index(proxyRow, 0)).row();
    if (m_events->summaryAt(source).contains(text, Qt::CaseInsensitive))
        return true;
    const QByteArrayView raw = m_events->rawAt(source);
    return QString::fromUtf8(raw.data(), raw.size()).contains(text, Qt::CaseInsensitive);
}

// Finds the next (or previous) shown event whose summary or JSON holds `text`, wrapping.
void FollowStepView::find(const QString &text, bool forward, bool incremental)
{
    const int count = m_ready ? m_proxy->rowCount() : 0;
    if (count == 0) {
        m_find->setResult(false, tr("Not found"));
        return;
    }
    const int current = m_view->currentIndex().isValid() ? m_view->currentIndex().row() : -1;
    int start = current;
    if (current < 0)
        start = forward ? -1 : count;
    else if (incremental)
        start = forward ? current - 1 : current + 1; // the current event may still match
    for (int step = 1; step <= count; ++step) {
        const int row = ((start + (forward ? step : -step)) % count + count) % count;
        if (rowHas(row, text)) {
            const QModelIndex target = m_proxy->index(row, 0);
            m_view->setCurrentIndex(target);
            m_view->scrollTo(target, QAbstractItemView::PositionAtCenter);
            m_find->setResult(true, tr("Event %1 of %2").arg(row + 1).arg(count));
            return;
        }
    }
    m_find->setResult(false, tr("Not found"));
}

} // namespace invoke::ui
