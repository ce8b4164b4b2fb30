#include "core/cache/postgres/postgresreplaycache.h"

#include "core/cache/pendinghits.h"
#include "core/cache/postgres/postgresconnection.h"
#include "core/cache/postgres/postgrespool.h"
#include "core/cache/postgres/postgresschema.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QRegularExpression>
#include <QtSql/QSqlError>

#include <atomic>
#include <future>
#include <mutex>

using namespace Qt::StringLiterals;

namespace invoke::cache {

namespace {

std::atomic<quint64> nextInstance{1};
constexpr qint64 FlushHitsEvery = 256; // pending hits written (in the background) past this many

QVariant tokens(qint64 value)
{
    return value >= 0 ? QVariant(value) : QVariant(QMetaType(QMetaType::LongLong));
}

QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(u""_s) : QVariant(value);
}

// One row read with the columns in postgresEntryColumns() order.
CacheEntry entryFromRow(const QSqlQuery &q)
{
    CacheEntry e;
    e.key = q.value(0).toString();
    e.parts.scope = q.value(1).toString();
    e.parts.botKey = q.value(2).toString();
    e.parts.botUpdatedAt = q.value(3).toString();
    e.parts.actionType = q.value(4).toString();
    e.parts.parameters = parseJson(q.value(5).toString().toUtf8(), nullptr, kJsonMaxWireDepth);
    e.output = parseJson(q.value(6).toString().toUtf8(), nullptr, kJsonMaxWireDepth);
    e.usage.inputTokens = q.value(7).isNull() ? -1 : q.value(7).toLongLong();
    e.usage.outputTokens = q.value(8).isNull() ? -1 : q.value(8).toLongLong();
    e.createdAt = QDateTime::fromString(q.value(9).toString(), Qt::ISODateWithMs);
    e.hits = q.value(10).toLongLong();
    return e;
}

// The two-key advisory lock of a key: our namespace and the key's first 32 bits.
QString lockArguments(const QString &key)
{
    return u"%1, %2"_s.arg(PostgresLockSpace).arg(qint32(key.left(8).toUInt(nullptr, 16)));
}

qint64 fillTimeoutOf(const CacheUrl &url, qint64 fallback)
{
    bool ok = false;
    const double seconds = url.option(u"fill_timeout"_s).toDouble(&ok);
    return ok && seconds >= 0 ? qint64(seconds * 1000) : fallback;
}

} // namespace

struct PostgresReplayCache::Private
{
    Private(const CacheUrl &url, const Options &o, quint64 instance)
        : options(o)
        , pool(url, u"invoke-replay-pg-%1-"_s.arg(instance), o.maxConnections)
        , claims(url, u"invoke-replay-pg-%1-fill-"_s.arg(instance), o.maxFillClaims)
    {
    }
    Options options;
    PostgresPool pool;
    PostgresPool claims; // connections that hold a fill's advisory lock while it is fetched
    PendingHits hits;
    std::mutex flushMutex;
    std::future<void> backgroundFlush; // lookup()'s, at most one at a time
};

// Holds the key's advisory lock on its own connection until destroyed.
class PostgresFillClaim final : public FillClaim
{
public:
    PostgresFillClaim(PostgresPool &pool, std::unique_ptr<PostgresConnection> c, QString key)
        : m_pool(pool), m_connection(std::move(c)), m_key(std::move(key))
    {
    }
    ~PostgresFillClaim() override
    {
        // A failed unlock marks the connection broken: dropping it ends the session, and
        // the server lets go of its locks with it.
        m_connection->exec(u"SELECT pg_advisory_unlock(%1)"_s.arg(lockArguments(m_key)), nullptr);
        m_pool.give(std::move(m_connection));
    }

private:
    PostgresPool &m_pool;
    std::unique_ptr<PostgresConnection> m_connection;
    QString m_key;
};

PostgresReplayCache::PostgresReplayCache(CacheUrl url)
    : PostgresReplayCache(url, Options{8, 32, fillTimeoutOf(url, Options().fillTimeoutMs)})
{
}

PostgresReplayCache::PostgresReplayCache(CacheUrl url, Options options)
    : m_url(std::move(url)), d(std::make_unique<Private>(m_url, options, nextInstance.fetch_add(1)))
{
}

PostgresReplayCache::~PostgresReplayCache()
{
    waitForBackgroundFlush();
    if (!d->hits.isEmpty()) {
        flushHits();
        if (!d->hits.isEmpty())
            qWarning("replay cache %s: hit counters not saved", qUtf8Printable(location()));
    }
}

QString PostgresReplayCache::failure(const QString &verb, const QString &why) const
{
    // The pool's own messages already name the server.
    if (why.contains(m_url.server()))
        return why;
    return u"cannot %1 the replay cache on %2: %3"_s.arg(verb, m_url.server(), why);
}

bool PostgresReplayCache::withConnection(const QString &verb, const Work &work, QString *error) const
{
    for (int attempt = 0;; ++attempt) {
        QString why;
        bool reused = false;
        auto c = d->pool.take(&why, &reused);
        if (!c) {
            if (error)
                *error = why;
            return false;
        }
        const bool ok = work(*c, &why);
        const bool broken = c->broken;
        d->pool.give(std::move(c));
        if (ok)
            return true;
        if (broken && reused && attempt == 0) {
            d->pool.dropIdle(); // they likely died with the same server; try a new connection
            continue;
        }
        if (error)
            *error = failure(verb, why);
        return false;
    }
}

bool PostgresReplayCache::open(QString *error)
{
    return withConnection(u"open"_s, [](PostgresConnection &, QString *) { return true; }, error);
}

void PostgresReplayCache::waitForBackgroundFlush() const
{
    std::lock_guard lock(d->flushMutex);
    if (d->backgroundFlush.valid())
        d->backgroundFlush.wait();
}

void PostgresReplayCache::flushHitsInBackground() const
{
    std::lock_guard lock(d->flushMutex);
    if (d->backgroundFlush.valid() && d->backgroundFlush.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return; // the one on its way takes these too, or the next one will
    // The UPDATE's commit waits for the server's WAL flush (milliseconds on a busy disk):
    // measured in the hit path by tests/bench/bench_teamcache, every flush was a lookup
    // over 2 ms. The destructor waits for it.
    d->backgroundFlush = std::async(std::launch::async, [this] { flushHitsNow(); });
}

void PostgresReplayCache::flushHits() const
{
    waitForBackgroundFlush();
    flushHitsNow();
}

void PostgresReplayCache::flushHitsNow() const
{
    d->hits.flush([this](const QHash<QString, qint64> &hits) {
        // One statement for all of them: a flush inside lookup() costs one round trip.
        QString values;
        QVariantList bound;
        for (auto it = hits.cbegin(); it != hits.cend(); ++it) {
            values += values.isEmpty() ? u"(?, ?::bigint)"_s : u", (?, ?::bigint)"_s;
            bound << it.key() << it.value();
        }
        return withConnection(u"count hits in"_s, [&](PostgresConnection &c, QString *why) {
            return c.exec(u"UPDATE invoke_replay_entries AS e SET hits = e.hits + v.n FROM (VALUES "_s + values
                              + u") AS v(key, n) WHERE e.key = v.key"_s,
                          bound, why);
        }, nullptr);
    });
}

std::optional<CacheEntry> PostgresReplayCache::lookup(const QString &key, QString *error) const
{
    if (error)
        error->clear();
    std::optional<CacheEntry> entry;
    const bool ok = withConnection(u"read"_s, [&](PostgresConnection &c, QString *why) {
        entry.reset();
        QSqlQuery q(c.db);
        if (!c.exec(PostgresLookupSql, {key}, why, &q))
            return false;
        if (q.next()) {
            entry.emplace();
            entry->key = key;
            entry->output = parseJson(q.value(0).toString().toUtf8(), nullptr, kJsonMaxWireDepth);
            entry->usage.inputTokens = q.value(1).isNull() ? -1 : q.value(1).toLongLong();
            entry->usage.outputTokens = q.value(2).isNull() ? -1 : q.value(2).toLongLong();
            entry->hits = q.value(3).toLongLong();
        }
        return true;
    }, error);
    if (!ok || !entry)
        return std::nullopt;
    if (entry->output.is_discarded()) {
        if (error)
            *error = u"replay cache entry %1 holds unreadable output; replay with refresh to "
                     "overwrite it"_s.arg(key);
        return std::nullopt;
    }
    entry->hits += d->hits.record(key);
    if (d->hits.total() >= FlushHitsEvery)
        flushHitsInBackground();
    return entry;
}

bool PostgresReplayCache::store(const CacheKeyParts &parts, const Json &output, const wire::Usage &usage,
                                QString *error)
{
    CacheEntry entry{parts.key(), parts, output, usage, QDateTime::currentDateTimeUtc(), 0};
    if (!insert({entry}, error))
        return false;
    d->hits.forget(entry.key); // an overwritten entry starts counting again
    return true;
}

bool PostgresReplayCache::insert(const QList<CacheEntry> &entries, QString *error)
{
    if (error)
        error->clear();
    if (entries.isEmpty())
        return true;
    return withConnection(u"write to"_s, [&](PostgresConnection &c, QString *why) {
        // One statement per entry, all in one transaction: readers see all or nothing, and
        // an overwrite (refresh) replaces the row in one step.
        const bool batch = entries.size() > 1;
        if (batch && !c.db.transaction()) {
            c.broken = true;
            *why = postgresText(c.db.lastError());
            return false;
        }
        for (const CacheEntry &e : entries) {
            const QVariantList values{e.key, text(e.parts.scope), text(e.parts.botKey), text(e.parts.botUpdatedAt),
                                      text(e.parts.actionType), QString::fromUtf8(dumpJson(e.parts.parameters)),
                                      QString::fromUtf8(dumpJson(e.output)), tokens(e.usage.inputTokens),
                                      tokens(e.usage.outputTokens),
                                      e.createdAt.toUTC().toString(Qt::ISODateWithMs), e.hits};
            if (!c.exec(PostgresStoreSql, values, why)) {
                if (batch)
                    c.db.rollback();
                return false;
            }
        }
        if (batch && !c.db.commit()) {
            c.broken = true;
            *why = postgresText(c.db.lastError());
            return false;
        }
        return true;
    }, error);
}

std::optional<CacheEntry> PostgresReplayCache::nearest(const CacheKeyParts &parts, QString *error) const
{
    if (error)
        error->clear();
    std::optional<CacheEntry> entry;
    withConnection(u"read"_s, [&](PostgresConnection &c, QString *why) {
        QSqlQuery q(c.db);
        if (!c.exec(u"SELECT "_s + postgresEntryColumns()
                        + u" FROM invoke_replay_entries WHERE scope = ? AND bot_key = ? AND action_type = ? "
                          "ORDER BY created_at DESC, key DESC LIMIT 1"_s,
                    {text(parts.scope), text(parts.botKey), text(parts.actionType)}, why, &q))
            return false;
        entry.reset();
        if (q.next())
            entry = entryFromRow(q);
        return true;
    }, error);
    if (entry)
        entry->hits += d->hits.pendingFor(entry->key);
    return entry;
}

CacheStats PostgresReplayCache::stats(QString *error) const
{
    if (error)
        error->clear();
    CacheStats s;
    s.file = location();
    flushHits();
    withConnection(u"read"_s, [&](PostgresConnection &c, QString *why) {
        QSqlQuery q(c.db);
        if (!c.exec(u"SELECT count(*), coalesce(sum(hits), 0), pg_total_relation_size('invoke_replay_entries') "
                    "FROM invoke_replay_entries"_s, why, &q))
            return false;
        if (q.next()) {
            s.entries = q.value(0).toLongLong();
            s.hits = q.value(1).toLongLong();
            s.bytes = q.value(2).toLongLong();
        }
        return true;
    }, error);
    s.hits += d->hits.total();
    return s;
}

QList<CacheEntry> PostgresReplayCache::list(const CacheFilter &filter, QString *error) const
{
    if (error)
        error->clear();
    QList<CacheEntry> entries;
    flushHits();
    withConnection(u"read"_s, [&](PostgresConnection &c, QString *why) {
        entries.clear();
        QSqlQuery q(c.db);
        // An empty filter member matches everything: (? = '' OR column = ?).
        const QString sql = u"SELECT "_s + postgresEntryColumns()
            + u" FROM invoke_replay_entries WHERE (? = '' OR scope = ?) AND (? = '' OR bot_key = ?) "
              "AND (? = '' OR action_type = ?) ORDER BY created_at DESC, key DESC LIMIT ?"_s;
        QVariantList values;
        for (const QString &value : {filter.scope, filter.botKey, filter.actionType})
            values << text(value) << text(value);
        values << (filter.limit < 0 ? QVariant(QMetaType(QMetaType::LongLong)) : QVariant(qint64(filter.limit)));
        if (!c.exec(sql, values, why, &q))
            return false;
        while (q.next())
            entries.append(entryFromRow(q));
        return true;
    }, error);
    for (CacheEntry &e : entries)
        e.hits += d->hits.pendingFor(e.key); // counters that could not be written yet
    return entries;
}

QList<CacheScope> PostgresReplayCache::scopes(QString *error) const
{
    if (error)
        error->clear();
    QList<CacheScope> scopes;
    withConnection(u"read"_s, [&](PostgresConnection &c, QString *why) {
        scopes.clear();
        QSqlQuery q(c.db);
        if (!c.exec(u"SELECT scope, count(*) FROM invoke_replay_entries GROUP BY scope ORDER BY scope"_s, why, &q))
            return false;
        while (q.next())
            scopes.append({q.value(0).toString(), q.value(1).toLongLong()});
        return true;
    }, error);
    return scopes;
}

std::optional<CacheEntry> PostgresReplayCache::find(const QString &keyPrefix, QString *error) const
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
    flushHits();
    QList<CacheEntry> found;
    QString why;
    const bool ok = withConnection(u"read"_s, [&](PostgresConnection &c, QString *failed) {
        found.clear();
        QSqlQuery q(c.db);
        // The key sorts as bytes (COLLATE "C"): every key with this prefix is below prefix + "g".
        if (!c.exec(u"SELECT "_s + postgresEntryColumns()
                        + u" FROM invoke_replay_entries WHERE key >= ? AND key < ? LIMIT 2"_s,
                    {prefix, QString(prefix + u'g')}, failed, &q))
            return false;
        while (q.next())
            found.append(entryFromRow(q));
        return true;
    }, &why);
    if (!ok)
        return fail(why);
    if (found.isEmpty())
        return fail(u"no replay cache entry has a key starting with %1"_s.arg(prefix));
    if (found.size() > 1)
        return fail(u"several replay cache entries have keys starting with %1: give more of the key"_s.arg(prefix));
    found.first().hits += d->hits.pendingFor(found.first().key);
    return found.first();
}

qint64 PostgresReplayCache::clear(const QString &scope, QString *error)
{
    if (error)
        error->clear();
    flushHits();
    qint64 removed = -1;
    withConnection(u"clear"_s, [&](PostgresConnection &c, QString *why) {
        QSqlQuery q(c.db);
        if (!c.exec(scope.isEmpty() ? u"DELETE FROM invoke_replay_entries"_s
                                    : u"DELETE FROM invoke_replay_entries WHERE scope = ?"_s,
                    scope.isEmpty() ? QVariantList() : QVariantList{scope}, why, &q))
            return false;
        removed = q.numRowsAffected();
        return true;
    }, error);
    return removed;
}

FillTicket PostgresReplayCache::claimFill(const QString &key, QString *error)
{
    if (error)
        error->clear();
    FillTicket ticket;
    QString why;
    const QString args = lockArguments(key);
    std::unique_ptr<PostgresConnection> c;
    bool free = false;
    for (int attempt = 0;; ++attempt) {
        bool reused = false;
        c = d->claims.take(&why, &reused);
        if (!c) {
            if (error)
                *error = why;
            return ticket;
        }
        QSqlQuery q(c->db);
        if (c->exec(u"SELECT pg_try_advisory_lock(%1)"_s.arg(args), &why, &q) && q.next()) {
            free = q.value(0).toBool();
            break;
        }
        c->broken = true;
        d->claims.give(std::move(c));
        if (reused && attempt == 0) {
            d->claims.dropIdle(); // it may have died while idle: once more on a new one
            continue;
        }
        if (error)
            *error = failure(u"lock a key in"_s, why);
        return ticket;
    }
    if (!free) {
        // Another process is fetching this answer: wait for it, up to the timeout (a lock
        // wait past lock_timeout fails with SQLSTATE 55P03 and leaves the session usable).
        ticket.waited = true;
        QElapsedTimer clock;
        clock.start();
        QSqlQuery wait(c->db);
        const bool set = c->exec(u"SET lock_timeout = %1"_s.arg(qMax<qint64>(1, d->options.fillTimeoutMs)), &why);
        const bool locked = set && c->exec(u"SELECT pg_advisory_lock(%1)"_s.arg(args), &why, &wait);
        ticket.waitedMs = clock.elapsed();
        if (!locked) {
            const bool timedOut = set && wait.lastError().nativeErrorCode() == u"55P03"_s;
            if (timedOut) {
                c->broken = false; // the session is fine; only the wait ran out
                c->exec(u"SET lock_timeout = 0"_s, nullptr);
            }
            d->claims.give(std::move(c));
            if (!timedOut) {
                if (error)
                    *error = failure(u"wait for a key in"_s, why);
                return ticket;
            }
            ticket.timedOut = true;
            return ticket;
        }
        c->exec(u"SET lock_timeout = 0"_s, nullptr);
    } else {
        // Free at once, but another process may have stored the answer and let go between
        // our miss and this claim: then the caller must look again rather than go live.
        QSqlQuery q(c->db);
        if (c->exec(u"SELECT 1 FROM invoke_replay_entries WHERE key = ?"_s, {key}, &why, &q) && q.next())
            ticket.waited = true;
        c->broken = false; // a failed check only costs the caller a live call it would make anyway
    }
    ticket.claim = std::make_unique<PostgresFillClaim>(d->claims, std::move(c), key);
    return ticket;
}

} // namespace invoke::cache
