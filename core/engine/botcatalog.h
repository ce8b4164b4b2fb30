#pragma once
#include "core/engine/botdefinition.h"

#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QSet>

#include <memory>

namespace invoke::engine {

// Parsed bot files by path, size and modification time, shared by the loads of one
// backend (and by invoke-server's organisations: LocalBackendOptions::botFiles): every
// invocation lists the folders again, and only a file that changed is read and parsed
// again. A hit shares the parsed definition, so it costs the same for a bot of 8,000
// steps as for one of 3. Safe to use from several threads.
class BotFileCache
{
public:
    struct Entry
    {
        qint64 size = -1;
        QDateTime modified;
        bool parsed = false; // else only scannedKey is known (BotCatalog::index)
        QString scannedKey;  // the bot.key a scan read without parsing; empty: none
        std::shared_ptr<const BotDefinition> bot; // parsed: the bot, or when null...
        LoadProblem problem;                      // ...why the file did not load
    };
    std::optional<Entry> find(const QString &path, qint64 size, const QDateTime &modified) const;
    void insert(const QString &path, Entry entry);

private:
    mutable QMutex m_mutex;
    QHash<QString, Entry> m_entries;
};

// Finds and loads every *.bot.json in a list of folders (Qt resource paths such as
// ":/bots" work too). A bad file is reported with its path, line and reason, and the
// others still load. When two folders hold the same key, the later folder wins (so a
// user's bot overrides a bundled example) and the shadowing is reported as a problem.
//
// problems() therefore holds three kinds of entries, in the order met:
//  - a file that did not load: its path, line and reason (nothing of it is in bots());
//  - an override note: the winning file, the line of its bot.key, and the reason
//    "overrides the bot of the same key in <the other file>" (the winner IS loaded,
//    in the place of the bot it replaces). It is listed with the problems because a
//    user who edits the shadowed file would otherwise wonder why nothing changes;
//    within one folder, files are read in name order, so the later name wins;
//  - a folder that does not exist: the folder's path, line 0.
class BotCatalog
{
public:
    // The bundled examples, then the user's bots folder, then `extraFolders`.
    static QStringList defaultFolders(const QStringList &extraFolders = {});

    // `cache` (optional) answers for the files unchanged since an earlier load.
    void load(const QStringList &folders, BotFileCache *cache = nullptr);
    // For a command about one bot: finds which file holds each key by a scan for its
    // bot.key (no parse), and parses a file only when find() first asks for its key
    // (sub-bots included). The same file wins as with load(), and a file that fails to
    // parse never shadows an earlier one of the same key. problems() then holds only
    // the files find() parsed, and those named after a key find() missed (so
    // missingBotReason() still says why "x" in x.bot.json did not load). Not for use
    // from several threads at once.
    void index(const QStringList &folders, BotFileCache *cache = nullptr);

    // Shared with the file cache; each stays valid while anyone holds it. After index(),
    // only the bots find() has parsed so far.
    const QList<std::shared_ptr<const BotDefinition>> &bots() const { return m_bots; }
    const QList<LoadProblem> &problems() const { return m_problems; }
    const BotDefinition *find(const QString &key) const;
    QList<BotInfo> infos() const;

private:
    struct File
    {
        QString path;
        qint64 size = 0;
        QDateTime updatedAt;
    };
    // Every *.bot.json that may be read, in load order; folders that do not exist, links
    // that lead outside and files too big go to problems().
    QList<File> listFiles(const QStringList &folders);
    BotFileCache::Entry parse(const File &file) const;
    void add(std::shared_ptr<const BotDefinition> bot, const QString &path) const;
    const BotDefinition *findIndexed(const QString &key) const;

    BotFileCache *m_cache = nullptr;
    // After index(): the files that claim each key, in load order; files whose key no
    // scan could read (they cannot load) are only in m_files.
    QHash<QString, QList<File>> m_claims;
    QList<File> m_files;
    mutable QSet<QString> m_looked; // keys find() has resolved (found or not)
    mutable QList<std::shared_ptr<const BotDefinition>> m_bots;
    mutable QHash<QString, qsizetype> m_indexOf; // bot key -> its place in m_bots
    mutable QList<LoadProblem> m_problems;
};

} // namespace invoke::engine
