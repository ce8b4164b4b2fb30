#include "ui/datasets/table/rowindexer.h"

#include "core/model/json/json.h"

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

// The CSV reader's states, kept across blocks (core/model/dataset/csvtext.cpp CsvStreamParser).
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

namespace {

QString cellText(const nlohmann::ordered_json &cell)
{
    if (cell.is_discarded())
        return {};
    return cell.is_string() ? toQString(cell.get<std::string>()) : toQString(cell.dump());
}

// One JSON Lines line's cells, as TableFile::parse reads them (ui/datasets/table/tablefile.cpp).
void jsonTexts(const QByteArray &line, const QStringList &columns, const std::vector<int> &sources, QStringList *texts)
{
    const nlohmann::ordered_json value = parseOrderedJson(line);
    for (size_t i = 0; i < sources.size(); ++i) {
        const int source = sources[i];
        QString &text = (*texts)[qsizetype(i)];
        text.clear();
        if (source < 0 || source >= columns.size())
            continue;
        if (value.is_discarded()) {
            if (source == 0)
                text = QString::fromUtf8(line); // the text, to fix by hand
            continue;
        }
        const QString &column = columns.at(source);
        if (value.is_object()) {
            const auto it = value.find(toStd(column));
            if (it != value.end())
                text = cellText(*it);
        } else if (column == u"value"_s) {
            text = cellText(value);
        }
    }
}

} // namespace

IndexerEnd readTableColumns(const QString &path, TableFormat format, const QStringList &columns,
                            const std::vector<int> &sources, qint64 rows,
                            const std::function<bool(qint64 row, const QStringList &texts)> &onRow,
                            const std::atomic<bool> &cancel, const std::function<void(qint64, qint64)> &progress)
{
    IndexerEnd end;
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) {
        end.error = u"cannot read the file: "_s + in.errorString();
        return end;
    }
    const qint64 size = in.size();
    // For each file column: the place in `sources` whose text it gives (-1: not wanted).
    std::vector<int> wantedAt;
    for (size_t i = 0; i < sources.size(); ++i)
        if (sources[i] >= 0) {
            if (size_t(sources[i]) >= wantedAt.size())
                wantedAt.resize(size_t(sources[i]) + 1, -1);
            wantedAt[size_t(sources[i])] = int(i);
        }
    QStringList texts(qsizetype(sources.size()));
    qint64 row = -1; // CSV: the header is row -1
    if (format == TableFormat::JsonLines)
        row = 0;
    bool stop = false;

    // CSV: the states of core/model/dataset/csvtext.cpp's reading (as indexTableRows above), with
    // the bytes of the wanted fields kept.
    bool inQuotes = false, quotePending = false, afterCr = false, fieldStarted = false, content = false;
    int field = 0;
    QByteArray bytes;
    std::vector<QByteArray> fields(sources.size());
    const auto wanted = [&]() -> QByteArray * {
        const int at = size_t(field) < wantedAt.size() ? wantedAt[size_t(field)] : -1;
        return at >= 0 ? &fields[size_t(at)] : nullptr;
    };
    QByteArray *current = nullptr;
    const auto endField = [&] {
        ++field;
        fieldStarted = false;
        current = wanted();
    };
    const auto endRow = [&] {
        const bool blank = field == 0 && !content;
        if (!blank) {
            if (row >= 0) {
                for (size_t i = 0; i < sources.size(); ++i)
                    texts[qsizetype(i)] = QString::fromUtf8(fields[i]);
                if (row >= rows || !onRow(row, texts))
                    stop = true;
            }
            ++row;
        }
        for (QByteArray &f : fields)
            f.resize(0);
        field = 0;
        fieldStarted = false;
        content = false;
        current = wanted();
    };
    current = wanted();
    QByteArray carry;
    qint64 done = 0;
    while (!in.atEnd() && !stop) {
        if (cancel.load(std::memory_order_relaxed)) {
            end.cancelled = true;
            return end;
        }
        bytes = in.read(BlockBytes);
        if (bytes.isEmpty() && in.error() != QFileDevice::NoError) {
            end.error = u"cannot read the file: "_s + in.errorString();
            return end;
        }
        const char *data = bytes.constData();
        const qint64 n = bytes.size();
        if (format == TableFormat::JsonLines) {
            qint64 from = 0;
            for (qint64 i = 0; i < n && !stop; ++i) {
                if (data[i] != '\n')
                    continue;
                carry.append(data + from, i - from);
                from = i + 1;
                const QByteArray line = carry.trimmed();
                carry.resize(0);
                if (line.isEmpty())
                    continue;
                jsonTexts(line, columns, sources, &texts);
                if (row >= rows || !onRow(row, texts))
                    stop = true;
                ++row;
            }
            if (!stop)
                carry.append(data + from, n - from);
        } else {
            for (qint64 i = 0; i < n && !stop; ++i) {
                const char c = data[i];
                if (afterCr) {
                    afterCr = false;
                    if (c == '\n')
                        continue;
                }
                if (quotePending) {
                    quotePending = false;
                    if (c == '"') { // "" inside quotes: one quote of the field
                        content = true;
                        if (current)
                            current->append('"');
                        continue;
                    }
                    inQuotes = false; // it closed the field: read c as outside quotes
                }
                if (inQuotes) {
                    if (c == '"') {
                        quotePending = true;
                    } else {
                        if (!isSpace(c) && c != '\n' && c != '\r')
                            content = true;
                        if (current)
                            current->append(c);
                    }
                } else if (c == ',') {
                    endField();
                } else if (c == '"' && !fieldStarted) {
                    inQuotes = true;
                    fieldStarted = true;
                } else if (c == '\r' || c == '\n') {
                    endRow();
                    afterCr = c == '\r';
                } else {
                    fieldStarted = true;
                    if (!isSpace(c))
                        content = true;
                    if (current)
                        current->append(c);
                }
            }
        }
        done += n;
        if (progress)
            progress(done, size);
    }
    if (!stop) {
        if (format == TableFormat::JsonLines) {
            const QByteArray line = carry.trimmed();
            if (!line.isEmpty() && row < rows) {
                jsonTexts(line, columns, sources, &texts);
                onRow(row, texts);
            }
        } else if (!inQuotes || quotePending) {
            if (fieldStarted || field > 0 || content)
                endRow();
        }
    }
    end.endOffset = done;
    return end;
}

} // namespace invoke::ui
