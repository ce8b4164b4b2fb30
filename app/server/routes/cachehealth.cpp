#include "app/server/routes/cachehealth.h"

#include "core/cache/cacheurl.h"
#include "core/cache/openreplaycache.h"

#include <QtCore/QThreadPool>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace invoke::server {

CacheHealth::CacheHealth(const QString &url, int intervalMs, QObject *parent)
    : QObject(parent), m_timer(new QTimer(this))
{
    QString error;
    const auto parsed = cache::CacheUrl::parse(url, &error);
    m_store = parsed && parsed->isPostgres() ? u"postgresql"_s : u"sqlite"_s;
    m_location = parsed ? parsed->display() : cache::maskCacheUrlPassword(url);
    m_cache = cache::makeReplayCache(url, &error);
    if (!m_cache) {
        m_state = u"unreachable"_s;
        m_error = error;
        return;
    }
    connect(m_timer, &QTimer::timeout, this, &CacheHealth::startCheck);
    m_timer->start(intervalMs);
    startCheck();
}

CacheHealth::~CacheHealth()
{
    m_timer->stop();
    while (m_running) // a check holds the cache; connect_timeout bounds it
        QThread::msleep(10);
}

void CacheHealth::startCheck()
{
    if (m_running.exchange(true))
        return; // the last one still waits on the database: its answer comes first
    QThreadPool::globalInstance()->start([this, cache = m_cache] {
        QString error;
        // A key no entry has: one indexed read through a live connection, no hit counted.
        if (cache->open(&error))
            cache->lookup(QString(64, u'0'), &error);
        {
            QMutexLocker lock(&m_mutex);
            m_state = error.isEmpty() ? u"ok"_s : u"unreachable"_s;
            m_error = error;
            m_checkedAt = QDateTime::currentDateTimeUtc();
        }
        m_running = false;
    });
}

Json CacheHealth::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    Json state{{"state", toStd(m_state)}, {"store", toStd(m_store)}, {"location", toStd(m_location)}};
    if (m_checkedAt.isValid())
        state["checked_at"] = toStd(m_checkedAt.toString(Qt::ISODateWithMs));
    if (!m_error.isEmpty())
        state["error"] = toStd(m_error);
    return state;
}

} // namespace invoke::server
