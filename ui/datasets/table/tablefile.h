#pragma once
// A CSV or JSON Lines file opened for a table, read lazily: a worker thread finds where
// each row starts (ui/datasets/table/rowindexer.h) and hands the offsets over in batches, so the
// first rows show at once whatever the file's size; a row is read from the file and
// parsed only when it is asked for, a block of rows at a time, and kept in a small cache.
// Nothing of the file is changed here: edits live in the table model above it
// (ui/datasets/table/datasettablemodel.h) and are written by streaming on save.
#include "ui/datasets/table/rowindexer.h"

#include "core/model/json/json.h"

#include <QtCore/QCache>
#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QObject>
#include <QtCore/QThread>

namespace invoke::ui {

// One cell: a CSV cell is a string; a JSON Lines cell any JSON value, `discarded` when the
// line has no such member (written back without it).
using Cell = nlohmann::ordered_json;

// A cell as a person edits it: a string as is, any other JSON value as JSON text, nothing
// for a missing member.
QString textOfCell(const Cell &cell);

struct TableRow
{
    QList<Cell> cells;   // in TableFile::columns() order
    QString problem;     // why the row does not read as the file's format says (empty: it does)
};

class TableFile : public QObject
{
    Q_OBJECT
public:
    // Starts reading `path` (its suffix picks the format: .csv, else JSON Lines).
    explicit TableFile(const QString &path, QObject *parent = nullptr);
    ~TableFile() override;

    static bool isTableFile(const QString &path);

    QString path() const { return m_path; }
    TableFormat format() const { return m_format; }
    // A CSV file's header; a JSON Lines file's members in the order first seen (more
    // arrive with columnsAppended while it is read).
    const QStringList &columns() const { return m_columns; }
    // Rows whose end is known (all of them once finished()).
    qint64 rowCount() const;
    bool finished() const { return m_finished; }
    // Why reading stopped early (a file that cannot be read, a quote never closed), with its line.
    QString error() const { return m_error; }
    qint64 bytesDone() const { return m_bytesDone; }
    qint64 size() const { return m_size; }
    QDateTime modifiedAtOpen() const { return m_modified; }
    // True when the file on disk is no longer the one opened (size or time).
    bool changedOnDisk() const;

    int lineOf(qint64 row) const;
    // The row that holds `line` (the last row starting at or before it), or -1.
    qint64 rowOfLine(int line) const;
    // The rows known to be bad without reading them (ragged CSV rows, lines that are not
    // JSON), with their reason; more are found when a row is read (bytes not UTF-8).
    QList<qint64> knownBadRows() const;

    const TableRow &row(qint64 row);
    // The row's bytes as the file holds them, up to the next row (its line break included).
    QByteArray rawRow(qint64 row);
    // "\r\n" when the file's first line ends so, else "\n".
    QByteArray lineEnding() const { return m_lineEnding; }

    // Waits (running the event loop) until the whole file was read; false when it stopped early.
    bool waitUntilRead(int timeoutMs);

Q_SIGNALS:
    void rowsAppended(qint64 first, qint64 last);
    void columnsAppended(int first, int last);
    void progress(qint64 bytesDone, qint64 bytesTotal);
    void finishedReading();

private:
    void takeBatch(RowBatch batch);
    void takeEnd(const IndexerEnd &end);
    qint64 recordOf(qint64 row) const { return m_format == TableFormat::Csv ? row + 1 : row; }
    qint64 recordEnd(qint64 record) const;
    void readBlock(qint64 firstRow);
    TableRow parse(qint64 row, const QByteArray &bytes) const;

    QString m_path;
    TableFormat m_format;
    QStringList m_columns;
    std::vector<qint64> m_starts;
    std::vector<int> m_lines;
    std::vector<int> m_fields;
    QHash<qint64, QString> m_badRecords; // found while indexing
    qint64 m_endOffset = 0;
    qint64 m_bytesDone = 0;
    qint64 m_size = 0;
    QDateTime m_modified;
    bool m_finished = false;
    QString m_error;
    QByteArray m_lineEnding = "\n";
    QFile m_reader;
    QCache<qint64, TableRow> m_cache{4096};
    TableRow m_empty;
    std::atomic<bool> m_cancel{false};
    QThread *m_thread = nullptr;
};

} // namespace invoke::ui
