#include "ui/events/eventsview.h"
#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventlistmodel.h"
#include "ui/common/icons.h"

#include <QtGui/QFontDatabase>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

EventsView::EventsView(EventListModel *events, QWidget *parent)
    : QWidget(parent), m_events(events), m_proxy(new EventFilterProxy(this)),
      m_filter(new QLineEdit(this)), m_count(new QLabel(this)), m_view(new QTableView),
      m_detail(new QPlainTextEdit)
{
    m_proxy->setSourceModel(events);

    m_filter->setObjectName(u"eventFilter"_s);
    m_filter->setPlaceholderText(tr("Filter events by type, step or content"));
    m_filter->setClearButtonEnabled(true);
    m_filter->addAction(icon(u"search"_s), QLineEdit::LeadingPosition);
    m_count->setEnabled(false);

    m_view->setObjectName(u"eventList"_s);
    m_view->setModel(m_proxy);
    // A table with fixed row heights: a QTreeView relays out every row on each insert,
    // which stalls the window for 100+ ms at 200k events (tests/bench/bench_studio_models).
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->setColumnWidth(EventListModel::SeqColumn, 50);
    m_view->setColumnWidth(EventListModel::TimeColumn, 70);
    m_view->setColumnWidth(EventListModel::TypeColumn, 140);
    m_view->setColumnWidth(EventListModel::StepColumn, 110);

    m_detail->setObjectName(u"eventDetail"_s);
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select an event to read it in full."));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(u"eventsSplitter"_s);
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_count);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    // Filtering re-reads every event: wait until the typing pauses.
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(200);
    connect(m_filter, &QLineEdit::textChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(&m_debounce, &QTimer::timeout, this, [this] {
        m_proxy->setText(m_filter->text());
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

void EventsView::followTail()
{
    if (m_atBottom)
        m_view->scrollToBottom();
}

QString EventsView::detailText() const
{
    return m_detail->toPlainText();
}

void EventsView::showSelected()
{
    const QModelIndex index = m_proxy->mapToSource(m_view->currentIndex());
    if (!index.isValid()) {
        m_detail->clear();
        return;
    }
    const QByteArrayView raw = m_events->rawAt(index.row());
    QString error;
    const Json parsed = parseJson(raw, &error, kJsonMaxWireDepth);
    m_detail->setPlainText(parsed.is_discarded() ? QString::fromUtf8(raw.data(), raw.size())
                                                 : QString::fromUtf8(dumpJson(parsed, 2)));
}

void EventsView::updateCount()
{
    const int shown = m_proxy->rowCount();
    const int total = m_events->rowCount();
    m_count->setText(shown == total ? tr("%n event(s)", nullptr, total)
                                    : tr("%1 of %n event(s)", nullptr, total).arg(shown));
}

} // namespace invoke::ui
