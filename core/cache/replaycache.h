#pragma once
// The replay cache behind one interface (docs/cache.md). The action gate answers replay
// mode through it; invoke-cli's `cache` commands read it; a store is SQLite
// (SqliteReplayCache, the embedded default) or PostgreSQL (PostgresReplayCache, a team's
// shared cache), chosen by a cache URL (openreplaycache.h). Every call is safe from
// several threads; failures return with `error` set, never throw.
#include "core/cache/cacheentry.h"

#include <memory>
#include <optional>

namespace invoke::cache {

// A claim on recording one key's answer, released when destroyed.
class FillClaim
{
public:
    virtual ~FillClaim() = default;
};

// What claimFill() found: whether another process was recording the same key (so the
// caller looks again before running live) and whether the wait ran out.
struct FillTicket
{
    std::unique_ptr<FillClaim> claim; // null when the store needs none (one process) or the wait ran out
    bool waited = false;              // another process held the key, or stored it since the miss: look again
    bool timedOut = false;            // ...longer than the store's timeout: go live anyway
    qint64 waitedMs = 0;
};

class ReplayCache
{
public:
    virtual ~ReplayCache() = default;

    // Where the entries live, for messages (a file, or an address without its password).
    virtual QString location() const = 0;
    // Opens (creating when needed); false with `error` when it cannot.
    virtual bool open(QString *error = nullptr) = 0;

    // The replay path: the entry for `key` with key, output, usage and hits (its parts
    // may stay empty: the caller made the key from them), and a hit recorded. nullopt is
    // a miss, or a failure when `error` is set.
    virtual std::optional<CacheEntry> lookup(const QString &key, QString *error = nullptr) const = 0;
    // Inserts, or overwrites (refresh), the entry for parts.key().
    virtual bool store(const CacheKeyParts &parts, const Json &output, const wire::Usage &usage,
                       QString *error = nullptr) = 0;

    // The newest entry for the same scope, bot and action type as `parts`, whatever its
    // bot version and parameters: what a replay that missed is compared with to say why
    // it missed. nullopt when there is none (or on failure, with `error`).
    virtual std::optional<CacheEntry> nearest(const CacheKeyParts &parts, QString *error = nullptr) const = 0;

    virtual CacheStats stats(QString *error = nullptr) const = 0;
    // Entries matching `filter`, newest first, with their parts (for listing and export).
    virtual QList<CacheEntry> list(const CacheFilter &filter = {}, QString *error = nullptr) const = 0;
    virtual QList<CacheScope> scopes(QString *error = nullptr) const = 0;
    // The entry whose key starts with `keyPrefix` (unique prefix), or nullopt with `error`
    // saying why (no entry, several entries, a failure). Counts no hit.
    virtual std::optional<CacheEntry> find(const QString &keyPrefix, QString *error = nullptr) const = 0;
    // Adds entries as they are (keys, times and hits kept): an import of an export.
    virtual bool insert(const QList<CacheEntry> &entries, QString *error = nullptr) = 0;
    // Removes every entry (of `scope` when given); the number removed, -1 on failure.
    virtual qint64 clear(const QString &scope = {}, QString *error = nullptr) = 0;

    // Called after a miss, before the answer is fetched live: a store several processes
    // share makes a second process that missed the same key wait here until the first has
    // stored it (then lookup() again), up to a timeout. The default claims nothing.
    // On failure `error` is set and the caller must not go live.
    virtual FillTicket claimFill(const QString &key, QString *error = nullptr)
    {
        Q_UNUSED(key);
        if (error)
            error->clear();
        return {};
    }
};

} // namespace invoke::cache
