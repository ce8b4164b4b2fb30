#include "core/backend/remoteplancache.h"

#include "core/wire/plancodec.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QSaveFile>
#include <QtCore/QStandardPaths>

using namespace Qt::StringLiterals;

namespace invoke {

RemotePlanCache::RemotePlanCache(QString folder)
    : m_folder(folder.isEmpty()
                   ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + u"/remote-plans"_s
                   : std::move(folder))
{
}

QString RemotePlanCache::fileFor(const QString &endpoint, const QString &key) const
{
    // Named by a digest: an endpoint or a key may hold any character.
    const QByteArray digest = QCryptographicHash::hash((endpoint + u'\n' + key).toUtf8(), QCryptographicHash::Sha256);
    return m_folder + u'/' + QString::fromLatin1(digest.toHex().left(40)) + u".json"_s;
}

std::optional<BotPlan> RemotePlanCache::find(const QString &endpoint, const QString &key) const
{
    QFile file(fileFor(endpoint, key));
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxPlanBytes)
        return std::nullopt;
    std::optional<BotPlan> plan = wire::planFromBody(file.readAll());
    if (!plan || plan->botKey != key)
        return std::nullopt;
    return plan;
}

bool RemotePlanCache::store(const QString &endpoint, const QString &key, const QByteArray &body) const
{
    if (body.size() > kMaxPlanBytes || !QDir().mkpath(m_folder))
        return false;
    QSaveFile file(fileFor(endpoint, key));
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(body);
    return file.commit();
}

} // namespace invoke
