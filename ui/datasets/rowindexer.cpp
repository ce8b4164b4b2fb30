#include "ui/datasets/rowindexer.h"

#include "core/model/json.h"

#include <QtCore/QFile>
#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

constexpr qint64 BlockBytes = 4 << 20;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

// The CSV reader's states, kept across blocks (core/model/csvtext.cpp CsvStreamParser).
struct CsvScan
{
    bool inQuotes = false;
    bool quotePending = false; // a '"' in quotes: the next byte says whether it was ""
    bool afterCr = false;      // a '\r' ended the row: a '\n' right after belongs to it
    bool fieldStarted = false;
    bool content = false;      // the row has a character that is not a space
    int commas = 0;
    int line = 1;
    int rowLine = 1;
    int quoteLine = 0;
    qint64 rowStart = 0;
};

} // namespace

IndexerEnd indexTableRows(const QString &path, TableFormat format, const std::function<void(RowBatch &&)> &onBatch,
                          const std::atomic<bool> &cancel, int batchRows)
{
    IndexerEnd end;
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) {
        end.error = u"cannot read the file: "_s + in.errorString();
        return end;
    }
    RowBatch batch;
    bool firstSent = false;
    auto flush = [&](qint64 done) {
        batch.bytesDone = done;
        onBatch(std::move(batch));
        batch = RowBatch();
        firstSent = true;
    };
    CsvScan s;
    auto endRow = [&](qint64 nextStart) {
        const bool blank = s.commas == 0 && !s.content;
        if (!blank) {
            batch.starts.push_back(s.rowStart);
            batch.lines.push_back(s.rowLine);
            batch.fields.push_back(s.commas + 1);
        }
        s.fieldStarted = false;
        s.content = false;
        s.commas = 0;
        s.rowStart = nextStart;
    };
    QByteArray block;
    qint64 offset = 0;
    // JSON Lines: each line is parsed here, off the GUI thread, for its keys and problems.
    QByteArray carry;
    qint64 lineStart = 0;
    int jsonLine = 1;
    QSet<QString> keys;
    auto jsonLineEnded = [&](const QByteArray &raw) {
        const QByteArray line = raw.trimmed();
        if (!line.isEmpty()) {
            batch.starts.push_back(lineStart);
            batch.lines.push_back(jsonLine);
            QString error;
            const nlohmann::ordered_json value = parseOrderedJson(line, &error);
            if (value.is_discarded()) {
                batch.problems.push_back({jsonLine, u"not valid JSON: "_s + error.remove(u"line 1, "_s)});
            } else if (value.is_object()) {
                for (auto it = value.begin(); it != value.end(); ++it) {
                    const QString key = toQString(it.key());
                    if (!keys.contains(key)) {
                        keys.insert(key);
                        batch.newKeys.append(key);
                    }
                }
            } else if (!keys.contains(u"value"_s)) {
                keys.insert(u"value"_s);
                batch.newKeys.append(u"value"_s);
            }
        }
        ++jsonLine;
    };
    while (!in.atEnd()) {
        if (cancel.load(std::memory_order_relaxed)) {
            end.cancelled = true;
            return end;
        }
        block = in.read(BlockBytes);
        if (block.isEmpty() && in.error() != QFileDevice::NoError) {
            end.error = u"cannot read the file: "_s + in.errorString();
            return end;
        }
        const char *data = block.constData();
        const qint64 size = block.size();
        if (format == TableFormat::JsonLines) {
            qint64 from = 0;
            for (qint64 i = 0; i < size; ++i) {
                if (data[i] != '\n')
                    continue;
                carry.append(data + from, i - from);
                jsonLineEnded(carry);
                carry.clear();
                from = i + 1;
                lineStart = offset + i + 1;
            }
            carry.append(data + from, size - from);
        } else {
            for (qint64 i = 0; i < size; ++i) {
                const char c = data[i];
                if (s.afterCr) {
                    s.afterCr = false;
                    if (c == '\n') {
                        s.rowStart = offset + i + 1;
                        continue;
                    }
                }
                if (s.quotePending) {
                    s.quotePending = false;
                    if (c == '"') { // "" inside quotes: one quote of the field
                        s.content = true;
                        continue;
                    }
                    s.inQuotes = false; // it closed the field: read c as outside quotes
                }
                if (s.inQuotes) {
                    if (c == '"')
                        s.quotePending = true;
                    else {
                        if (c == '\n')
                            ++s.line;
                        if (!isSpace(c) && c != '\n' && c != '\r')
                            s.content = true;
                    }
                } else if (c == ',') {
                    ++s.commas;
                    s.fieldStarted = false;
                } else if (c == '"' && !s.fieldStarted) {
                    s.inQuotes = true;
                    s.fieldStarted = true;
                    s.quoteLine = s.line;
                } else if (c == '\r' || c == '\n') {
                    endRow(offset + i + 1);
                    s.afterCr = c == '\r';
                    ++s.line;
                    s.rowLine = s.line;
                } else {
                    s.fieldStarted = true;
                    if (!isSpace(c))
                        s.content = true;
                }
            }
        }
        offset += size;
        if (qsizetype(batch.starts.size()) >= batchRows || (!firstSent && !batch.starts.empty()))
            flush(offset);
    }
    if (format == TableFormat::JsonLines) {
        if (!carry.isEmpty())
            jsonLineEnded(carry);
    } else {
        if (s.quotePending)
            s.inQuotes = false;
        if (s.inQuotes) {
            end.error = u"a quoted field is not closed"_s;
            end.errorLine = s.quoteLine;
        } else if (s.fieldStarted || s.commas > 0 || s.content) {
            endRow(offset);
        }
    }
    end.endOffset = offset;
    flush(offset);
    return end;
}

} // namespace invoke::ui
