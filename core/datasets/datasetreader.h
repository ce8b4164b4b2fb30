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
// starts, 1-based). A file that is not UTF-8 or does not parse is refused as a whole,
// with the line and the reason: a half-read file would give answers that look complete.
#include "core/model/botinfo.h"
#include "core/model/json.h"

#include <optional>

namespace invoke::datasets {

struct MemoryRecord
{
    QString id;
    QString content;
    Json metadata = Json::object();
};

// True when `fileName` has one of the extensions above.
bool isDatasetFile(const QString &fileName);

// Reads `bytes` of the file named `relativeName` (as it appears in ids and metadata).
// `path` is used for the problem only. nullopt with `problem` filled when refused.
std::optional<QList<MemoryRecord>> readDatasetFile(const QByteArray &bytes, const QString &relativeName,
                                                   const QString &path, LoadProblem *problem);

} // namespace invoke::datasets
