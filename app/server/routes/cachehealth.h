#pragma once
// The replay cache's last known state for GET /healthz, from a check that runs in the
// background (a point lookup on its own connection, every few seconds), so /healthz
// answers at once whatever the database does (docs/server.md, docs/cache.md).
#include "core/model/json/json.h"

#include <QtCore/QDateTime>
#include <QtCore/QMutex>
#include <QtCore/QObject>

#include <atomic>
#include <memory>

class QTimer;

namespace invoke::cache {
class ReplayCache;
}

namespace invoke::server {

class CacheHealth : public QObject
{
    Q_OBJECT
public:
    // Checks the cache `url` names every `intervalMs`, the first time at once.
    CacheHealth(const QString &url, int intervalMs, QObject *parent = nullptr);
    ~CacheHealth() override; // waits for a check under way

    // {"state": "ok" | "unreachable" | "unknown", "store": "postgresql" | "sqlite",
    //  "location": URL without password, "checked_at": ISO time, "error": why (when not ok)}
    Json snapshot() const;

private:
    void startCheck();

    std::shared_ptr<cache::ReplayCache> m_cache;
    QString m_store;
    QString m_location;
    QTimer *m_timer;
    std::atomic<bool> m_running{false};
    mutable QMutex m_mutex; // guards the members below, written by the check's thread
    QString m_state = QStringLiteral("unknown");
    QString m_error;
    QDateTime m_checkedAt;
};

} // namespace invoke::server
