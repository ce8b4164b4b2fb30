#include "ui/history/historylistmodel.h"


#include <QtCore/QLocale>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

QString durationText(qint64 ms)
{
    if (ms < 0)
        return u"—"_s;
    if (ms < 1000)
        return u"%1 ms"_s.arg(ms);
    if (ms < 60000)
        return u"%1 s"_s.arg(ms / 1000.0, 0, 'f', 1);
    return u"%1 min %2 s"_s.arg(ms / 60000).arg((ms % 60000) / 1000);
}

} // namespace

HistoryListModel::HistoryListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void HistoryListModel::setRuns(const QList<history::RunSummary> &runs)
{
    beginResetModel();
    m_runs = runs;
    endResetModel();
}

int HistoryListModel::rowOf(const QString &invocationId) const
{
    for (int i = 0; i < m_runs.size(); ++i)
        if (m_runs.at(i).invocationId == invocationId)
            return i;
    return -1;
}

void HistoryListModel::setPinned(const QString &invocationId, bool pinned)
{
    const int row = rowOf(invocationId);
    if (row < 0 || m_runs.at(row).pinned == pinned)
        return;
    m_runs[row].pinned = pinned;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int HistoryListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int HistoryListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const history::RunSummary &run = m_runs.at(index.row());
    switch (role) {
    case InvocationIdRole:
        return run.invocationId;
    case OutcomeRole:
        return QString(history::outcomeName(run.outcome));
    case PinnedRole:
        return run.pinned;
    case Qt::ToolTipRole:
        return run.error.isEmpty() ? run.invocationId : run.invocationId + u"\n"_s + run.error;
    case Qt::TextAlignmentRole:
        if (index.column() == Duration || index.column() == Tokens)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case Bot: return run.botName.isEmpty() || run.botName == run.botKey ? run.botKey
                                                                     : u"%1 (%2)"_s.arg(run.botName, run.botKey);
    case Started: return run.startedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s);
    case Mode: return run.mode;
    case Outcome: return QString(history::outcomeName(run.outcome));
    case Duration: return durationText(run.durationMs);
    case Tokens: return run.tokens > 0 ? QLocale().toString(run.tokens) : u"—"_s;
    case Pinned: return run.pinned ? tr("pinned") : QString();
    }
    return {};
}

QVariant HistoryListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Bot: return tr("Bot");
    case Started: return tr("Started");
    case Mode: return tr("Mode");
    case Outcome: return tr("Outcome");
    case Duration: return tr("Duration");
    case Tokens: return tr("Tokens");
    case Pinned: return tr("Pinned");
    }
    return {};
}

} // namespace invoke::ui
