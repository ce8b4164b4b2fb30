#pragma once
// Finds where each row of a CSV or JSON Lines file starts, reading the file once in large
// blocks on a worker thread, so a table can show a file of a million rows at once and
// read each row only when it is shown (ui/datasets/table/tablefile.h). For CSV it follows the
// reading of core/model/dataset/csvtext.h byte for byte (quotes only at a field's start, "" inside
// quotes, CRLF, a lone CR and LF all end a row, blank rows skipped) and counts each row's
// fields, so a ragged row is known by its line before it is ever shown. JSON Lines: every
// line that is not blank is a row, parsed here once for its members and its problems.
#include <QtCore/QList>
#include <QtCore/QStringList>
#include <QtCore/QString>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace invoke::ui {

enum class TableFormat { Csv, JsonLines };

// A batch of rows found: their byte offsets, 1-based lines and (CSV) field counts.
struct RowBatch
{
    std::vector<qint64> starts;
    std::vector<int> lines;
    std::vector<int> fields; // CSV only
    QStringList newKeys;     // JSON Lines: members not seen in an earlier line, in order
    std::vector<std::pair<int, QString>> problems; // JSON Lines: lines that are not JSON
    qint64 bytesDone = 0;
};

struct IndexerEnd
{
    qint64 endOffset = 0; // where the last row ends (the file's size when read to its end)
    QString error;        // a file that cannot be read, or a quote never closed
    int errorLine = 0;
    bool cancelled = false;
};

// Reads every row of `path` once from its start (on the calling thread: a worker) and
// hands `onRow(row, texts)` the text of the cells in `sources`, as the table shows them
// (ui/datasets/table/datasettablemodel.h cellText): a CSV's fields by position, a JSON Lines
// line's members by their name in `columns` (a string as itself, other JSON as JSON text,
// a line that is not JSON as its text in the first column). A source of -1 is "". Stops
// after `rows` rows, on `cancel`, or when onRow returns false; `progress(bytesDone, size)`
// after each block. For sort and filter (ui/datasets/table/datasetviewproxy.h): one pass over
// the file instead of a parse of each row through the table's cache.
IndexerEnd readTableColumns(const QString &path, TableFormat format, const QStringList &columns,
                            const std::vector<int> &sources, qint64 rows,
                            const std::function<bool(qint64 row, const QStringList &texts)> &onRow,
                            const std::atomic<bool> &cancel, const std::function<void(qint64, qint64)> &progress);

// Reads `path` from its start, handing a batch to `onBatch` every `batchRows` rows (and
// the first batch after the first block, so the first rows show at once), then returns.
// `cancel` stops it between blocks.
IndexerEnd indexTableRows(const QString &path, TableFormat format, const std::function<void(RowBatch &&)> &onBatch,
                     const std::atomic<bool> &cancel, int batchRows = 65536);

} // namespace invoke::ui
