#pragma once
// The History panel's list: one row per recorded run (core/history/runrecord.h's
// RunSummary), newest first: bot, started, mode, outcome, duration, tokens, pinned.
#include "core/history/runrecord.h"

#include <QtCore/QAbstractTableModel>

namespace invoke::ui {

class HistoryListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Bot, Started, Mode, Outcome, Duration, Tokens, Pinned, ColumnCount };
    enum Role { InvocationIdRole = Qt::UserRole + 1, OutcomeRole, PinnedRole };

    explicit HistoryListModel(QObject *parent = nullptr);

    // Replaces the rows (a new search, or the history changed).
    void setRuns(const QList<history::RunSummary> &runs);
    const history::RunSummary &runAt(int row) const { return m_runs.at(row); }
    int rowOf(const QString &invocationId) const; // -1 when not listed
    // Updates one row's pin without a reset.
    void setPinned(const QString &invocationId, bool pinned);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<history::RunSummary> m_runs;
};

} // namespace invoke::ui
