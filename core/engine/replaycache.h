#pragma once
// The replay cache (DESIGN.md §5): SQLite in WAL mode, one row per key, with the key's
// parts kept readable so a user can see why a replay missed. Safe to use from several
// threads: each thread gets its own connection.
#include "core/wire/events.h"

#include <QtCore/QDateTime>

#include <memory>
#include <optional>

namespace invoke::engine {

struct CacheKeyParts
{
    QString scope;        // the organisation; "local" for the embedded engine
    QString botKey;
    QString botUpdatedAt; // ISO 8601
    QString actionType;
    Json parameters = Json::object(); // rendered; run-time values never enter it

    // The canonical JSON (sorted keys, no whitespace) of all parts, and its SHA-256 in hex.
    QByteArray canonical() const;
    QString key() const;
    // The same for parts not gathered in a struct (the replay hot path copies no JSON).
    static QByteArray canonical(const QString &scope, const QString &botKey, const QString &botUpdatedAt,
                                const QString &actionType, const Json &parameters);
    static QString key(const QString &scope, const QString &botKey, const QString &botUpdatedAt,
                       const QString &actionType, const Json &parameters);
};

struct CacheEntry
{
    QString key;
    CacheKeyParts parts;
    Json output;
    wire::Usage usage;
    QDateTime createdAt;
    qint64 hits = 0;
};

struct CacheStats
{
    QString file;
    qint64 entries = 0;
    qint64 bytes = 0; // size of the database file(s)
    qint64 hits = 0;  // total recorded hits
};

class ReplayCache
{
public:
    explicit ReplayCache(const QString &filePath);
    ~ReplayCache();
    ReplayCache(const ReplayCache &) = delete;
    ReplayCache &operator=(const ReplayCache &) = delete;

    QString filePath() const { return m_filePath; }
    // Creates the folder, the file and the schema; false with `error` when it cannot.
    bool open(QString *error = nullptr);

    // A point query by key, for replaying: fills key, output, usage and hits;
    // `parts` stay empty (the caller made the key from them; find() and list() read
    // them). Records a hit (counted in memory,
    // written with the next stats/list/find/clear or when the cache closes). nullopt is a
    // miss, or a failure when `error` is set.
    std::optional<CacheEntry> lookup(const QString &key, QString *error = nullptr) const;
    // Inserts or overwrites the entry for parts.key().
    bool store(const CacheKeyParts &parts, const Json &output, const wire::Usage &usage,
               QString *error = nullptr);

    CacheStats stats(QString *error = nullptr) const;
    QList<CacheEntry> list(int limit = -1, QString *error = nullptr) const; // newest first
    // The entry whose key starts with `keyPrefix` (unique prefix), or nullopt with
    // `error` saying why (no entry, several entries, a failure).
    std::optional<CacheEntry> find(const QString &keyPrefix, QString *error = nullptr) const;
    qint64 clear(QString *error = nullptr); // the number of entries removed, -1 on failure

    struct Connection;
    struct Private;

private:
    QString connectionName() const;
    Connection *connection(QString *error) const; // this thread's, opened lazily
    std::optional<CacheEntry> fastLookup(Connection *c, const QString &key, QString *error) const;
    QString m_filePath;
    QString m_connectionPrefix;
    std::unique_ptr<Private> d;
};

} // namespace invoke::engine
