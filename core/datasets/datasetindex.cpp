#include "core/datasets/datasetindex.h"

#include "core/datasets/datasetranking.h"
#include "core/datasets/datasetreader.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

#include <atomic>

using namespace Qt::StringLiterals;

namespace invoke::datasets {

namespace {

// Part of every stored fingerprint: a new version re-indexes everything once.
// 2: header names must be unique and not empty. 3: the common words' row counts
// (m<id>_terms, core/datasets/datasetranking.h). 4: the sidecar's columns: "content" holds
// the searched text and "shown" what is handed on when it differs.
const QString IndexVersion = u"4"_s;
// Rows per transaction while indexing: big enough to insert fast, small enough that
// another process waiting to write gets its turn.
constexpr qint64 RowsPerTransaction = 20000;
constexpr qint64 RowsPerProgress = 4096;
std::atomic<quint64> nextConnection{1};

QString sqlText(const QSqlError &error)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return text.isEmpty() ? u"unknown SQLite error"_s : text;
}

bool fail(const QString &why, QString *error)
{
    if (error)
        *error = why;
    return false;
}

// Problems, then notes marked {"note": true}.
Json problemsToJson(const IndexedDataset &built)
{
    Json array = Json::array();
    for (const auto &[list, note] : {std::pair{&built.problems, false}, std::pair{&built.notes, true}})
        for (const LoadProblem &p : *list) {
            array.push_back(Json{{"file", toStd(p.file)}, {"line", p.line}, {"reason", toStd(p.reason)}});
            if (note)
                array.back()["note"] = true;
        }
    return array;
}

void problemsFromJson(const Json &array, IndexedDataset *indexed)
{
    if (array.is_array())
        for (const Json &p : array)
            (p.value("note", false) ? indexed->notes : indexed->problems)
                .append({stringField(p, "file"), int(intField(p, "line")), stringField(p, "reason")});
}

QString sizeText(qint64 bytes)
{
    return bytes >= (qint64(1) << 30) ? u"%1 GB"_s.arg(double(bytes) / double(qint64(1) << 30), 0, 'f', 1)
                                      : u"%1 MB"_s.arg(double(bytes) / double(1 << 20), 0, 'f', 1);
}

} // namespace

QString matchExpression(const QString &query)
{
    return matchExpressionOf(queryWords(query));
}

IndexConnection::IndexConnection(const QString &file)
    : m_file(file), m_name(u"invoke-datasets-%1"_s.arg(nextConnection++))
{
}

IndexConnection::~IndexConnection()
{
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

bool IndexConnection::open(QString *error)
{
    QDir().mkpath(QFileInfo(m_file).absolutePath());
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
    m_db.setDatabaseName(m_file);
    m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=30000"_s);
    if (!m_db.open())
        return fail(sqlText(m_db.lastError()), error);
    return exec(u"PRAGMA journal_mode=WAL"_s, error) && exec(u"PRAGMA synchronous=NORMAL"_s, error)
        && exec(u"CREATE TABLE IF NOT EXISTS datasets(path TEXT PRIMARY KEY, table_id INTEGER NOT NULL UNIQUE, "
                "fingerprint TEXT NOT NULL, rows INTEGER NOT NULL, problems TEXT NOT NULL, "
                "indexed_at TEXT NOT NULL)"_s,
                error)
        // Tables being built: their ids are taken, and one left by a killed process is found.
        && exec(u"CREATE TABLE IF NOT EXISTS building(table_id INTEGER PRIMARY KEY, path TEXT NOT NULL, "
                "started_at TEXT NOT NULL)"_s,
                error);
}

bool IndexConnection::exec(const QString &sql, QString *error)
{
    QSqlQuery q(m_db);
    return q.exec(sql) || fail(sqlText(q.lastError()), error);
}

std::optional<IndexedDataset> IndexConnection::stored(const QString &path, const QString &fingerprint, QString *error)
{
    error->clear();
    QSqlQuery q(m_db);
    q.prepare(u"SELECT table_id, fingerprint, rows, CAST(problems AS BLOB) FROM datasets WHERE path = ?"_s);
    q.addBindValue(path);
    if (!q.exec()) {
        fail(sqlText(q.lastError()), error);
        return std::nullopt;
    }
    if (!q.next() || q.value(1).toString() != fingerprint)
        return std::nullopt;
    IndexedDataset indexed{q.value(0).toLongLong(), q.value(2).toLongLong(), {}, {}};
    problemsFromJson(parseJson(q.value(3).toByteArray()), &indexed);
    return indexed;
}

qint64 IndexConnection::reserveTable(const QString &path, QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO building(table_id, path, started_at) VALUES ("
              "MAX(COALESCE((SELECT MAX(table_id) FROM datasets), 0), COALESCE((SELECT MAX(table_id) FROM building), 0)) "
              "+ 1, ?, ?)"_s);
    q.addBindValue(path);
    q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    if (!q.exec())
        return fail(sqlText(q.lastError()), error), 0;
    const qint64 id = q.lastInsertId().toLongLong();
    const QString table = u"m%1"_s.arg(id);
    // A table of that name can only be a leftover of a build that was never recorded.
    if (!dropTables(id, error)
        || !exec(u"CREATE VIRTUAL TABLE %1 USING fts5(content, memory_id UNINDEXED, metadata UNINDEXED, "
                 "shown UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"_s.arg(table),
                 error)
        || !exec(u"INSERT INTO %1(%1, rank) VALUES('automerge', 0)"_s.arg(table), error)) {
        dropBuilt(id);
        return 0;
    }
    return id;
}

bool IndexConnection::dropTables(qint64 tableId, QString *error)
{
    return exec(u"DROP TABLE IF EXISTS m%1"_s.arg(tableId), error)
        && exec(u"DROP TABLE IF EXISTS m%1_terms"_s.arg(tableId), error);
}

void IndexConnection::dropBuilt(qint64 tableId)
{
    exec(u"ROLLBACK"_s, nullptr); // when a batch was open
    dropTables(tableId, nullptr);
    exec(u"DELETE FROM building WHERE table_id = %1"_s.arg(tableId), nullptr);
}

std::optional<IndexedDataset> IndexConnection::publish(const QString &path, const QString &fingerprint,
                                                       const IndexedDataset &built, QString *error)
{
    if (!exec(u"BEGIN IMMEDIATE"_s, error))
        return std::nullopt;
    // Another process may have indexed the same files meanwhile: keep its table.
    if (auto current = stored(path, fingerprint, error); current || !error->isEmpty()) {
        exec(u"COMMIT"_s, nullptr);
        dropBuilt(built.tableId);
        return current;
    }
    QSqlQuery q(m_db);
    q.prepare(u"SELECT table_id FROM datasets WHERE path = ?"_s);
    q.addBindValue(path);
    if (!q.exec())
        return fail(sqlText(q.lastError()), error), std::nullopt;
    const qint64 old = q.next() ? q.value(0).toLongLong() : 0;
    q.finish(); // SQLite drops no table while a statement still reads
    QSqlQuery entry(m_db);
    entry.prepare(u"INSERT OR REPLACE INTO datasets(path, table_id, fingerprint, rows, problems, indexed_at) "
                  "VALUES (?, ?, ?, ?, ?, ?)"_s);
    entry.addBindValue(path);
    entry.addBindValue(built.tableId);
    entry.addBindValue(fingerprint);
    entry.addBindValue(built.rows);
    entry.addBindValue(QString::fromUtf8(dumpJson(problemsToJson(built))));
    entry.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    const bool ok = (old <= 0 || dropTables(old, error))
        && (entry.exec() || fail(sqlText(entry.lastError()), error))
        && exec(u"DELETE FROM building WHERE table_id = %1"_s.arg(built.tableId), error) && exec(u"COMMIT"_s, error);
    if (!ok) {
        dropBuilt(built.tableId);
        return std::nullopt;
    }
    return built;
}

std::optional<IndexedDataset> IndexConnection::ensure(const DatasetSource &source, qint64 maxFileBytes,
                                                      const IndexProgressFn &progress, qint64 *bytesBefore,
                                                      qint64 bytesTotal, QString *error)
{
    const QString fingerprint = IndexVersion + u':' + source.fingerprint;
    if (auto current = stored(source.path, fingerprint, error); current || !error->isEmpty())
        return current;

    IndexedDataset built;
    built.tableId = reserveTable(source.path, error);
    if (built.tableId <= 0)
        return std::nullopt;
    const QString table = u"m%1"_s.arg(built.tableId);
    QSqlQuery insert(m_db);
    if (!insert.prepare(u"INSERT INTO %1(rowid, content, memory_id, metadata, shown) VALUES (?, ?, ?, ?, ?)"_s.arg(table))) {
        fail(sqlText(insert.lastError()), error);
        dropBuilt(built.tableId);
        return std::nullopt;
    }

    qint64 rowid = 0;
    qint64 inBatch = 0;
    bool cancelled = false;
    QString writeError;
    IndexProgress report{source.slug, {}, *bytesBefore, bytesTotal, 0};
    const auto commitBatch = [&] {
        if (inBatch == 0)
            return true;
        inBatch = 0;
        return exec(u"COMMIT"_s, &writeError);
    };

    for (const QString &file : source.files) {
        const QFileInfo before(file);
        const qint64 sizeBefore = before.size();
        const QDateTime modifiedBefore = before.lastModified();
        report.file = file;
        if (progress && !progress(report)) {
            cancelled = true;
            break;
        }
        if (sizeBefore > maxFileBytes) {
            built.problems.append({file, 0, u"the file is %1; a dataset file may be at most %2 (split it into a "
                                             "folder of smaller files)"_s.arg(sizeText(sizeBefore), sizeText(maxFileBytes))});
            *bytesBefore += sizeBefore;
            continue;
        }
        QFile in(file);
        if (!in.open(QIODevice::ReadOnly)) {
            built.problems.append({file, 0, u"cannot read the file: "_s + in.errorString()});
            continue;
        }
        const qint64 fileStart = rowid;
        int lastLine = 0;
        const auto sink = [&](MemoryRecord &&r) {
            if (inBatch == 0 && !exec(u"BEGIN IMMEDIATE"_s, &writeError))
                return false;
            insert.bindValue(0, ++rowid);
            // The searched text goes where FTS5 indexes it; the content is kept beside it
            // only when the sidecar's columns make the two differ.
            insert.bindValue(1, r.searchText ? *r.searchText : r.content);
            insert.bindValue(2, r.id);
            insert.bindValue(3, QString::fromUtf8(dumpJson(r.metadata)));
            insert.bindValue(4, r.searchText ? QVariant(r.content) : QVariant(QMetaType::fromType<QString>()));
            if (!insert.exec())
                return fail(sqlText(insert.lastError()), &writeError);
            lastLine = int(intField(r.metadata, "line"));
            ++built.rows;
            if (++inBatch >= RowsPerTransaction && !commitBatch())
                return false;
            if (progress && built.rows % RowsPerProgress == 0) {
                report.rows = built.rows;
                report.bytesDone = *bytesBefore + in.pos();
                if (!progress(report)) {
                    cancelled = true;
                    return false;
                }
            }
            return true;
        };
        ReadOptions options;
        options.searchedColumns = source.searchedColumns;
        options.shownColumns = source.shownColumns;
        // A column the sidecar names that the CSV lacks: said, and the rest still works.
        options.csvColumns = [&](const QStringList &header) {
            QStringList missing;
            for (const QStringList *list : {&source.searchedColumns, &source.shownColumns})
                for (const QString &column : *list)
                    if (!header.contains(column) && !missing.contains(column))
                        missing.append(column);
            if (!missing.isEmpty())
                built.notes.append({file, 1, u"the sidecar names columns the header does not have: %1"_s.arg(
                                                 missing.join(u", "_s))});
        };
        TextProblem refusal;
        const ReadEnd end = readDatasetStream(in, source.relativeName(file), sink, options, &refusal);
        *bytesBefore += sizeBefore;
        if (end == ReadEnd::Stopped || !commitBatch())
            break;
        const QFileInfo after(file);
        const bool changed = after.size() != sizeBefore || after.lastModified() != modifiedBefore;
        if (end == ReadEnd::Refused || changed) {
            // Rows of a file read only in part would give answers that look complete.
            if (!exec(u"DELETE FROM %1 WHERE rowid > %2"_s.arg(table).arg(fileStart), &writeError))
                break;
            built.rows -= rowid - fileStart;
            rowid = fileStart;
            built.problems.append(end == ReadEnd::Refused
                                      ? LoadProblem{file, refusal.line, refusal.reason}
                                      : LoadProblem{file, lastLine,
                                                    u"the file changed while it was being indexed (after line %1); "
                                                    "it is read again the next time"_s.arg(lastLine)});
        }
    }
    if (!cancelled && writeError.isEmpty() && !exec(u"INSERT INTO %1(%1) VALUES('optimize')"_s.arg(table), &writeError))
        writeError = u"cannot merge the index: "_s + writeError;
    if (!cancelled && writeError.isEmpty() && !buildTermCounts(m_db, built.tableId, &writeError))
        writeError = u"cannot count the words of the index: "_s + writeError;
    if (cancelled || !writeError.isEmpty()) {
        dropBuilt(built.tableId);
        *error = cancelled ? QString::fromLatin1(IndexingCancelled) : writeError;
        return std::nullopt;
    }
    report.rows = built.rows;
    report.bytesDone = *bytesBefore;
    if (progress)
        progress(report);
    // A file that changed leaves the fingerprint of what was scanned: the next look
    // sees a difference and reads it again.
    return publish(source.path, fingerprint, built, error);
}

bool IndexConnection::search(qint64 tableId, const QString &slug, const QStringList &words, int limit,
                             const SearchBudget &budget, QList<Memory> *out, QString *error)
{
    return rankedSearch(m_db, tableId, slug, words, limit, budget, out, error);
}

void IndexConnection::forgetMissing()
{
    QList<std::pair<QString, qint64>> gone;
    {
        QSqlQuery q(u"SELECT path, table_id FROM datasets"_s, m_db);
        while (q.next()) {
            const QString path = q.value(0).toString();
            if (!path.startsWith(u':') && !QFileInfo::exists(path))
                gone.append({path, q.value(1).toLongLong()});
        }
    }
    for (const auto &[path, tableId] : gone) {
        if (!exec(u"BEGIN IMMEDIATE"_s, nullptr))
            return;
        QSqlQuery del(m_db);
        del.prepare(u"DELETE FROM datasets WHERE path = ?"_s);
        del.addBindValue(path);
        const bool ok = del.exec() && dropTables(tableId, nullptr);
        exec(ok ? u"COMMIT"_s : u"ROLLBACK"_s, nullptr);
    }
    QList<qint64> abandoned;
    {
        QSqlQuery q(m_db);
        q.prepare(u"SELECT table_id FROM building WHERE started_at < ?"_s);
        q.addBindValue(QDateTime::currentDateTimeUtc().addDays(-1).toString(Qt::ISODateWithMs));
        if (q.exec())
            while (q.next())
                abandoned.append(q.value(0).toLongLong());
    }
    for (const qint64 id : abandoned)
        dropBuilt(id);
}

} // namespace invoke::datasets
