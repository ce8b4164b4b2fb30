#include "core/cache/pendinghits.h"

#include "core/cache/sqlite/sqliteconnection.h"

namespace invoke::cache {

qint64 PendingHits::record(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    return ++m_hits[key];
}

qint64 PendingHits::pendingFor(const QString &key) const
{
    QMutexLocker lock(&m_mutex);
    return m_hits.value(key);
}

qint64 PendingHits::total() const
{
    QMutexLocker lock(&m_mutex);
    qint64 sum = 0;
    for (const qint64 n : std::as_const(m_hits))
        sum += n;
    return sum;
}

bool PendingHits::isEmpty() const
{
    QMutexLocker lock(&m_mutex);
    return m_hits.isEmpty();
}

void PendingHits::forget(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    m_hits.remove(key);
}

bool PendingHits::flush(SqliteConnection *c)
{
    return flush([c](const QHash<QString, qint64> &hits) {
        bool ok = c->db.transaction();
        for (auto it = hits.cbegin(); ok && it != hits.cend(); ++it) {
            c->addHits->bindValue(0, it.value());
            c->addHits->bindValue(1, it.key());
            ok = c->addHits->exec();
        }
        return ok ? c->db.commit() : (c->db.rollback(), false);
    });
}

bool PendingHits::flush(const std::function<bool(const QHash<QString, qint64> &)> &write)
{
    QMutexLocker lock(&m_mutex);
    const auto hits = std::exchange(m_hits, {});
    lock.unlock();
    if (hits.isEmpty())
        return true;
    const bool ok = write(hits);
    if (!ok) {
        lock.relock();
        for (auto it = hits.cbegin(); it != hits.cend(); ++it)
            m_hits[it.key()] += it.value();
    }
    return ok;
}

} // namespace invoke::cache
