#pragma once
// The values of the replay cache (docs/cache.md): the parts an answer is keyed by, an
// entry as every store keeps it, and what listing and stats return. One entry format
// for every store and every export: CacheEntry::toJson.
#include "core/wire/events.h" // wire::Usage

#include <QtCore/QDateTime>

namespace invoke::cache {

// What a replayed answer is keyed by: SHA-256 of the canonical JSON of these parts.
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

    friend bool operator==(const CacheKeyParts &, const CacheKeyParts &) = default;
};

struct CacheEntry
{
    QString key;
    CacheKeyParts parts;
    Json output;
    wire::Usage usage;
    QDateTime createdAt;
    qint64 hits = 0;

    // {"key", "scope", "bot_key", "bot_updated_at", "action_type", "parameters", "output",
    //  "usage": {"input_tokens", "output_tokens"}, "created_at", "hits"}: what
    // `invoke-cli cache list --json` prints and `cache export` writes, one per line.
    Json toJson() const;
    // The reverse, checking each member; nullopt with `error` naming the member. The key
    // must be the SHA-256 of the parts: an entry whose key and parts disagree is refused.
    static std::optional<CacheEntry> fromJson(const Json &value, QString *error = nullptr);

    friend bool operator==(const CacheEntry &a, const CacheEntry &b)
    {
        return a.key == b.key && a.parts == b.parts && a.output == b.output
            && a.usage.inputTokens == b.usage.inputTokens && a.usage.outputTokens == b.usage.outputTokens
            && a.createdAt == b.createdAt && a.hits == b.hits;
    }
};

struct CacheStats
{
    QString file;     // where the store lives (a file, or a database address without secrets)
    qint64 entries = 0;
    qint64 bytes = 0; // size of the store's file(s), when it has any
    qint64 hits = 0;  // total recorded hits
};

// Which entries a listing or an export covers; an empty member matches everything.
struct CacheFilter
{
    QString scope;
    QString botKey;
    QString actionType;
    int limit = -1; // newest first; -1 for all

    bool matches(const CacheKeyParts &parts) const;
};

// One scope (organisation) in the store, for listing who has what.
struct CacheScope
{
    QString scope;
    qint64 entries = 0;
    friend bool operator==(const CacheScope &, const CacheScope &) = default;
};

} // namespace invoke::cache
