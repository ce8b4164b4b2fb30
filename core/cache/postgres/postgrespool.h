#pragma once
// Connections to one PostgreSQL replay cache, shared by every thread of a process: a
// caller takes one, runs its statements, gives it back. A broken connection is dropped
// when given back, so the next caller connects again (a restarted server needs no
// restart of ours). The first connection ever made brings the schema up to date.
#include "core/cache/cacheurl.h"
#include "core/cache/postgres/postgresconnection.h"

#include <QtCore/QMutex>
#include <QtCore/QWaitCondition>

#include <memory>

namespace invoke::cache {

class PostgresPool
{
public:
    PostgresPool(CacheUrl url, QString namePrefix, int maxConnections);
    ~PostgresPool();

    // An idle connection or a new one; nullptr with `error` naming the server and the
    // cause. Waits while all are taken. `reused` says it had been used before (it may have
    // died since: a caller retries once on a new one).
    std::unique_ptr<PostgresConnection> take(QString *error, bool *reused = nullptr);
    void give(std::unique_ptr<PostgresConnection> connection);
    void dropIdle(); // after a failure: the idle ones likely died with the same server

private:
    const CacheUrl m_url;
    const QString m_prefix;
    const int m_max;
    QMutex m_mutex;
    QWaitCondition m_freed;
    std::vector<std::unique_ptr<PostgresConnection>> m_idle;
    int m_taken = 0;
    quint64 m_next = 0;
    QMutex m_schemaMutex;
    bool m_schemaReady = false;
};

} // namespace invoke::cache
