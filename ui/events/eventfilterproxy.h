#pragma once
// The event list as a display filter shows it (docs/filters.md): only the matching events,
// or every event with the matches marked. A new filter is evaluated off the GUI thread
// (ui/events/filterbar/filterrunner.h) and replaces the shown one only when it is done, so the rows
// never flicker and a filter that fails (a too costly pattern) leaves the last one shown.
// Events that arrive later are matched as they come.
#include "core/filter/filter.h"
#include "ui/events/filterbar/filterrunner.h"

#include <QtCore/QAbstractProxyModel>
#include <QtCore/QSet>

#include <vector>

namespace invoke::ui {

class EventListModel;

class EventFilterProxy : public QAbstractProxyModel
{
    Q_OBJECT
public:
    enum Role { MatchRole = Qt::UserRole + 50 }; // bool: the row matches a non-empty filter

    explicit EventFilterProxy(QObject *parent = nullptr);

    // The source must be an EventListModel (anything else is refused with a warning).
    void setSourceModel(QAbstractItemModel *model) override;

    // Starts matching `filter`; the shown filter stays until it is done (filterApplied), or
    // stays for good when it fails (filterFailed). The empty filter applies at once.
    void setFilter(const filter::Filter &filter);
    // Shows `filter` at once when its matches among the rows so far are known already (an
    // index the list keeps: EventListModel::messageRows); `rows` must be exactly those
    // matches, ascending. Rows that arrive later are matched as they come.
    void setFilterWithMatches(const filter::Filter &filter, std::vector<int> rows);
    // The filter the rows show now.
    const filter::Filter &filter() const { return m_filter; }
    // A filter is being matched off the GUI thread.
    bool isEvaluating() const { return m_runner.isRunning(); }

    // Only matching rows (the default), or every row with the matches marked.
    void setHideOthers(bool hide);
    bool hideOthers() const { return m_hideOthers; }

    // Matching source rows so far (every row for the empty filter).
    int matchCount() const;
    bool sourceRowMatches(int sourceRow) const;
    // The next (or previous) matching source row after `sourceRow`, wrapping around; -1
    // when nothing matches. `sourceRow` -1 starts at the top (or the bottom).
    int nextMatch(int sourceRow, bool forward) const;
    // The step paths that have a matching event (empty for the empty filter).
    QSet<QString> matchingPaths() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

signals:
    void filterApplied(qint64 elapsedMs);
    void filterFailed(const QString &message);
    void evaluationProgress(int done, int total);
    void matchingPathsChanged();

private:
    bool filtering() const { return !m_filter.isEmpty(); }
    bool hiding() const { return filtering() && m_hideOthers; }
    void onRowsAboutToBeInserted(int first, int last);
    void onRowsInserted(int first, int last);
    void onFinished(const FilterRunner::Result &result);
    // Matches rows [m_evaluated, end) of the shown filter here, or on the worker when many.
    void catchUp();
    // Adds matching rows found for the shown filter (ascending, past the known ones).
    void appendMatches(const std::vector<int> &rows, const std::vector<quint32> &pathIds);

    EventListModel *m_events = nullptr;
    FilterRunner m_runner;
    filter::Filter m_filter;        // shown
    filter::Filter m_pending;       // being matched
    bool m_pendingIsNew = false;    // the running job is a new filter (not a catch-up)
    std::vector<int> m_matches;     // matching source rows of [0, m_evaluated), ascending
    int m_evaluated = 0;
    QSet<quint32> m_matchedPathIds;
    bool m_hideOthers = true;
    bool m_insertingIdentity = false;
};

} // namespace invoke::ui
