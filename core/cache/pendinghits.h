#pragma once
// The hit counters of a SQLite replay cache, kept in memory by lookup() so that a replay
// hit costs no write, and written in one transaction before anything reads them (stats,
// list, clear) and when the cache closes. Hit counts are statistics: a failed write
// keeps them pending and never fails a replay. Safe to use from any thread.
#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QString>

#include <functional>

namespace invoke::cache {

struct SqliteConnection;

class PendingHits
{
public:
    qint64 record(const QString &key); // one more hit; returns the pending count for `key`
    qint64 pendingFor(const QString &key) const;
    qint64 total() const;
    bool isEmpty() const;
    void forget(const QString &key); // an overwritten entry starts counting again

    // Adds the pending counts to the rows through `connection`'s addHits statement.
    bool flush(SqliteConnection *connection);
    // The same through any store: `write` adds the counts and says whether it did; on
    // false they stay pending.
    bool flush(const std::function<bool(const QHash<QString, qint64> &)> &write);

private:
    mutable QMutex m_mutex;
    QHash<QString, qint64> m_hits;
};

} // namespace invoke::cache
