#pragma once
// The replay cache (DESIGN.md §5): SQLite in WAL mode, one row per key, with the key's
// parts kept readable so a user can see why a replay missed. Safe to use from several
// threads: each thread gets its own connection.
#include "core/wire/events.h"

#include <QtCore/QDateTime>

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

    std::optional<CacheEntry> lookup(const QString &key) const;
    // Inserts or overwrites the entry for parts.key().
    bool store(const CacheKeyParts &parts, const Json &output, const wire::Usage &usage,
               QString *error = nullptr);

    CacheStats stats() const;
    QList<CacheEntry> list(int limit = -1) const; // newest first
    // The entry whose key starts with `keyPrefix` (unique prefix), or nullopt.
    std::optional<CacheEntry> find(const QString &keyPrefix) const;
    qint64 clear(); // returns the number of entries removed

private:
    QString connectionName() const;
    QString m_filePath;
    QString m_connectionPrefix;
};

} // namespace invoke::engine
