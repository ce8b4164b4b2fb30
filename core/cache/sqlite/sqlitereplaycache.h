#pragma once
// The replay cache in one SQLite file (WAL mode), one row per key, with the key's parts
// kept readable so a user can see why a replay missed (docs/cache.md). Safe to use from
// several threads: each thread gets its own connection.
#include "core/cache/replaycache.h"

#include <memory>

namespace invoke::cache {

struct SqliteConnection;

class SqliteReplayCache final : public ReplayCache
{
public:
    explicit SqliteReplayCache(const QString &filePath);
    ~SqliteReplayCache() override;
    SqliteReplayCache(const SqliteReplayCache &) = delete;
    SqliteReplayCache &operator=(const SqliteReplayCache &) = delete;

    QString filePath() const { return m_filePath; }
    QString location() const override { return m_filePath; }
    // Creates the folder, the file and the schema; false with `error` when it cannot.
    bool open(QString *error = nullptr) override;

    // Hits are counted in memory and written with the next stats/list/find/clear or when
    // the cache closes: a replay never waits for a write.
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

    struct Private;

private:
    SqliteConnection *connection(QString *error) const; // this thread's, opened lazily
    std::optional<CacheEntry> fastLookup(SqliteConnection *c, const QString &key, QString *error) const;
    QString failure(const QString &verb, const QString &why) const; // "cannot VERB the replay cache FILE: why"
    QString m_filePath;
    std::unique_ptr<Private> d;
};

} // namespace invoke::cache
