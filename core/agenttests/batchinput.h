#pragma once
// The rows of `invoke-cli batch --input FILE` (docs/tests.md, "Batch runs"): JSON Lines
// (one object per non-blank line: "message" or "messages", and "parameters") or CSV (a
// header with a "message" or "messages" column; every other column is a parameter). A
// file with any bad row is refused whole, every problem as "file:line: what".
#include "core/model/invocation/message.h"

namespace invoke::agenttests {

struct BatchRow
{
    int row = 0;  // 1-based, in input order (a CSV's header is not a row)
    int line = 0; // where it starts in the file
    QList<Message> messages;
    Json parameters = Json::object();
};

struct BatchInput
{
    std::optional<QList<BatchRow>> rows;
    QStringList problems;
};

inline constexpr qint64 kMaxBatchInputBytes = 512LL * 1024 * 1024;

// CSV when the name ends in .csv, JSON Lines otherwise (.jsonl, .ndjson, anything else).
BatchInput readBatchInput(const QString &filePath);
BatchInput parseBatchJsonLines(const QByteArray &bytes, const QString &displayPath);
BatchInput parseBatchCsv(const QByteArray &bytes, const QString &displayPath);

} // namespace invoke::agenttests
