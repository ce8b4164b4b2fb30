#include "core/engine/botcatalog.h"

#include "core/config/paths.h"
#include "core/model/json/jsonlocator.h"

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
    return paths::defaultBotFolders(extraFolders);
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

QList<BotCatalog::File> BotCatalog::listFiles(const QStringList &folders)
{
    QList<File> found;
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
            found.append({path, file.size(), updatedAt});
        }
    }
    return found;
}

BotFileCache::Entry BotCatalog::parse(const File &file) const
{
    std::optional<BotFileCache::Entry> cached = m_cache ? m_cache->find(file.path, file.size, file.updatedAt)
                                                        : std::nullopt;
    if (cached && cached->parsed)
        return *cached;
    BotFileCache::Entry entry;
    entry.size = file.size;
    entry.modified = file.updatedAt;
    entry.parsed = true;
    QFile in(file.path);
    if (!in.open(QIODevice::ReadOnly)) {
        entry.problem = {file.path, 0, u"cannot read the file: "_s + in.errorString()};
        return entry; // not kept: the next load tries again
    }
    if (auto bot = BotDefinition::parse(in.readAll(), file.path, file.updatedAt, &entry.problem)) {
        entry.scannedKey = bot->info.key;
        entry.bot = std::make_shared<const BotDefinition>(std::move(*bot));
    }
    if (m_cache)
        m_cache->insert(file.path, entry);
    return entry;
}

void BotCatalog::add(std::shared_ptr<const BotDefinition> bot, const QString &path) const
{
    const auto same = m_indexOf.constFind(bot->info.key);
    if (same == m_indexOf.cend()) {
        m_indexOf.insert(bot->info.key, m_bots.size());
        m_bots.append(std::move(bot));
        return;
    }
    QFile in(path); // rare: read again for the line of its key
    const QByteArray bytes = in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
    m_problems.append({path, lineOfJson(bytes, {std::string("bot"), std::string("key")}),
                       u"overrides the bot of the same key in "_s + m_bots[*same]->info.sourceFile});
    m_bots[*same] = std::move(bot); // keeps the first one's place in the list
}

void BotCatalog::load(const QStringList &folders, BotFileCache *cache)
{
    *this = BotCatalog();
    m_cache = cache;
    for (const File &file : listFiles(folders)) {
        BotFileCache::Entry entry = parse(file);
        if (entry.bot)
            add(std::move(entry.bot), file.path);
        else
            m_problems.append(entry.problem);
    }
}

void BotCatalog::index(const QStringList &folders, BotFileCache *cache)
{
    *this = BotCatalog();
    m_cache = cache;
    m_files = listFiles(folders);
    for (const File &file : std::as_const(m_files)) {
        std::optional<BotFileCache::Entry> cached = cache ? cache->find(file.path, file.size, file.updatedAt)
                                                          : std::nullopt;
        if (!cached) {
            QFile in(file.path);
            cached.emplace();
            cached->size = file.size;
            cached->modified = file.updatedAt;
            if (in.open(QIODevice::ReadOnly)) {
                // A scan that skips over the steps: no parse, no allocation per step.
                const QByteArray bytes = in.readAll();
                JsonIndex json(bytes);
                cached->scannedKey = QString::fromStdString(json.stringAt({std::string("bot"), std::string("key")})
                                                                .value_or(std::string()));
                if (cache)
                    cache->insert(file.path, *cached);
            } // else: parse() says why, if find() ever needs this file
        }
        if (cached->parsed ? cached->bot != nullptr : !cached->scannedKey.isEmpty())
            m_claims[cached->parsed ? cached->bot->info.key : cached->scannedKey].append(file);
    }
}

const BotDefinition *BotCatalog::findIndexed(const QString &key) const
{
    m_looked.insert(key);
    const QList<File> claims = m_claims.value(key);
    // The last claim wins, as in load(); one that does not parse leaves the one before.
    for (auto it = claims.crbegin(); it != claims.crend(); ++it) {
        BotFileCache::Entry entry = parse(*it);
        if (entry.bot && entry.bot->info.key == key) {
            add(std::move(entry.bot), it->path);
            return m_bots.last().get();
        }
        if (!entry.bot)
            m_problems.append(entry.problem);
    }
    // Not found: why a file named after the key did not load, as load() would tell.
    for (const File &file : m_files) {
        if (QFileInfo(file.path).fileName() != key + u".bot.json"_s)
            continue;
        const BotFileCache::Entry entry = parse(file);
        if (!entry.bot && !std::any_of(m_problems.cbegin(), m_problems.cend(),
                                       [&](const LoadProblem &p) { return p.file == file.path; }))
            m_problems.append(entry.problem);
    }
    return nullptr;
}

const BotDefinition *BotCatalog::find(const QString &key) const
{
    const auto it = m_indexOf.constFind(key);
    if (it != m_indexOf.cend())
        return m_bots[*it].get();
    if (m_files.isEmpty() || m_looked.contains(key))
        return nullptr; // load()ed, or already looked for
    return findIndexed(key);
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
