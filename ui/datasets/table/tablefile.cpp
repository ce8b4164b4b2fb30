#include "ui/datasets/table/tablefile.h"

#include "core/model/dataset/csvtext.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QFileInfo>
#include <QtCore/QStringDecoder>
#include <QtCore/QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

constexpr qint64 ReadAheadRows = 128;

QString quoted(const QStringList &fields)
{
    QStringList parts;
    for (const QString &f : fields)
        parts.append(u'"' + f + u'"');
    return parts.join(u", "_s);
}

} // namespace

QString textOfCell(const Cell &cell)
{
    if (cell.is_discarded())
        return {};
    if (cell.is_string())
        return toQString(cell.get<std::string>());
    return toQString(cell.dump());
}

TableFile::TableFile(const QString &path, QObject *parent)
    : QObject(parent), m_path(path),
      m_format(QFileInfo(path).suffix().compare(u"csv"_s, Qt::CaseInsensitive) == 0 ? TableFormat::Csv
                                                                                   : TableFormat::JsonLines),
      m_reader(path)
{
    const QFileInfo info(path);
    m_size = info.size();
    m_modified = info.lastModified();
    if (!m_reader.open(QIODevice::ReadOnly)) {
        m_error = u"cannot read the file: "_s + m_reader.errorString();
        m_finished = true;
        return;
    }
    const QByteArray head = m_reader.peek(64 << 10);
    const qsizetype lf = head.indexOf('\n');
    if (lf > 0 && head.at(lf - 1) == '\r')
        m_lineEnding = "\r\n";
    // The worker reads the file with its own handle; what it finds comes back queued, and
    // never after this object is gone (the destructor stops and waits for it).
    m_thread = QThread::create([this, path, format = m_format] {
        const IndexerEnd end = indexTableRows(
            path, format,
            [this](RowBatch &&batch) {
                auto shared = std::make_shared<RowBatch>(std::move(batch));
                QMetaObject::invokeMethod(this, [this, shared] { takeBatch(std::move(*shared)); }, Qt::QueuedConnection);
            },
            m_cancel);
        QMetaObject::invokeMethod(this, [this, end] { takeEnd(end); }, Qt::QueuedConnection);
    });
    m_thread->start();
}

TableFile::~TableFile()
{
    m_cancel = true;
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

bool TableFile::isTableFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == u"csv"_s || suffix == u"jsonl"_s || suffix == u"ndjson"_s;
}

qint64 TableFile::rowCount() const
{
    qint64 records = qint64(m_starts.size());
    if (!m_finished && records > 0)
        --records; // its end is not known yet
    if (m_format == TableFormat::Csv)
        records = std::max<qint64>(0, records - 1); // the header
    return records;
}

bool TableFile::changedOnDisk() const
{
    const QFileInfo info(m_path);
    return !info.exists() || info.size() != m_size || info.lastModified() != m_modified;
}

int TableFile::lineOf(qint64 row) const
{
    const qint64 record = recordOf(row);
    return record >= 0 && record < qint64(m_lines.size()) ? m_lines[size_t(record)] : 0;
}

qint64 TableFile::rowOfLine(int line) const
{
    const auto it = std::upper_bound(m_lines.begin(), m_lines.end(), line);
    const qint64 record = qint64(it - m_lines.begin()) - 1;
    const qint64 row = m_format == TableFormat::Csv ? record - 1 : record;
    return row >= 0 && row < rowCount() ? row : -1;
}

QList<qint64> TableFile::knownBadRows() const
{
    QList<qint64> rows;
    const qint64 count = rowCount();
    if (m_format == TableFormat::Csv) {
        const int width = int(m_columns.size());
        for (qint64 row = 0; row < count; ++row)
            if (m_fields[size_t(row + 1)] != width)
                rows.append(row);
    } else {
        for (auto it = m_badRecords.cbegin(); it != m_badRecords.cend(); ++it)
            if (it.key() < count)
                rows.append(it.key());
        std::sort(rows.begin(), rows.end());
    }
    return rows;
}

qint64 TableFile::recordEnd(qint64 record) const
{
    return record + 1 < qint64(m_starts.size()) ? m_starts[size_t(record + 1)] : m_endOffset;
}

void TableFile::takeBatch(RowBatch batch)
{
    const qint64 before = rowCount();
    const qint64 firstRecord = qint64(m_starts.size());
    m_starts.insert(m_starts.end(), batch.starts.begin(), batch.starts.end());
    m_lines.insert(m_lines.end(), batch.lines.begin(), batch.lines.end());
    m_fields.insert(m_fields.end(), batch.fields.begin(), batch.fields.end());
    for (const auto &[line, reason] : batch.problems) {
        const auto it = std::lower_bound(m_lines.begin() + firstRecord, m_lines.end(), line);
        m_badRecords.insert(qint64(it - m_lines.begin()), reason);
    }
    m_bytesDone = batch.bytesDone;
    if (!batch.newKeys.isEmpty()) {
        const int first = int(m_columns.size());
        m_columns += batch.newKeys;
        Q_EMIT columnsAppended(first, int(m_columns.size()) - 1);
    }
    if (m_format == TableFormat::Csv && m_columns.isEmpty() && m_starts.size() >= 2) {
        m_reader.seek(m_starts[0]);
        parse(-1, m_reader.read(m_starts[1] - m_starts[0]));
        if (!m_columns.isEmpty())
            Q_EMIT columnsAppended(0, int(m_columns.size()) - 1);
    }
    const qint64 after = rowCount();
    if (after > before)
        Q_EMIT rowsAppended(before, after - 1);
    Q_EMIT progress(m_bytesDone, m_size);
}

void TableFile::takeEnd(const IndexerEnd &end)
{
    const qint64 before = rowCount();
    m_endOffset = end.endOffset;
    if (!end.error.isEmpty())
        m_error = end.errorLine > 0 ? u"line %1: %2"_s.arg(end.errorLine).arg(end.error) : end.error;
    if (m_format == TableFormat::Csv && m_columns.isEmpty() && !m_starts.empty()) {
        m_reader.seek(m_starts[0]);
        parse(-1, m_reader.read(recordEnd(0) - m_starts[0]));
        if (!m_columns.isEmpty())
            Q_EMIT columnsAppended(0, int(m_columns.size()) - 1);
    }
    m_finished = true;
    const qint64 after = rowCount();
    if (after > before)
        Q_EMIT rowsAppended(before, after - 1);
    Q_EMIT progress(m_size, m_size);
    Q_EMIT finishedReading();
}

const TableRow &TableFile::row(qint64 row)
{
    if (row < 0 || row >= rowCount())
        return m_empty;
    if (const TableRow *cached = m_cache.object(row))
        return *cached;
    readBlock(row);
    if (const TableRow *cached = m_cache.object(row))
        return *cached;
    return m_empty;
}

QByteArray TableFile::rawRow(qint64 row)
{
    if (row < 0 || row >= rowCount())
        return {};
    const qint64 record = recordOf(row);
    m_reader.seek(m_starts[size_t(record)]);
    return m_reader.read(recordEnd(record) - m_starts[size_t(record)]);
}

void TableFile::readBlock(qint64 firstRow)
{
    const qint64 lastRow = std::min(firstRow + ReadAheadRows, rowCount()) - 1;
    const qint64 begin = m_starts[size_t(recordOf(firstRow))];
    const qint64 end = recordEnd(recordOf(lastRow));
    if (!m_reader.seek(begin))
        return;
    const QByteArray bytes = m_reader.read(end - begin);
    for (qint64 row = firstRow; row <= lastRow; ++row) {
        const qint64 record = recordOf(row);
        const qint64 from = m_starts[size_t(record)] - begin;
        const qint64 to = std::min<qint64>(recordEnd(record) - begin, bytes.size());
        if (from < 0 || from > to)
            break;
        auto *parsed = new TableRow(parse(row, bytes.mid(from, to - from)));
        if (m_badRecords.contains(record) && parsed->problem.isEmpty())
            parsed->problem = m_badRecords.value(record);
        m_cache.insert(row, parsed);
    }
}

// Row -1 is a CSV file's header: it sets columns().
TableRow TableFile::parse(qint64 row, const QByteArray &bytes) const
{
    TableRow result;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        result.problem = u"the row is not UTF-8 text"_s;
    if (text.startsWith(QChar(0xfeff)))
        text.remove(0, 1);
    if (m_format == TableFormat::Csv) {
        QStringList fields;
        CsvStreamParser parser([&fields](CsvRow &&r) {
            fields = std::move(r.fields);
            return false; // one row
        });
        if (parser.feed(text))
            parser.finish();
        if (row < 0) {
            const_cast<TableFile *>(this)->m_columns = fields;
            result.cells.append(Cell(true));
            return result;
        }
        const int width = int(m_columns.size());
        if (fields.size() != width && result.problem.isEmpty()) {
            result.problem = u"%1 fields where the header has %2"_s.arg(fields.size()).arg(width);
            if (fields.size() > width)
                result.problem += u"; the extra: "_s + quoted(fields.mid(width));
        }
        for (int c = 0; c < width; ++c)
            result.cells.append(Cell(toStd(c < fields.size() ? fields.at(c) : QString())));
        return result;
    }
    QString error;
    const Cell value = parseOrderedJson(text.toUtf8().trimmed(), &error);
    if (value.is_discarded()) {
        if (result.problem.isEmpty())
            result.problem = u"not valid JSON: "_s + error.remove(u"line 1, "_s);
        for (qsizetype c = 0; c < m_columns.size(); ++c)
            result.cells.append(Cell(Cell::value_t::discarded));
        if (!result.cells.isEmpty())
            result.cells.first() = Cell(toStd(text.trimmed())); // the text, to fix by hand
        return result;
    }
    for (const QString &column : m_columns) {
        const std::string key = toStd(column);
        if (value.is_object())
            result.cells.append(value.contains(key) ? value.at(key) : Cell(Cell::value_t::discarded));
        else
            result.cells.append(column == u"value"_s ? value : Cell(Cell::value_t::discarded));
    }
    return result;
}

bool TableFile::waitUntilRead(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!m_finished && !deadline.hasExpired()) {
        QEventLoop loop;
        connect(this, &TableFile::finishedReading, &loop, &QEventLoop::quit);
        QTimer::singleShot(50, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return m_finished && m_error.isEmpty();
}

} // namespace invoke::ui
