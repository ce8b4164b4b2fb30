#pragma once
// The replay cache in a PostgreSQL database a team shares (docs/cache.md): the same
// entries, keys, scopes and calls as SqliteReplayCache, through Qt's QPSQL driver. Every
// process and thread shares a small pool of connections; a server that went away is
// reported by the call that met it (naming the server and the cause) and reconnected to
// by the next call. Two processes that miss the same key take turns through an advisory
// lock (claimFill), so one answer is fetched live and stored.
#include "core/cache/cacheurl.h"
#include "core/cache/replaycache.h"

#include <functional>
#include <memory>

namespace invoke::cache {

struct PostgresConnection;

class PostgresReplayCache final : public ReplayCache
{
public:
    struct Options
    {
        int maxConnections = 8;      // for lookups and writes
        int maxFillClaims = 32;      // connections holding a fill's advisory lock
        qint64 fillTimeoutMs = 60000; // how long a second process waits for the first's answer
    };

    explicit PostgresReplayCache(CacheUrl url);
    PostgresReplayCache(CacheUrl url, Options options);
    ~PostgresReplayCache() override;
    PostgresReplayCache(const PostgresReplayCache &) = delete;
    PostgresReplayCache &operator=(const PostgresReplayCache &) = delete;

    const CacheUrl &url() const { return m_url; }
    QString location() const override { return m_url.display(); }
    // Connects and brings the schema up to date; false with `error` when it cannot.
    bool open(QString *error = nullptr) override;

    // Hits are counted in memory and added to the rows with the next stats/list/find/clear,
    // every few hundred hits (on a thread of their own: a lookup never waits for that
    // write's commit), and when the cache closes.
    std::optional<CacheEntry> lookup(const QString &key, QString *error = nullptr) const override;
    bool store(const CacheKeyParts &parts, const Json &output, const wire::Usage &usage,
               QString *error = nullptr) override;
    std::optional<CacheEntry> nearest(const CacheKeyParts &parts, QString *error = nullptr) const override;

    CacheStats stats(QString *error = nullptr) const override;
    QList<CacheEntry> list(const CacheFilter &filter = {}, QString *error = nullptr) const override;
    QList<CacheScope> scopes(QString *error = nullptr) const override;
    std::optional<CacheEntry> find(const QString &keyPrefix, QString *error = nullptr) const override;
    bool insert(const QList<CacheEntry> &entries, QString *error = nullptr) override;
    qint64 clear(const QString &scope = {}, QString *error = nullptr) override;

    FillTicket claimFill(const QString &key, QString *error = nullptr) override;

    struct Private;

private:
    using Work = std::function<bool(PostgresConnection &, QString *why)>;
    // Runs `work` on a pooled connection, once more on a new one when a reused connection
    // failed (it may have died while idle); "cannot VERB the replay cache on SERVER: why".
    bool withConnection(const QString &verb, const Work &work, QString *error) const;
    // Writes the pending hits now, after any background flush still on its way.
    void flushHits() const;
    // Starts writing them on a thread of its own, unless one is already on its way.
    void flushHitsInBackground() const;
    void waitForBackgroundFlush() const;
    void flushHitsNow() const;
    QString failure(const QString &verb, const QString &why) const;

    CacheUrl m_url;
    std::unique_ptr<Private> d;
};

} // namespace invoke::cache
