#include "core/engine/botcatalog.h"

#include "core/config/paths.h"
#include "core/model/jsonlocator.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {
// A bot file is a page or two of JSON; anything far bigger is a mistake or an attack.
constexpr qint64 kMaxBotFileBytes = 4 << 20;
} // namespace

QStringList BotCatalog::defaultFolders(const QStringList &extraFolders)
{
    return QStringList{paths::bundledBots(), paths::userBots()} + extraFolders;
}

std::optional<BotFileCache::Entry> BotFileCache::find(const QString &path, qint64 size,
                                                      const QDateTime &modified) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_entries.constFind(path);
    if (it == m_entries.cend() || it->size != size || it->modified != modified)
        return std::nullopt;
    return *it;
}

void BotFileCache::insert(const QString &path, Entry entry)
{
    QMutexLocker lock(&m_mutex);
    m_entries.insert(path, std::move(entry));
}

void BotCatalog::load(const QStringList &folders, BotFileCache *cache)
{
    m_bots.clear();
    m_indexOf.clear();
    m_problems.clear();
    for (const QString &folder : folders) {
        const QDir dir(folder);
        if (!dir.exists()) {
            m_problems.append({folder, 0, u"the bots folder does not exist"_s});
            continue;
        }
        // Sorted by name, so that which of two same-key files wins never depends on the
        // file system's order.
        const QFileInfoList files = dir.entryInfoList({u"*.bot.json"_s}, QDir::Files | QDir::Readable,
                                                      QDir::Name);
        for (const QFileInfo &file : files) {
            const QString path = file.filePath();
            if (!paths::resolvesInside(path, folder)) {
                // Never read: its parse error would quote the bytes of whatever it leads to.
                m_problems.append({path, 0, u"is a link that leads outside its bots folder; it is not read"_s});
                continue;
            }
            if (file.size() > kMaxBotFileBytes) {
                m_problems.append({path, 0, u"is %1 bytes; a bot file may hold at most %2"_s.arg(file.size()).arg(kMaxBotFileBytes)});
                continue;
            }
            // Resources carry the time rcc saw the file; a missing time still keys the
            // replay cache the same way on every run.
            QDateTime updatedAt = file.lastModified().toUTC();
            if (!updatedAt.isValid())
                updatedAt = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
            std::optional<BotFileCache::Entry> cached = cache ? cache->find(path, file.size(), updatedAt) : std::nullopt;
            if (!cached) {
                QFile in(path);
                if (!in.open(QIODevice::ReadOnly)) {
                    m_problems.append({path, 0, u"cannot read the file: "_s + in.errorString()});
                    continue;
                }
                cached.emplace();
                cached->size = file.size();
                cached->modified = updatedAt;
                if (auto bot = BotDefinition::parse(in.readAll(), path, updatedAt, &cached->problem))
                    cached->bot = std::make_shared<const BotDefinition>(std::move(*bot));
                if (cache)
                    cache->insert(path, *cached);
            }
            std::shared_ptr<const BotDefinition> bot = std::move(cached->bot);
            if (!bot) {
                m_problems.append(cached->problem);
                continue;
            }
            const auto same = m_indexOf.constFind(bot->info.key);
            if (same == m_indexOf.cend()) {
                m_indexOf.insert(bot->info.key, m_bots.size());
                m_bots.append(std::move(bot));
                continue;
            }
            QFile in(path); // rare: read again for the line of its key
            const QByteArray bytes = in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
            m_problems.append({path, lineOfJson(bytes, {std::string("bot"), std::string("key")}),
                               u"overrides the bot of the same key in "_s + m_bots[*same]->info.sourceFile});
            m_bots[*same] = std::move(bot); // keeps the first one's place in the list
        }
    }
}

const BotDefinition *BotCatalog::find(const QString &key) const
{
    const auto it = m_indexOf.constFind(key);
    return it == m_indexOf.cend() ? nullptr : m_bots[*it].get();
}

QList<BotInfo> BotCatalog::infos() const
{
    QList<BotInfo> infos;
    infos.reserve(m_bots.size());
    for (const auto &bot : m_bots)
        infos.append(bot->info);
    return infos;
}

} // namespace invoke::engine
