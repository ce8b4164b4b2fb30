#pragma once
// A dataset as a table, for showing and importing: its first rows as read from its file
// (not from the index), and the check of a whole file that lists every row that does not
// read. Streams like the index does (core/datasets/datasetreader.h): showing the first
// rows of a file of a million reads only those rows.
#include "core/datasets/datasetcatalog.h"
#include "core/model/json/json.h"

#include <optional>

namespace invoke::datasets {

struct DatasetTable
{
    QStringList columns;
    QList<Json> rows; // each a JSON array of the row's values, in `columns` order
};

// The first `limit` rows of `source`: a CSV file's header and cells as written; a JSON
// Lines file's members (the columns are the keys in the order first seen, a missing one
// null; a line that is not an object is one "value" column); any other dataset as its
// records' "id" and "content". nullopt with `problem` when a shown row does not read.
std::optional<DatasetTable> readTableHead(const DatasetSource &source, qsizetype limit, LoadProblem *problem);

struct ImportCheck
{
    qint64 rows = 0;
    QStringList columns;           // a CSV file's header
    QList<LoadProblem> badRows;    // every row that does not read, in line order
    QString format;                // "csv" or "jsonl"; empty when the file cannot be imported
};

// Reads every row of `file` (a CSV or JSON Lines file) and lists each that does not read.
ImportCheck checkImportFile(const QString &file);

} // namespace invoke::datasets
