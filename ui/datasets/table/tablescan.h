#pragma once
// One sort or filter of a dataset table over every row (ui/datasets/table/datasetviewproxy.h
// runs it on a worker thread): the file read once from its start, the edited rows' cells
// taken from a snapshot the GUI thread made, the rows the filter keeps, sorted stably.
#include "ui/datasets/table/rowindexer.h"

#include <QtCore/QHash>
#include <QtCore/QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace invoke::ui {

// What a sort or filter scan reads, taken on the GUI thread; the worker reads the file.
struct TableScan
{
    QString path;
    TableFormat format = TableFormat::Csv;
    QStringList fileColumns;
    qint64 fileRows = 0;
    std::vector<qint64> refs;          // the table's rows in order
    std::vector<int> sources;          // the wanted columns' places in the file
    QHash<qint64, QStringList> edited; // the wanted columns' texts of the rows with edits
    QString filter;
    std::vector<int> filtered;         // places in `sources` the filter looks at
    int sorted = -1;                   // the place in `sources` of the sort key
    bool descending = false;
    std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
};

// The view's rows (places in the table's order, kept and sorted), or nullopt when the scan
// was cancelled or the file could not be read (`error` says why; empty when cancelled).
// `progress` gets the permille of the file read.
std::optional<std::vector<int>> runTableScan(const TableScan &scan, const std::function<void(int)> &progress,
                                             QString *error);

} // namespace invoke::ui
