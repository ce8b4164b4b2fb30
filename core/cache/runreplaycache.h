#pragma once
// A replay cache of its own for one run (docs/runs.md, Re-running a run file): the entries
// a run file brought (InvokeRequest::replayEntries), held in memory. A re-run in replay
// mode is answered from them and nowhere else; what it records on a miss stays here and
// goes with the run. The user's cache is never read or written, so a shared run is
// never mixed into it unless the user imports its entries (`invoke-cli runs import
// --add-cache-entries`).
#include "core/cache/replaycache.h"

#include <QtCore/QHash>
#include <QtCore/QMutex>

namespace invoke::cache {

class RunReplayCache final : public ReplayCache
{
public:
    // The entries, each checked (CacheEntry::fromJson: a key that is not the SHA-256 of
    // its parts is refused); nullptr with `error` naming the entry ("replay_entries[2]:
    // ...") when one is wrong, or when they do not share one scope.
    static std::unique_ptr<RunReplayCache> fromJson(const Json &entries, QString *error = nullptr);
    explicit RunReplayCache(QList<CacheEntry> entries);

    // The scope the entries were recorded under (every replay key holds it); empty when
    // there are none.
    QString scope() const { return m_scope; }

    QString location() const override;
    bool open(QString *error = nullptr) override;
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

private:
    mutable QMutex m_mutex;
    QString m_scope;
    mutable QHash<QString, CacheEntry> m_entries; // by key (a lookup counts its hit)
};

} // namespace invoke::cache
