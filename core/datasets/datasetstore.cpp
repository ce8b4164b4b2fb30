#include "core/datasets/datasetstore.h"

#include "core/config/paths.h"
#include "core/datasets/datasetcatalog.h"
#include "core/datasets/datasetreader.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QRegularExpression>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

#include <algorithm>
#include <atomic>
#include <cmath>

using namespace Qt::StringLiterals;

namespace invoke::datasets {

namespace {

// Part of every stored fingerprint: a new version re-indexes everything once.
const QString IndexVersion = u"1"_s;
std::atomic<quint64> nextConnection{1};

QString sqlText(const QSqlError &error)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return text.isEmpty() ? u"unknown SQLite error"_s : text;
}

Json problemsToJson(const QList<LoadProblem> &problems)
{
    Json array = Json::array();
    for (const LoadProblem &p : problems)
        array.push_back(Json{{"file", toStd(p.file)}, {"line", p.line}, {"reason", toStd(p.reason)}});
    return array;
}

QList<LoadProblem> problemsFromJson(const Json &array)
{
    QList<LoadProblem> problems;
    if (array.is_array())
        for (const Json &p : array)
            problems.append({stringField(p, "file"), int(intField(p, "line")), stringField(p, "reason")});
    return problems;
}

// The words of a typed question as an FTS5 expression: each word quoted (so no word is
// read as an operator), any of them may match; bm25 ranks rows with more and rarer
// words first.
QString matchExpression(const QString &query)
{
    static const QRegularExpression word(u"[\\p{L}\\p{N}]+"_s);
    QStringList terms;
    for (auto it = word.globalMatch(query); it.hasNext();) {
        const QString term = u"\""_s + it.next().captured(0) + u"\""_s;
        if (!terms.contains(term))
            terms.append(term);
    }
    return terms.join(u" OR "_s);
}

struct IndexedDataset
{
    qint64 tableId = 0;
    qint64 rows = 0;
    QList<LoadProblem> problems;
};

// One connection to the index file, for one call on one thread.
class IndexConnection
{
public:
    explicit IndexConnection(const QString &file)
        : m_file(file), m_name(u"invoke-datasets-%1"_s.arg(nextConnection++))
    {
    }
    ~IndexConnection()
    {
        if (m_db.isValid())
            m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }

    bool open(QString *error)
    {
        QDir().mkpath(QFileInfo(m_file).absolutePath());
        m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        m_db.setDatabaseName(m_file);
        m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=10000"_s);
        if (!m_db.open())
            return fail(sqlText(m_db.lastError()), error);
        return exec(u"PRAGMA journal_mode=WAL"_s, error) && exec(u"PRAGMA synchronous=NORMAL"_s, error)
            && exec(u"CREATE TABLE IF NOT EXISTS datasets(path TEXT PRIMARY KEY, table_id INTEGER NOT NULL UNIQUE, "
                    "fingerprint TEXT NOT NULL, rows INTEGER NOT NULL, problems TEXT NOT NULL, "
                    "indexed_at TEXT NOT NULL)"_s,
                    error);
    }

    // The dataset as indexed now, indexing it first when its files changed.
    std::optional<IndexedDataset> ensure(const DatasetSource &source, QString *error)
    {
        const QString fingerprint = IndexVersion + u':' + source.fingerprint;
        if (auto current = stored(source.path, fingerprint, error); current || !error->isEmpty())
            return current;

        // Read before taking the write lock, so another process waits only for the writes.
        QList<MemoryRecord> records;
        QList<LoadProblem> problems;
        for (const QString &file : source.files) {
            QFile in(file);
            if (!in.open(QIODevice::ReadOnly)) {
                problems.append({file, 0, u"cannot read the file: "_s + in.errorString()});
                continue;
            }
            LoadProblem problem;
            if (auto read = readDatasetFile(in.readAll(), source.relativeName(file), file, &problem))
                records += *read;
            else
                problems.append(problem);
        }

        if (!exec(u"BEGIN IMMEDIATE"_s, error))
            return std::nullopt;
        // Another connection may have indexed the same files while we read them.
        if (auto current = stored(source.path, fingerprint, error); current || !error->isEmpty()) {
            exec(current ? u"COMMIT"_s : u"ROLLBACK"_s, nullptr);
            return current;
        }
        auto written = write(source.path, fingerprint, records, problems, error);
        if (!written || !exec(u"COMMIT"_s, error)) {
            exec(u"ROLLBACK"_s, nullptr);
            return std::nullopt;
        }
        return written;
    }

    bool search(qint64 tableId, const QString &slug, const QString &match, int limit, QList<Memory> *out,
                QString *error)
    {
        const QString table = u"m%1"_s.arg(tableId);
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        q.prepare(u"SELECT memory_id, content, CAST(metadata AS BLOB), bm25(%1) FROM %1 WHERE %1 MATCH ? "
                  "ORDER BY bm25(%1), rowid LIMIT ?"_s.arg(table));
        q.addBindValue(match);
        q.addBindValue(limit);
        if (!q.exec())
            return fail(sqlText(q.lastError()), error);
        while (q.next()) {
            Memory m;
            m.id = q.value(0).toString();
            m.dataset = slug;
            m.content = q.value(1).toString();
            m.metadata = parseJson(q.value(2).toByteArray(), nullptr, kJsonMaxWireDepth);
            m.score = std::round(-q.value(3).toDouble() * 1e4) / 1e4;
            out->append(std::move(m));
        }
        return true;
    }

    // Drops the index of datasets whose file or folder is gone (resources never go).
    void forgetMissing()
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
            const bool ok = del.exec() && exec(u"DROP TABLE IF EXISTS m%1"_s.arg(tableId), nullptr);
            exec(ok ? u"COMMIT"_s : u"ROLLBACK"_s, nullptr);
        }
    }

private:
    static bool fail(const QString &why, QString *error)
    {
        if (error)
            *error = why;
        return false;
    }

    bool exec(const QString &sql, QString *error)
    {
        QSqlQuery q(m_db);
        return q.exec(sql) || fail(sqlText(q.lastError()), error);
    }

    // The stored entry when it matches `fingerprint`; nullopt otherwise (or on an error,
    // which is then set).
    std::optional<IndexedDataset> stored(const QString &path, const QString &fingerprint, QString *error)
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
        return IndexedDataset{q.value(0).toLongLong(), q.value(2).toLongLong(),
                              problemsFromJson(parseJson(q.value(3).toByteArray()))};
    }

    std::optional<IndexedDataset> write(const QString &path, const QString &fingerprint,
                                        const QList<MemoryRecord> &records, const QList<LoadProblem> &problems,
                                        QString *error)
    {
        IndexedDataset d{0, records.size(), problems};
        {
            QSqlQuery q(m_db);
            q.prepare(u"SELECT table_id FROM datasets WHERE path = ?"_s);
            q.addBindValue(path);
            if (!q.exec())
                return fail(sqlText(q.lastError()), error), std::nullopt;
            const qint64 old = q.next() ? q.value(0).toLongLong() : 0;
            q.finish(); // SQLite drops no table while a statement still reads
            if (old > 0 && !exec(u"DROP TABLE IF EXISTS m%1"_s.arg(old), error))
                return std::nullopt;
            QSqlQuery next(u"SELECT COALESCE(MAX(table_id), 0) + 1 FROM datasets"_s, m_db);
            if (!next.next())
                return fail(sqlText(next.lastError()), error), std::nullopt;
            d.tableId = next.value(0).toLongLong();
        }
        const QString table = u"m%1"_s.arg(d.tableId);
        if (!exec(u"CREATE VIRTUAL TABLE %1 USING fts5(content, memory_id UNINDEXED, metadata UNINDEXED, "
                  "tokenize = 'unicode61 remove_diacritics 2')"_s.arg(table), error))
            return std::nullopt;
        QSqlQuery insert(m_db);
        insert.prepare(u"INSERT INTO %1(content, memory_id, metadata) VALUES (?, ?, ?)"_s.arg(table));
        for (const MemoryRecord &r : records) {
            insert.bindValue(0, r.content);
            insert.bindValue(1, r.id);
            insert.bindValue(2, QString::fromUtf8(dumpJson(r.metadata)));
            if (!insert.exec())
                return fail(sqlText(insert.lastError()), error), std::nullopt;
        }
        QSqlQuery entry(m_db);
        entry.prepare(u"INSERT OR REPLACE INTO datasets(path, table_id, fingerprint, rows, problems, indexed_at) "
                      "VALUES (?, ?, ?, ?, ?, ?)"_s);
        entry.addBindValue(path);
        entry.addBindValue(d.tableId);
        entry.addBindValue(fingerprint);
        entry.addBindValue(d.rows);
        entry.addBindValue(QString::fromUtf8(dumpJson(problemsToJson(problems))));
        entry.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
        if (!entry.exec())
            return fail(sqlText(entry.lastError()), error), std::nullopt;
        return d;
    }

    QString m_file;
    QString m_name;
    QSqlDatabase m_db;
};

// A dataset none of whose files could be read has nothing to offer.
bool unreadable(const DatasetSource &source, const IndexedDataset &indexed)
{
    return indexed.rows == 0 && indexed.problems.size() >= source.files.size();
}

} // namespace

Json Memory::toJson() const
{
    return Json{{"id", toStd(id)}, {"dataset", toStd(dataset)}, {"content", toStd(content)},
                {"score", score}, {"metadata", metadata}};
}

DatasetStore::DatasetStore(QStringList folders, QString indexFile)
    : m_folders(folders.isEmpty() ? DatasetCatalog::defaultFolders() : std::move(folders)),
      m_indexFile(indexFile.isEmpty() ? paths::datasetIndexFile() : std::move(indexFile))
{
}

DatasetListing DatasetStore::list() const
{
    DatasetCatalog catalog;
    catalog.scan(m_folders);
    DatasetListing listing;
    listing.problems = catalog.problems();

    IndexConnection index(m_indexFile);
    QString error;
    if (!index.open(&error)) {
        listing.error = u"the dataset index %1 cannot be opened: %2"_s.arg(m_indexFile, error);
        return listing;
    }
    for (const DatasetSource &source : catalog.sources()) {
        const auto indexed = index.ensure(source, &error);
        if (!indexed) {
            listing.problems.append({source.path, 0, u"cannot be indexed: "_s + error});
            continue;
        }
        listing.problems += indexed->problems;
        if (!unreadable(source, *indexed))
            listing.datasets.append({source.slug, source.name, source.description, indexed->rows});
    }
    index.forgetMissing();
    return listing;
}

std::optional<QList<Memory>> DatasetStore::search(const QStringList &slugs, const QString &query, int limit,
                                                  QString *error) const
{
    DatasetCatalog catalog;
    catalog.scan(m_folders);
    QList<const DatasetSource *> sources;
    for (const QString &slug : slugs) {
        const DatasetSource *source = catalog.find(slug);
        if (!source) {
            QStringList known;
            for (const DatasetSource &s : catalog.sources())
                known.append(s.slug);
            *error = u"unknown dataset \"%1\" (known: %2)"_s.arg(slug, known.isEmpty() ? u"none"_s : known.join(u", "_s));
            return std::nullopt;
        }
        if (!sources.contains(source))
            sources.append(source);
    }

    IndexConnection index(m_indexFile);
    QString why;
    if (!index.open(&why)) {
        *error = u"the dataset index %1 cannot be opened: %2"_s.arg(m_indexFile, why);
        return std::nullopt;
    }
    const QString match = matchExpression(query);
    QList<Memory> memories;
    for (const DatasetSource *source : std::as_const(sources)) {
        const auto indexed = index.ensure(*source, &why);
        if (!indexed) {
            *error = u"dataset \"%1\" cannot be indexed: %2"_s.arg(source->slug, why);
            return std::nullopt;
        }
        if (unreadable(*source, *indexed)) {
            *error = u"dataset \"%1\" could not be read: %2"_s.arg(source->slug, indexed->problems.first().toString());
            return std::nullopt;
        }
        if (!match.isEmpty() && !index.search(indexed->tableId, source->slug, match, limit, &memories, &why)) {
            *error = u"dataset \"%1\": the search failed: %2"_s.arg(source->slug, why);
            return std::nullopt;
        }
    }
    // bm25 from different tables is on a comparable scale; ties keep the datasets' order.
    std::stable_sort(memories.begin(), memories.end(),
                     [](const Memory &a, const Memory &b) { return a.score > b.score; });
    if (memories.size() > limit)
        memories.resize(limit);
    return memories;
}

} // namespace invoke::datasets
