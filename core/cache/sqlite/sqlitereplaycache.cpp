#include "core/cache/sqlite/sqlitereplaycache.h"

#include "core/cache/pendinghits.h"
#include "core/cache/sqlite/sqliteconnection.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QRegularExpression>
#include <QtCore/QThread>
#include <QtSql/QSqlError>

#include <sqlite3.h>

#include <atomic>

using namespace Qt::StringLiterals;

namespace invoke::cache {

namespace {

std::atomic<quint64> nextInstance{1};

QVariant tokens(qint64 value)
{
    return value >= 0 ? QVariant(value) : QVariant(QMetaType(QMetaType::LongLong));
}

// One row read with the columns in sqlEntryColumns() order.
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

// Closes this thread's connections when the thread ends.
struct ThreadConnections
{
    QHash<quint64, std::shared_ptr<SqliteConnection>> byCache;
    ~ThreadConnections()
    {
        for (const auto &c : std::as_const(byCache))
            c->close();
    }
};
thread_local ThreadConnections t_connections;

} // namespace

struct SqliteReplayCache::Private
{
    quint64 instance = nextInstance.fetch_add(1);
    QString connectionPrefix = u"invoke-replay-%1-"_s.arg(instance);
    QMutex mutex; // guards connections
    QList<std::weak_ptr<SqliteConnection>> connections; // every thread's, closed by the destructor
    PendingHits hits;                                   // recorded by lookup(), not yet written
};

SqliteReplayCache::SqliteReplayCache(const QString &filePath)
    : m_filePath(filePath), d(std::make_unique<Private>())
{
}

SqliteReplayCache::~SqliteReplayCache()
{
    if (!d->hits.isEmpty()) {
        SqliteConnection *c = connection(nullptr);
        if (!c || !d->hits.flush(c))
            qWarning("replay cache %s: hit counters not saved", qUtf8Printable(m_filePath));
    }
    QMutexLocker lock(&d->mutex);
    for (const auto &weak : std::as_const(d->connections))
        if (const auto c = weak.lock())
            c->close();
    t_connections.byCache.remove(d->instance);
}

QString SqliteReplayCache::failure(const QString &verb, const QString &why) const
{
    return u"cannot %1 the replay cache %2: %3"_s.arg(verb, QDir::toNativeSeparators(m_filePath), why);
}

bool SqliteReplayCache::open(QString *error)
{
    return connection(error) != nullptr;
}

SqliteConnection *SqliteReplayCache::connection(QString *error) const
{
    if (const auto found = t_connections.byCache.value(d->instance); found && !found->closed)
        return found.get();
    const QString name = d->connectionPrefix + QString::number(quintptr(QThread::currentThreadId()), 16);
    const auto c = SqliteConnection::open(m_filePath, name, error);
    if (!c)
        return nullptr;
    t_connections.byCache.insert(d->instance, c);
    QMutexLocker lock(&d->mutex);
    d->connections.append(c);
    return c.get();
}

std::optional<CacheEntry> SqliteReplayCache::fastLookup(SqliteConnection *c, const QString &key, QString *error) const
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
        *error = failure(u"read"_s, QString::fromUtf8(sqlite3_errstr(rc)));
    }
    sqlite3_reset(st); // ends the read transaction so WAL checkpoints are not held back
    sqlite3_clear_bindings(st);
    return entry;
}

std::optional<CacheEntry> SqliteReplayCache::lookup(const QString &key, QString *error) const
{
    if (error)
        error->clear();
    SqliteConnection *c = connection(error);
    if (!c)
        return std::nullopt;
    std::optional<CacheEntry> entry;
    if (c->fastLookup) {
        entry = fastLookup(c, key, error);
    } else {
        QSqlQuery &q = *c->lookup;
        q.bindValue(0, key);
        if (!q.exec()) {
            if (error)
                *error = failure(u"read"_s, sqlText(q.lastError()));
            return std::nullopt;
        }
        if (q.next()) {
            entry.emplace();
            entry->key = key;
            entry->output = parseJson(q.value(0).toByteArray(), nullptr, kJsonMaxWireDepth);
            entry->usage.inputTokens = q.value(1).isNull() ? -1 : q.value(1).toLongLong();
            entry->usage.outputTokens = q.value(2).isNull() ? -1 : q.value(2).toLongLong();
            entry->hits = q.value(3).toLongLong();
        }
        q.finish(); // ends the read transaction so WAL checkpoints are not held back
    }
    if (!entry)
        return std::nullopt;
    if (entry->output.is_discarded()) {
        if (error)
            *error = u"replay cache entry %1 holds unreadable output; replay with refresh to "
                     "overwrite it"_s.arg(key);
        return std::nullopt;
    }
    entry->hits += d->hits.record(key);
    return entry;
}

bool SqliteReplayCache::store(const CacheKeyParts &parts, const Json &output, const wire::Usage &usage,
                              QString *error)
{
    CacheEntry entry{parts.key(), parts, output, usage, QDateTime::currentDateTimeUtc(), 0};
    if (!insert({entry}, error))
        return false;
    d->hits.forget(entry.key); // an overwritten entry starts counting again
    return true;
}

bool SqliteReplayCache::insert(const QList<CacheEntry> &entries, QString *error)
{
    SqliteConnection *c = connection(error);
    if (!c)
        return false;
    QSqlQuery &q = *c->store;
    const bool batch = entries.size() > 1 && c->db.transaction();
    for (const CacheEntry &e : entries) {
        q.bindValue(0, e.key);
        q.bindValue(1, e.parts.scope);
        q.bindValue(2, e.parts.botKey);
        q.bindValue(3, e.parts.botUpdatedAt);
        q.bindValue(4, e.parts.actionType);
        q.bindValue(5, QString::fromUtf8(dumpJson(e.parts.parameters)));
        q.bindValue(6, QString::fromUtf8(dumpJson(e.output)));
        q.bindValue(7, tokens(e.usage.inputTokens));
        q.bindValue(8, tokens(e.usage.outputTokens));
        q.bindValue(9, e.createdAt.toUTC().toString(Qt::ISODateWithMs));
        q.bindValue(10, e.hits);
        const bool ok = q.exec();
        q.finish();
        if (!ok) {
            if (error)
                *error = failure(u"write to"_s, sqlText(q.lastError()));
            if (batch)
                c->db.rollback();
            return false;
        }
    }
    if (batch && !c->db.commit()) {
        if (error)
            *error = failure(u"write to"_s, sqlText(c->db.lastError()));
        c->db.rollback();
        return false;
    }
    return true;
}

std::optional<CacheEntry> SqliteReplayCache::nearest(const CacheKeyParts &parts, QString *error) const
{
    if (error)
        error->clear();
    SqliteConnection *c = connection(error);
    if (!c)
        return std::nullopt;
    QSqlQuery q(c->db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + sqlEntryColumns()
              + u" FROM replay_entries WHERE scope = ? AND bot_key = ? AND action_type = ? "
                "ORDER BY created_at DESC, rowid DESC LIMIT 1"_s);
    q.bindValue(0, parts.scope);
    q.bindValue(1, parts.botKey);
    q.bindValue(2, parts.actionType);
    if (!q.exec()) {
        if (error)
            *error = failure(u"read"_s, sqlText(q.lastError()));
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    CacheEntry e = entryFromRow(q);
    e.hits += d->hits.pendingFor(e.key);
    return e;
}

CacheStats SqliteReplayCache::stats(QString *error) const
{
    if (error)
        error->clear();
    CacheStats s;
    s.file = m_filePath;
    SqliteConnection *c = connection(error);
    if (!c)
        return s;
    d->hits.flush(c);
    s.bytes = QFileInfo(m_filePath).size() + QFileInfo(m_filePath + u"-wal"_s).size();
    QSqlQuery q(c->db);
    if (!q.exec(u"SELECT count(*), coalesce(sum(hits), 0) FROM replay_entries"_s) || !q.next()) {
        if (error)
            *error = failure(u"read"_s, sqlText(q.lastError()));
        return s;
    }
    s.entries = q.value(0).toLongLong();
    s.hits = q.value(1).toLongLong();
    s.hits += d->hits.total();
    return s;
}

QList<CacheEntry> SqliteReplayCache::list(const CacheFilter &filter, QString *error) const
{
    if (error)
        error->clear();
    QList<CacheEntry> entries;
    SqliteConnection *c = connection(error);
    if (!c)
        return entries;
    d->hits.flush(c);
    QSqlQuery q(c->db);
    q.setForwardOnly(true);
    // An empty filter member matches everything: (? = '' OR column = ?).
    q.prepare(u"SELECT "_s + sqlEntryColumns()
              + u" FROM replay_entries WHERE (? = '' OR scope = ?) AND (? = '' OR bot_key = ?) "
                "AND (? = '' OR action_type = ?) ORDER BY created_at DESC, rowid DESC LIMIT ?"_s);
    int i = 0;
    for (const QString &value : {filter.scope, filter.botKey, filter.actionType}) {
        q.bindValue(i++, value.isNull() ? u""_s : value);
        q.bindValue(i++, value);
    }
    q.bindValue(i, filter.limit < 0 ? -1 : filter.limit);
    if (!q.exec()) {
        if (error)
            *error = failure(u"read"_s, sqlText(q.lastError()));
        return entries;
    }
    while (q.next())
        entries.append(entryFromRow(q));
    for (CacheEntry &e : entries)
        e.hits += d->hits.pendingFor(e.key); // counters that could not be written yet
    return entries;
}

QList<CacheScope> SqliteReplayCache::scopes(QString *error) const
{
    if (error)
        error->clear();
    QList<CacheScope> scopes;
    SqliteConnection *c = connection(error);
    if (!c)
        return scopes;
    QSqlQuery q(c->db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT scope, count(*) FROM replay_entries GROUP BY scope ORDER BY scope"_s)) {
        if (error)
            *error = failure(u"read"_s, sqlText(q.lastError()));
        return scopes;
    }
    while (q.next())
        scopes.append({q.value(0).toString(), q.value(1).toLongLong()});
    return scopes;
}

std::optional<CacheEntry> SqliteReplayCache::find(const QString &keyPrefix, QString *error) const
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
    SqliteConnection *c = connection(error);
    if (!c)
        return std::nullopt;
    QSqlQuery q(c->db);
    q.setForwardOnly(true);
    // Keys are lowercase hex, so every key with this prefix sorts below prefix + "g".
    q.prepare(u"SELECT "_s + sqlEntryColumns() + u" FROM replay_entries WHERE key >= ? AND key < ? LIMIT 2"_s);
    q.bindValue(0, prefix);
    q.bindValue(1, QString(prefix + u'g'));
    if (!q.exec())
        return fail(failure(u"read"_s, sqlText(q.lastError())));
    QList<CacheEntry> found;
    while (q.next())
        found.append(entryFromRow(q));
    if (found.isEmpty())
        return fail(u"no replay cache entry has a key starting with %1"_s.arg(prefix));
    if (found.size() > 1)
        return fail(u"several replay cache entries have keys starting with %1: give more of the key"_s.arg(prefix));
    found.first().hits += d->hits.pendingFor(found.first().key);
    return found.first();
}

qint64 SqliteReplayCache::clear(const QString &scope, QString *error)
{
    if (error)
        error->clear();
    SqliteConnection *c = connection(error);
    if (!c)
        return -1;
    d->hits.flush(c);
    QSqlQuery q(c->db);
    q.prepare(scope.isEmpty() ? u"DELETE FROM replay_entries"_s : u"DELETE FROM replay_entries WHERE scope = ?"_s);
    if (!scope.isEmpty())
        q.bindValue(0, scope);
    if (!q.exec()) {
        if (error)
            *error = failure(u"clear"_s, sqlText(q.lastError()));
        return -1;
    }
    const qint64 removed = q.numRowsAffected();
    q.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s); // give the space back; harmless if busy
    return removed;
}

} // namespace invoke::cache
