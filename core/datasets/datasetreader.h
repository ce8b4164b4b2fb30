#pragma once
// Turns one dataset file into the records memory.search finds:
//  - CSV (.csv): a header row, then one record per row; content "column: value; ...",
//    metadata.columns {column: value}. RFC 4180 quoting (quoted fields may hold commas,
//    quotes as "" and line breaks).
//  - JSON Lines (.jsonl, .ndjson): one record per non-blank line. An object's "content"
//    or "text" string is the content and its other members are metadata.fields; any
//    other object reads as "key: value; ..." with the whole object as metadata.fields.
//  - Markdown (.md, .markdown): one record per heading section (headings in code fences
//    do not count); metadata.heading.
//  - Plain text (.txt): one record per paragraph (blank-line separated).
// Every record has an id "<file>:<line>" and metadata {file, line} (the line where it
// starts, 1-based).
// Columns (ReadOptions::searchedColumns and shownColumns, from the sidecar): a CSV's
// columns or a JSON Lines object's members. With a list of shown columns, a record's
// content is "column: value; ..." of only those (a CSV's in the header's order, a JSON
// object's members in name order as the reader always lists them) and its
// metadata.columns / metadata.fields hold only those; with a list of searched columns,
// its searchText is made the same way of those. An empty list is every column: the
// content above. Markdown and text have no columns; the lists do not apply. A file that is not UTF-8 or does not parse is refused as a whole,
// with the line and the reason: a half-read file would give answers that look complete.
// Files are read as a stream, in blocks of whole lines (core/datasets/linereader.h): each
// record is handed on as soon as it is read, so memory stays flat in the file's size.
#include "core/model/botinfo.h"
#include "core/model/dataset/csvtext.h"
#include "core/model/json/json.h"

#include <QtCore/QIODevice>

#include <functional>
#include <optional>

namespace invoke::datasets {

struct MemoryRecord
{
    QString id;
    QString content;                   // what memory.search hands on
    std::optional<QString> searchText; // what the index searches; nullopt: the content
    Json metadata = Json::object();
};

// True when `fileName` has one of the extensions above.
bool isDatasetFile(const QString &fileName);

enum class ReadEnd { Finished, Refused, Stopped };

struct ReadOptions
{
    // A record (a CSV row, a JSON line, a section, a paragraph) longer than this is
    // refused: a quote left open would otherwise read the rest of a large file as one row.
    qsizetype maxRecordChars = 8 << 20;
    // Empty: the first bad row refuses the file. Set: every bad row (ragged, not JSON,
    // not UTF-8) is handed here and reading goes on, for a check that lists them all; a
    // problem after which nothing can be read (a quote never closed) still refuses.
    std::function<void(const TextProblem &)> badRow;
    // A CSV file's header, once read.
    std::function<void(const QStringList &)> csvColumns;
    // The sidecar's lists (core/datasets/datasetcatalog.h); empty: every column.
    QStringList searchedColumns;
    QStringList shownColumns;
};

// Reads the file named `relativeName` (its extension picks the format) from `in`,
// handing each record to `sink` (false stops: ReadEnd::Stopped). Refused: `problem` says
// where and why.
ReadEnd readDatasetStream(QIODevice &in, const QString &relativeName, const std::function<bool(MemoryRecord &&)> &sink,
                          const ReadOptions &options, TextProblem *problem);

// Reads `bytes` of the file named `relativeName` (as it appears in ids and metadata).
// `path` is used for the problem only. nullopt with `problem` filled when refused.
std::optional<QList<MemoryRecord>> readDatasetFile(const QByteArray &bytes, const QString &relativeName,
                                                   const QString &path, LoadProblem *problem);

} // namespace invoke::datasets
