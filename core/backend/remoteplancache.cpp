#include "core/backend/remoteplancache.h"

#include "core/wire/plancodec.h"
#include "core/wire/planversion.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QSaveFile>
#include <QtCore/QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke {

RemotePlanCache::RemotePlanCache(QString folder, Limits limits)
    : m_folder(folder.isEmpty()
                   ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + u"/remote-plans"_s
                   : std::move(folder)),
      m_limits(limits)
{
}

QString RemotePlanCache::botPrefix(const QString &endpoint, const QString &key) const
{
    // Named by a digest: an endpoint or a key may hold any character.
    const QByteArray digest = QCryptographicHash::hash((endpoint + u'\n' + key).toUtf8(), QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toHex().left(40));
}

std::optional<BotPlan> RemotePlanCache::find(const QString &endpoint, const QString &key, const QString &version) const
{
    if (!wire::isPlanVersion(version))
        return std::nullopt;
    QFile file(m_folder + u'/' + botPrefix(endpoint, key) + u'-' + version + u".json"_s);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxPlanBytes)
        return std::nullopt;
    std::optional<BotPlan> plan = wire::planFromBody(file.readAll());
    if (!plan || plan->botKey != key || wire::planVersion(*plan) != version)
        return std::nullopt;
    file.setFileTime(QDateTime::currentDateTimeUtc(), QFileDevice::FileModificationTime); // used: trimmed last
    return plan;
}

bool RemotePlanCache::holdsAny(const QString &endpoint, const QString &key) const
{
    return !QDir(m_folder).entryList({botPrefix(endpoint, key) + u"-*.json"_s}, QDir::Files | QDir::Hidden).isEmpty();
}

bool RemotePlanCache::store(const QString &endpoint, const QString &key, const BotPlan &plan,
                            const QByteArray &body) const
{
    if (body.size() > kMaxPlanBytes || !QDir().mkpath(m_folder))
        return false;
    const QString prefix = botPrefix(endpoint, key);
    const QString name = prefix + u'-' + wire::planVersion(plan) + u".json"_s;
    QSaveFile file(m_folder + u'/' + name);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(body);
    if (!file.commit())
        return false;
    trim(prefix, name);
    return true;
}

void RemotePlanCache::trim(const QString &prefix, const QString &kept) const
{
    QDir dir(m_folder);
    dir.remove(prefix + u".json"_s); // the one file per bot an earlier build kept, without a version
    // Newest use first; the file just kept stays whatever the limits.
    QFileInfoList files = dir.entryInfoList({u"*.json"_s}, QDir::Files | QDir::Hidden, QDir::Time);
    const auto keptAt = std::find_if(files.begin(), files.end(), [&](const QFileInfo &f) { return f.fileName() == kept; });
    if (keptAt != files.end())
        std::rotate(files.begin(), keptAt, keptAt + 1);
    int ofThisBot = 0;
    int count = 0;
    qint64 bytes = 0;
    bool full = false; // from the first file past a folder limit on, every older one goes
    for (const QFileInfo &file : std::as_const(files)) {
        const bool sameBot = file.fileName().startsWith(prefix + u'-');
        full = full || count >= m_limits.maxFiles || bytes + file.size() > m_limits.maxBytes;
        const bool over = full || (sameBot && ofThisBot >= m_limits.versionsPerBot);
        if (over && file.fileName() != kept) {
            dir.remove(file.fileName());
            continue;
        }
        ofThisBot += sameBot ? 1 : 0;
        ++count;
        bytes += file.size();
    }
}

} // namespace invoke
