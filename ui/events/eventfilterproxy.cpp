#include "ui/events/eventfilterproxy.h"

#include "ui/events/eventlistmodel.h"

#include <QtCore/QElapsedTimer>
#include <QtGui/QFont>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

// New rows up to this many are matched on the GUI thread as they arrive (a frame's batch);
// more (after a long evaluation) go to the worker.
constexpr int kMatchHere = 20'000;
// ... and for at most this long: the rest goes to the worker too.
constexpr qint64 kMatchHereMs = 8;

} // namespace

EventFilterProxy::EventFilterProxy(QObject *parent)
    : QAbstractProxyModel(parent)
{
    connect(&m_runner, &FilterRunner::finished, this, &EventFilterProxy::onFinished);
    connect(&m_runner, &FilterRunner::progress, this, [this](quint64 job, int done, int total) {
        if (job == m_runner.currentJob())
            emit evaluationProgress(done, total);
    });
}

void EventFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    auto *events = qobject_cast<EventListModel *>(model);
    if (model && !events) {
        qWarning("EventFilterProxy: the source must be an EventListModel");
        return;
    }
    beginResetModel();
    if (m_events)
        disconnect(m_events, nullptr, this, nullptr);
    m_runner.cancel();
    m_events = events;
    m_matches.clear();
    m_matchedPathIds.clear();
    m_evaluated = 0;
    QAbstractProxyModel::setSourceModel(model);
    if (m_events) {
        connect(m_events, &QAbstractItemModel::rowsAboutToBeInserted, this,
                [this](const QModelIndex &, int first, int last) { onRowsAboutToBeInserted(first, last); });
        connect(m_events, &QAbstractItemModel::rowsInserted, this,
                [this](const QModelIndex &, int first, int last) { onRowsInserted(first, last); });
        connect(m_events, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
            m_runner.cancel();
            beginResetModel();
        });
        connect(m_events, &QAbstractItemModel::modelReset, this, [this] {
            m_matches.clear();
            m_matchedPathIds.clear();
            m_evaluated = 0;
            if (!m_pending.isEmpty() && m_pendingIsNew) // the text typed last wins, on no rows
                m_filter = m_pending;
            m_pending = {};
            endResetModel();
            emit matchingPathsChanged();
        });
        connect(m_events, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex &from, const QModelIndex &to, const QList<int> &roles) {
                    const QModelIndex a = mapFromSource(from), b = mapFromSource(to);
                    if (a.isValid() && b.isValid())
                        emit dataChanged(a, b, roles);
                });
        connect(m_events, &QAbstractItemModel::headerDataChanged, this, &QAbstractItemModel::headerDataChanged);
    }
    endResetModel();
}

void EventFilterProxy::setFilter(const filter::Filter &filter)
{
    if (!m_events)
        return;
    if (filter.isEmpty()) {
        m_runner.cancel();
        m_pending = {};
        if (m_filter.isEmpty()) {
            emit filterApplied(0);
            return;
        }
        beginResetModel();
        m_filter = {};
        m_matches.clear();
        m_matches.shrink_to_fit();
        m_matchedPathIds.clear();
        m_evaluated = 0;
        endResetModel();
        emit matchingPathsChanged();
        emit filterApplied(0);
        return;
    }
    m_pending = filter;
    m_pendingIsNew = true;
    m_runner.start(filter, m_events->snapshot(), 0);
}

void EventFilterProxy::setFilterWithMatches(const filter::Filter &filter, std::vector<int> rows)
{
    if (!m_events)
        return;
    m_runner.cancel();
    m_pending = {};
    m_pendingIsNew = false;
    beginResetModel();
    m_filter = filter;
    m_matches = std::move(rows);
    m_evaluated = m_events->rowCount();
    m_matchedPathIds.clear();
    for (const int row : m_matches)
        if (const quint32 id = m_events->pathIdAt(row); id != 0)
            m_matchedPathIds.insert(id);
    endResetModel();
    emit matchingPathsChanged();
    emit filterApplied(0);
}

void EventFilterProxy::setHideOthers(bool hide)
{
    if (hide == m_hideOthers)
        return;
    beginResetModel();
    m_hideOthers = hide;
    endResetModel();
}

void EventFilterProxy::onFinished(const FilterRunner::Result &result)
{
    if (!m_events)
        return;
    if (result.problem.isSet()) {
        // The shown filter stays; its catch-up, cancelled by the failed job, starts again.
        m_pending = {};
        emit filterFailed(result.problem.message);
        catchUp();
        return;
    }
    if (m_pendingIsNew) {
        beginResetModel();
        m_filter = result.filter;
        m_pending = {};
        m_matches = result.rows;
        m_evaluated = result.to;
        m_matchedPathIds.clear();
        for (const quint32 id : result.pathIds)
            m_matchedPathIds.insert(id);
        endResetModel();
        emit matchingPathsChanged();
    } else {
        appendMatches(result.rows, result.pathIds);
        m_evaluated = result.to;
    }
    m_pendingIsNew = false;
    catchUp();
    if (!m_runner.isRunning())
        emit filterApplied(result.elapsedMs);
}

void EventFilterProxy::catchUp()
{
    if (!m_events || !filtering() || m_runner.isRunning())
        return;
    const int end = m_events->rowCount();
    if (end - m_evaluated > kMatchHere) {
        m_pending = m_filter;
        m_pendingIsNew = false;
        m_runner.start(m_filter, m_events->snapshot(), m_evaluated);
        return;
    }
    std::vector<int> rows;
    std::vector<quint32> pathIds;
    filter::MatchProblem problem;
    // A pattern can cost milliseconds on each new event (up to its PCRE2 limit,
    // docs/filters.md "Cost limits"): the GUI thread matches a few milliseconds' worth,
    // the worker the rest (tests/inspectui/tst_costlyfilter).
    QElapsedTimer spent;
    spent.start();
    int row = m_evaluated;
    for (; row < end; ++row) {
        if (row > m_evaluated && spent.elapsed() >= kMatchHereMs)
            break;
        if (m_filter.matches(m_events->recordAt(row), &problem)) {
            rows.push_back(row);
            pathIds.push_back(m_events->pathIdAt(row));
        }
        problem = {}; // the shown filter passed a full evaluation: a costly event is only left out
    }
    appendMatches(rows, pathIds);
    m_evaluated = row;
    if (row < end) {
        m_pending = m_filter;
        m_pendingIsNew = false;
        m_runner.start(m_filter, m_events->snapshot(), m_evaluated);
    }
}

void EventFilterProxy::appendMatches(const std::vector<int> &rows, const std::vector<quint32> &pathIds)
{
    bool newPath = false;
    for (const quint32 id : pathIds) {
        if (id != 0 && !m_matchedPathIds.contains(id)) {
            m_matchedPathIds.insert(id);
            newPath = true;
        }
    }
    if (!rows.empty()) {
        const bool insert = hiding();
        const int first = int(m_matches.size());
        if (insert)
            beginInsertRows({}, first, first + int(rows.size()) - 1);
        m_matches.insert(m_matches.end(), rows.begin(), rows.end());
        if (insert) {
            endInsertRows();
        } else {
            // Marked in place: the rows are shown already.
            emit dataChanged(index(rows.front(), 0), index(rows.back(), columnCount() - 1), {Qt::FontRole, MatchRole});
        }
    }
    if (newPath)
        emit matchingPathsChanged();
}

void EventFilterProxy::onRowsAboutToBeInserted(int first, int last)
{
    m_insertingIdentity = !hiding();
    if (m_insertingIdentity)
        beginInsertRows({}, first, last);
}

void EventFilterProxy::onRowsInserted(int first, int last)
{
    Q_UNUSED(first);
    Q_UNUSED(last);
    if (m_insertingIdentity) {
        m_insertingIdentity = false;
        endInsertRows();
    }
    catchUp(); // matches the new rows of the shown filter (unless a job is running: it will)
}

int EventFilterProxy::matchCount() const
{
    return filtering() ? int(m_matches.size()) : (m_events ? m_events->rowCount() : 0);
}

bool EventFilterProxy::sourceRowMatches(int sourceRow) const
{
    if (!filtering())
        return true;
    return std::binary_search(m_matches.begin(), m_matches.end(), sourceRow);
}

int EventFilterProxy::nextMatch(int sourceRow, bool forward) const
{
    if (!m_events)
        return -1;
    if (!filtering()) {
        const int count = m_events->rowCount();
        if (count == 0)
            return -1;
        if (sourceRow < 0)
            return forward ? 0 : count - 1;
        return forward ? (sourceRow + 1) % count : (sourceRow + count - 1) % count;
    }
    if (m_matches.empty())
        return -1;
    if (forward) {
        const auto next = sourceRow < 0 ? m_matches.begin() : std::upper_bound(m_matches.begin(), m_matches.end(), sourceRow);
        return next == m_matches.end() ? m_matches.front() : *next;
    }
    if (sourceRow < 0)
        return m_matches.back();
    const auto at = std::lower_bound(m_matches.begin(), m_matches.end(), sourceRow);
    return at == m_matches.begin() ? m_matches.back() : *(at - 1);
}

QSet<QString> EventFilterProxy::matchingPaths() const
{
    QSet<QString> paths;
    if (!m_events)
        return paths;
    const QStringList &all = m_events->paths();
    for (const quint32 id : m_matchedPathIds)
        if (id < quint32(all.size()))
            paths.insert(all.at(id));
    return paths;
}

QModelIndex EventFilterProxy::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex EventFilterProxy::parent(const QModelIndex &) const
{
    return {};
}

int EventFilterProxy::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_events)
        return 0;
    return hiding() ? int(m_matches.size()) : m_events->rowCount();
}

int EventFilterProxy::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_events ? 0 : m_events->columnCount();
}

QModelIndex EventFilterProxy::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || !m_events || proxyIndex.model() != this)
        return {};
    const int row = hiding() ? m_matches.at(size_t(proxyIndex.row())) : proxyIndex.row();
    return m_events->index(row, proxyIndex.column());
}

QModelIndex EventFilterProxy::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || !m_events || sourceIndex.model() != m_events)
        return {};
    if (!hiding())
        return index(sourceIndex.row(), sourceIndex.column());
    const auto at = std::lower_bound(m_matches.begin(), m_matches.end(), sourceIndex.row());
    if (at == m_matches.end() || *at != sourceIndex.row())
        return {};
    return index(int(at - m_matches.begin()), sourceIndex.column());
}

QVariant EventFilterProxy::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (role == MatchRole)
        return filtering() && sourceRowMatches(mapToSource(index).row());
    // Every row is shown: the matches stand out in bold.
    if (role == Qt::FontRole && filtering() && !m_hideOthers && sourceRowMatches(mapToSource(index).row())) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    return QAbstractProxyModel::data(index, role);
}

} // namespace invoke::ui
