#include "core/engine/replaycache.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QRegularExpression>
#include <QtCore/QThread>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlDriver>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

#include <sqlite3.h>

#include <atomic>
#include <mutex>

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

constexpr int SchemaVersion = 1;
constexpr int BusyTimeoutMs = 5000;
const QString Columns = u"key, scope, bot_key, bot_updated_at, action_type, parameters, output, "
                        "input_tokens, output_tokens, created_at, hits"_s;
// The same columns to read. The JSON is stored as TEXT (readable in any SQLite tool) but
// read as BLOB: its UTF-8 bytes go straight to the JSON parser, with no UTF-16 round trip.
const QString SelectColumns = u"key, scope, bot_key, bot_updated_at, action_type, "
                              "CAST(parameters AS BLOB), CAST(output AS BLOB), "
                              "input_tokens, output_tokens, created_at, hits"_s;

std::atomic<quint64> nextInstance{1};

QString sqlText(const QSqlError &error)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return text.isEmpty() ? u"unknown SQLite error"_s : text;
}

// Runs one statement; the first column of every row goes to `rows`. Returns the error.
QString runSql(const QSqlDatabase &db, const QString &sql, QStringList *rows = nullptr)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(sql))
        return sqlText(q.lastError());
    if (rows) {
        rows->clear();
        while (q.next())
            rows->append(q.value(0).toString());
    }
    return {};
}

QVariant tokens(qint64 value)
{
    return value >= 0 ? QVariant(value) : QVariant(QMetaType(QMetaType::LongLong));
}

// One row read with the columns in `SelectColumns` order.
CacheEntry entryFromRow(const QSqlQuery &q)
{
    CacheEntry e;
    e.key = q.value(0).toString();
    e.parts.scope = q.value(1).toString();
    e.parts.botKey = q.value(2).toString();
    e.parts.botUpdatedAt = q.value(3).toString();
    e.parts.actionType = q.value(4).toString();
    e.parts.parameters = parseJson(q.value(5).toByteArray(), nullptr, kJsonMaxWireDepth);
    e.output = parseJson(q.value(6).toByteArray(), nullptr, kJsonMaxWireDepth);
    e.usage.inputTokens = q.value(7).isNull() ? -1 : q.value(7).toLongLong();
    e.usage.outputTokens = q.value(8).isNull() ? -1 : q.value(8).toLongLong();
    e.createdAt = QDateTime::fromString(q.value(9).toString(), Qt::ISODateWithMs);
    e.hits = q.value(10).toLongLong();
    return e;
}

} // namespace

// One thread's connection with its prepared statements. QSqlDatabase connections must
// stay in the thread that made them, so each thread gets its own.
struct ReplayCache::Connection
{
    QString name;
    QSqlDatabase db;
    std::optional<QSqlQuery> lookup;
    // The same SELECT on the driver's own sqlite3 handle: QtSql adds ~15 µs and a long
    // tail per query (bench_replaycache), the whole budget of a replay hit.
    sqlite3_stmt *fastLookup = nullptr;
    std::optional<QSqlQuery> store;
    std::optional<QSqlQuery> addHits;
    std::mutex mutex; // close() may run from the cache's destructor and at thread exit
    bool closed = false;

    void close()
    {
        std::lock_guard lock(mutex);
        if (closed)
            return;
        closed = true;
        sqlite3_finalize(fastLookup);
        fastLookup = nullptr;
        lookup.reset();
        store.reset();
        addHits.reset();
        if (db.isValid())
            db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
    }
};

namespace {
// Closes this thread's connections when the thread ends.
struct ThreadConnections
{
    QHash<quint64, std::shared_ptr<ReplayCache::Connection>> byCache;
    ~ThreadConnections()
    {
        for (const auto &c : std::as_const(byCache))
            c->close();
    }
};
thread_local ThreadConnections t_connections;
} // namespace

struct ReplayCache::Private
{
    quint64 instance = nextInstance.fetch_add(1);
    QMutex mutex;
    QList<std::weak_ptr<Connection>> connections; // every thread's, closed by ~ReplayCache
    QHash<QString, qint64> pendingHits;           // recorded by lookup(), not yet written
};

namespace {
// Writes the hit counters lookup() kept in memory, in one transaction. On failure they
// stay pending (hit counts are statistics: they never fail a replay).
bool flushHits(ReplayCache::Private &d, ReplayCache::Connection *c)
{
    QMutexLocker lock(&d.mutex);
    const auto hits = std::exchange(d.pendingHits, {});
    lock.unlock();
    if (hits.isEmpty())
        return true;
    bool ok = c->db.transaction();
    for (auto it = hits.cbegin(); ok && it != hits.cend(); ++it) {
        c->addHits->bindValue(0, it.value());
        c->addHits->bindValue(1, it.key());
        ok = c->addHits->exec();
    }
    ok = ok ? c->db.commit() : (c->db.rollback(), false);
    if (!ok) {
        lock.relock();
        for (auto it = hits.cbegin(); it != hits.cend(); ++it)
            d.pendingHits[it.key()] += it.value();
    }
    return ok;
}

qint64 pendingFor(ReplayCache::Private &d, const QString &key)
{
    QMutexLocker lock(&d.mutex);
    return d.pendingHits.value(key);
}
} // namespace

ReplayCache::ReplayCache(const QString &filePath)
    : m_filePath(filePath), d(std::make_unique<Private>())
{
    m_connectionPrefix = u"invoke-replay-%1-"_s.arg(d->instance);
}

ReplayCache::~ReplayCache()
{
    bool pending = false;
    {
        QMutexLocker lock(&d->mutex);
        pending = !d->pendingHits.isEmpty();
    }
    if (pending) {
        Connection *c = connection(nullptr);
        if (!c || !flushHits(*d, c))
            qWarning("replay cache %s: hit counters not saved", qUtf8Printable(m_filePath));
    }
    QMutexLocker lock(&d->mutex);
    for (const auto &weak : std::as_const(d->connections))
        if (const auto c = weak.lock())
            c->close();
    t_connections.byCache.remove(d->instance);
}

QString ReplayCache::connectionName() const
{
    return m_connectionPrefix + QString::number(quintptr(QThread::currentThreadId()), 16);
}

bool ReplayCache::open(QString *error)
{
    return connection(error) != nullptr;
}

ReplayCache::Connection *ReplayCache::connection(QString *error) const
{
    if (const auto found = t_connections.byCache.value(d->instance); found && !found->closed)
        return found.get();

    const auto fail = [&](const QString &message) -> Connection * {
        if (error)
            *error = message;
        return nullptr;
    };
    const QString file = QDir::toNativeSeparators(m_filePath);
    const QFileInfo info(m_filePath);
    if (!QDir().mkpath(info.absolutePath()))
        return fail(u"cannot create the folder of the replay cache %1"_s.arg(file));
    if (info.exists() && !info.isFile())
        return fail(u"replay cache %1 is not a file"_s.arg(file));

    auto c = std::make_shared<Connection>();
    c->name = connectionName();
    if (QSqlDatabase::contains(c->name)) // a connection left by an ended thread with the same id
        QSqlDatabase::removeDatabase(c->name);
    c->db = QSqlDatabase::addDatabase(u"QSQLITE"_s, c->name);
    c->db.setDatabaseName(m_filePath);
    if (!c->db.open()) {
        const QString why = sqlText(c->db.lastError());
        c->close();
        return fail(u"cannot open the replay cache %1: %2"_s.arg(file, why));
    }

    const auto bail = [&](const QString &message) {
        c->close();
        return fail(message);
    };
    QStringList rows;
    runSql(c->db, u"PRAGMA busy_timeout = %1"_s.arg(BusyTimeoutMs));
    // Read before writing anything: a file that is not ours is reported and left untouched.
    if (const QString why = runSql(c->db, u"SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "ORDER BY name"_s, &rows); !why.isEmpty()) {
        if (why.contains(u"not a database"_s))
            return bail(u"cache file %1 is not a SQLite database; it was left untouched "
                        "(move it away or delete it to start a new replay cache)"_s.arg(file));
        return bail(u"cannot read the replay cache %1: %2; it was left untouched"_s.arg(file, why));
    }
    const QStringList tables = rows;
    if (const QString why = runSql(c->db, u"PRAGMA user_version"_s, &rows); !why.isEmpty())
        return bail(u"cannot read the replay cache %1: %2"_s.arg(file, why));
    const int schema = rows.value(0).toInt();
    if (schema > SchemaVersion)
        return bail(u"replay cache %1 was written by a newer version (schema %2, this one reads %3); "
                    "it was left untouched"_s.arg(file).arg(schema).arg(SchemaVersion));
    const bool ours = tables.contains(u"replay_entries"_s);
    if (!ours && !tables.isEmpty())
        return bail(u"%1 is a SQLite database but not a replay cache (it holds the tables %2); "
                    "it was left untouched"_s.arg(file, tables.join(u", "_s)));

    if (const QString why = runSql(c->db, u"PRAGMA journal_mode = WAL"_s); !why.isEmpty())
        return bail(u"cannot use the replay cache %1: %2"_s.arg(file, why));
    runSql(c->db, u"PRAGMA synchronous = NORMAL"_s); // WAL stays consistent; only the last commits may be lost on power loss
    // Lookups are random point reads: map the file (no read() per page) and keep more pages.
    runSql(c->db, u"PRAGMA mmap_size = 268435456"_s);
    runSql(c->db, u"PRAGMA cache_size = -16384"_s);
    if (!ours) {
        // The key's parts are kept readable so a user can see why a replay missed.
        const QString why = runSql(c->db, u"CREATE TABLE IF NOT EXISTS replay_entries ("
                                   "key TEXT PRIMARY KEY NOT NULL, scope TEXT NOT NULL, "
                                   "bot_key TEXT NOT NULL, bot_updated_at TEXT NOT NULL, "
                                   "action_type TEXT NOT NULL, parameters TEXT NOT NULL, "
                                   "output TEXT NOT NULL, input_tokens INTEGER, output_tokens INTEGER, "
                                   "created_at TEXT NOT NULL, hits INTEGER NOT NULL DEFAULT 0)"_s);
        if (!why.isEmpty())
            return bail(u"cannot create the replay cache %1: %2"_s.arg(file, why));
        runSql(c->db, u"CREATE INDEX IF NOT EXISTS replay_entries_created ON replay_entries (created_at)"_s);
        runSql(c->db, u"PRAGMA user_version = %1"_s.arg(SchemaVersion));
    }

    const auto prepare = [&](std::optional<QSqlQuery> &slot, const QString &sql) {
        slot.emplace(c->db);
        slot->setForwardOnly(true);
        return slot->prepare(sql) ? QString() : sqlText(slot->lastError());
    };
    // The replay path reads only what a replayed step needs: QtSql's cost grows with every
    // column (a field description and a QVariant each), and the caller made the key.
    QString why = prepare(c->lookup, u"SELECT CAST(output AS BLOB), input_tokens, output_tokens, hits "
                                     "FROM replay_entries WHERE key = ?"_s);
    if (why.isEmpty())
        why = prepare(c->store, u"INSERT OR REPLACE INTO replay_entries ("_s + Columns
                                    + u") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"_s);
    if (why.isEmpty())
        why = prepare(c->addHits, u"UPDATE replay_entries SET hits = hits + ? WHERE key = ?"_s);
    if (!why.isEmpty())
        return bail(u"cannot use the replay cache %1: %2"_s.arg(file, why));
    // Qt's SQLite driver hands out its sqlite3*; without it the QSqlQuery path serves.
    if (const QVariant handle = c->db.driver()->handle();
        handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0) {
        sqlite3 *raw = *static_cast<sqlite3 *const *>(handle.constData());
        if (raw && sqlite3_prepare_v3(raw, "SELECT output, input_tokens, output_tokens, hits "
                                           "FROM replay_entries WHERE key = ?", -1,
                                      SQLITE_PREPARE_PERSISTENT, &c->fastLookup, nullptr) != SQLITE_OK)
            c->fastLookup = nullptr;
    }

    t_connections.byCache.insert(d->instance, c);
    QMutexLocker lock(&d->mutex);
    d->connections.append(c);
    return c.get();
}

std::optional<CacheEntry> ReplayCache::fastLookup(Connection *c, const QString &key, QString *error) const
{
    sqlite3_stmt *st = c->fastLookup;
    const QByteArray keyBytes = key.toUtf8();
    sqlite3_bind_text(st, 1, keyBytes.constData(), int(keyBytes.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(st);
    std::optional<CacheEntry> entry;
    if (rc == SQLITE_ROW) {
        entry.emplace();
        entry->key = key;
        const auto *bytes = static_cast<const char *>(sqlite3_column_blob(st, 0));
        entry->output = parseJson(QByteArrayView(bytes, sqlite3_column_bytes(st, 0)), nullptr, kJsonMaxWireDepth);
        const auto tokens = [st](int column) -> qint64 {
            return sqlite3_column_type(st, column) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, column);
        };
        entry->usage.inputTokens = tokens(1);
        entry->usage.outputTokens = tokens(2);
        entry->hits = sqlite3_column_int64(st, 3);
    } else if (rc != SQLITE_DONE && error) {
        *error = u"cannot read the replay cache %1: %2"_s.arg(QDir::toNativeSeparators(m_filePath),
                                                               QString::fromUtf8(sqlite3_errstr(rc)));
    }
    sqlite3_reset(st); // ends the read transaction so WAL checkpoints are not held back
    sqlite3_clear_bindings(st);
    if (!entry)
        return std::nullopt;
    if (entry->output.is_discarded()) {
        if (error)
            *error = u"replay cache entry %1 holds unreadable output; replay with refresh to "
                     "overwrite it"_s.arg(key);
        return std::nullopt;
    }
    QMutexLocker lock(&d->mutex);
    entry->hits += ++d->pendingHits[key];
    return entry;
}

std::optional<CacheEntry> ReplayCache::lookup(const QString &key, QString *error) const
{
    if (error)
        error->clear();
    Connection *c = connection(error);
    if (!c)
        return std::nullopt;
    if (c->fastLookup)
        return fastLookup(c, key, error);
    QSqlQuery &q = *c->lookup;
    q.bindValue(0, key);
    if (!q.exec()) {
        if (error)
            *error = u"cannot read the replay cache %1: %2"_s.arg(QDir::toNativeSeparators(m_filePath),
                                                                   sqlText(q.lastError()));
        return std::nullopt;
    }
    if (!q.next()) {
        q.finish();
        return std::nullopt;
    }
    CacheEntry entry;
    entry.key = key;
    entry.output = parseJson(q.value(0).toByteArray(), nullptr, kJsonMaxWireDepth);
    entry.usage.inputTokens = q.value(1).isNull() ? -1 : q.value(1).toLongLong();
    entry.usage.outputTokens = q.value(2).isNull() ? -1 : q.value(2).toLongLong();
    entry.hits = q.value(3).toLongLong();
    q.finish(); // ends the read transaction so WAL checkpoints are not held back
    if (entry.output.is_discarded()) {
        if (error)
            *error = u"replay cache entry %1 holds unreadable output; replay with refresh to "
                     "overwrite it"_s.arg(key);
        return std::nullopt;
    }
    QMutexLocker lock(&d->mutex);
    entry.hits += ++d->pendingHits[key];
    return entry;
}

bool ReplayCache::store(const CacheKeyParts &parts, const Json &output, const wire::Usage &usage,
                        QString *error)
{
    Connection *c = connection(error);
    if (!c)
        return false;
    const QString key = parts.key();
    QSqlQuery &q = *c->store;
    q.bindValue(0, key);
    q.bindValue(1, parts.scope);
    q.bindValue(2, parts.botKey);
    q.bindValue(3, parts.botUpdatedAt);
    q.bindValue(4, parts.actionType);
    q.bindValue(5, QString::fromUtf8(dumpJson(parts.parameters)));
    q.bindValue(6, QString::fromUtf8(dumpJson(output)));
    q.bindValue(7, tokens(usage.inputTokens));
    q.bindValue(8, tokens(usage.outputTokens));
    q.bindValue(9, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    const bool ok = q.exec();
    q.finish();
    if (!ok) {
        if (error)
            *error = u"cannot write to the replay cache %1: %2"_s.arg(
                QDir::toNativeSeparators(m_filePath), sqlText(q.lastError()));
        return false;
    }
    QMutexLocker lock(&d->mutex);
    d->pendingHits.remove(key); // an overwritten entry starts counting again
    return true;
}

CacheStats ReplayCache::stats(QString *error) const
{
    if (error)
        error->clear();
    CacheStats s;
    s.file = m_filePath;
    Connection *c = connection(error);
    if (!c)
        return s;
    flushHits(*d, c);
    s.bytes = QFileInfo(m_filePath).size() + QFileInfo(m_filePath + u"-wal"_s).size();
    QSqlQuery q(c->db);
    if (!q.exec(u"SELECT count(*), coalesce(sum(hits), 0) FROM replay_entries"_s) || !q.next()) {
        if (error)
            *error = u"cannot read the replay cache %1: %2"_s.arg(QDir::toNativeSeparators(m_filePath),
                                                                   sqlText(q.lastError()));
        return s;
    }
    s.entries = q.value(0).toLongLong();
    s.hits = q.value(1).toLongLong();
    QMutexLocker again(&d->mutex);
    for (const qint64 n : std::as_const(d->pendingHits))
        s.hits += n;
    return s;
}

QList<CacheEntry> ReplayCache::list(int limit, QString *error) const
{
    if (error)
        error->clear();
    QList<CacheEntry> entries;
    Connection *c = connection(error);
    if (!c)
        return entries;
    flushHits(*d, c);
    QSqlQuery q(c->db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + SelectColumns + u" FROM replay_entries ORDER BY created_at DESC, rowid DESC LIMIT ?"_s);
    q.bindValue(0, limit < 0 ? -1 : limit);
    if (!q.exec()) {
        if (error)
            *error = u"cannot read the replay cache %1: %2"_s.arg(QDir::toNativeSeparators(m_filePath),
                                                                   sqlText(q.lastError()));
        return entries;
    }
    while (q.next())
        entries.append(entryFromRow(q));
    for (CacheEntry &e : entries)
        e.hits += pendingFor(*d, e.key); // counters that could not be written yet
    return entries;
}

std::optional<CacheEntry> ReplayCache::find(const QString &keyPrefix, QString *error) const
{
    if (error)
        error->clear();
    const auto fail = [&](const QString &message) -> std::optional<CacheEntry> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QString prefix = keyPrefix.trimmed().toLower();
    static const QRegularExpression hex(u"^[0-9a-f]{1,64}$"_s);
    if (!hex.match(prefix).hasMatch())
        return fail(u"\"%1\" is not a cache key (keys are SHA-256 in hex)"_s.arg(keyPrefix));
    // Entries found with find() are being looked at, not replayed: no hit is counted.
    Connection *c = connection(error);
    if (!c)
        return std::nullopt;
    QSqlQuery q(c->db);
    q.setForwardOnly(true);
    // Keys are lowercase hex, so every key with this prefix sorts below prefix + "g".
    q.prepare(u"SELECT "_s + SelectColumns + u" FROM replay_entries WHERE key >= ? AND key < ? LIMIT 2"_s);
    q.bindValue(0, prefix);
    q.bindValue(1, QString(prefix + u'g'));
    if (!q.exec())
        return fail(u"cannot read the replay cache %1: %2"_s.arg(QDir::toNativeSeparators(m_filePath),
                                                                  sqlText(q.lastError())));
    QList<CacheEntry> found;
    while (q.next())
        found.append(entryFromRow(q));
    if (found.isEmpty())
        return fail(u"no replay cache entry has a key starting with %1"_s.arg(prefix));
    if (found.size() > 1)
        return fail(u"several replay cache entries have keys starting with %1: give more of the key"_s
                        .arg(prefix));
    found.first().hits += pendingFor(*d, found.first().key);
    return found.first();
}

qint64 ReplayCache::clear(QString *error)
{
    if (error)
        error->clear();
    Connection *c = connection(error);
    if (!c)
        return -1;
    QSqlQuery q(c->db);
    if (!q.exec(u"DELETE FROM replay_entries"_s)) {
        if (error)
            *error = u"cannot clear the replay cache %1: %2"_s.arg(QDir::toNativeSeparators(m_filePath),
                                                                    sqlText(q.lastError()));
        return -1;
    }
    const qint64 removed = q.numRowsAffected();
    q.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s); // give the space back; harmless if busy
    QMutexLocker lock(&d->mutex);
    d->pendingHits.clear();
    return removed;
}

} // namespace invoke::engine
