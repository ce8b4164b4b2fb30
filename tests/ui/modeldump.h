#pragma once
// Whole-model text dumps for golden comparisons (one line per row, two spaces of
// indent per level, the columns' DisplayRole text joined by " | ", trailing empty
// columns left out). Columns in `leaveOut` (durations, which depend on the clock) are
// not dumped.
#include <QtCore/QAbstractItemModel>
#include <QtCore/QList>
#include <QtCore/QStringList>

namespace invoke::test {

inline void dumpRows(const QAbstractItemModel *model, const QModelIndex &parent, int depth, QString &out,
                     const QList<int> &leaveOut = {})
{
    for (int row = 0; row < model->rowCount(parent); ++row) {
        QStringList cells;
        for (int column = 0; column < model->columnCount(parent); ++column)
            if (!leaveOut.contains(column))
                cells.append(model->index(row, column, parent).data().toString());
        while (!cells.isEmpty() && cells.last().isEmpty())
            cells.removeLast();
        out += QString(depth * 2, QLatin1Char(' ')) + cells.join(QStringLiteral(" | ")) + QLatin1Char('\n');
        dumpRows(model, model->index(row, 0, parent), depth + 1, out, leaveOut);
    }
}

inline QString dumpTree(const QAbstractItemModel *model, const QList<int> &leaveOut = {})
{
    QString out;
    dumpRows(model, {}, 0, out, leaveOut);
    return out;
}

} // namespace invoke::test
