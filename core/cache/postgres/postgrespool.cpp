#include "core/cache/postgres/postgrespool.h"

#include "core/cache/postgres/postgresschema.h"

using namespace Qt::StringLiterals;

namespace invoke::cache {

namespace {
constexpr int WaitForConnectionMs = 15000;
}

PostgresPool::PostgresPool(CacheUrl url, QString namePrefix, int maxConnections)
    : m_url(std::move(url)), m_prefix(std::move(namePrefix)), m_max(qMax(1, maxConnections))
{
}

PostgresPool::~PostgresPool()
{
    QMutexLocker lock(&m_mutex);
    m_idle.clear();
}

std::unique_ptr<PostgresConnection> PostgresPool::take(QString *error, bool *reused)
{
    QMutexLocker lock(&m_mutex);
    QDeadlineTimer deadline(WaitForConnectionMs);
    while (m_idle.empty() && m_taken >= m_max) {
        if (!m_freed.wait(&m_mutex, deadline)) {
            if (error)
                *error = u"cannot use the replay cache on %1: all %2 connections stayed busy for %3 s"_s
                             .arg(m_url.server()).arg(m_max).arg(WaitForConnectionMs / 1000);
            return nullptr;
        }
    }
    ++m_taken;
    if (!m_idle.empty()) {
        auto c = std::move(m_idle.back());
        m_idle.pop_back();
        if (reused)
            *reused = true;
        return c;
    }
    const QString name = m_prefix + QString::number(m_next++);
    lock.unlock();
    if (reused)
        *reused = false;

    const auto failed = [&](const QString &why) -> std::unique_ptr<PostgresConnection> {
        if (error)
            *error = why;
        QMutexLocker relock(&m_mutex);
        --m_taken;
        m_freed.wakeOne();
        return nullptr;
    };
    auto c = PostgresConnection::open(m_url, name, error);
    if (!c)
        return failed(error ? *error : QString());
    {
        QMutexLocker schemaLock(&m_schemaMutex);
        if (!m_schemaReady) {
            if (const QString why = ensurePostgresSchema(*c, m_url); !why.isEmpty())
                return failed(why);
            m_schemaReady = true;
        }
    }
    return c;
}

void PostgresPool::give(std::unique_ptr<PostgresConnection> c)
{
    if (c && c->broken)
        c.reset(); // closed outside the lock
    QMutexLocker lock(&m_mutex);
    --m_taken;
    if (c)
        m_idle.push_back(std::move(c));
    m_freed.wakeOne();
}

void PostgresPool::dropIdle()
{
    std::vector<std::unique_ptr<PostgresConnection>> dropped;
    QMutexLocker lock(&m_mutex);
    dropped.swap(m_idle);
    lock.unlock();
}

} // namespace invoke::cache
