#pragma once
// Which bot keys exist, so that POST /bots/{key}/invoke answers 404 before any stream
// starts. A key seen lately answers at once; any other key reads the bot folders again
// (one read at a time, shared by every request waiting on it), so a bot added a moment
// ago is found. And the version of a bot a run started now reads (versionOf()), read
// from the folders each time, never from this index.
#include "core/model/botinfo.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QThreadPool>

#include <functional>
#include <memory>
#include <optional>

namespace invoke {
class Backend;
namespace engine {
class BotFileCache;
}
}

namespace invoke::server {

class BotIndex : public QObject
{
    Q_OBJECT
public:
    // found, or the reason the bot is missing ("bot \"x\" not found", or why its file
    // did not load).
    using Answer = std::function<void(bool found, const QString &why)>;

    // `botFolders` and `botFiles`: the ones `backend` and the runs read (versionOf()).
    BotIndex(Backend *backend, QStringList botFolders, std::shared_ptr<engine::BotFileCache> botFiles,
             QObject *parent = nullptr);

    // Answers on this thread, at once when it can; never after `context` is destroyed.
    void check(const QString &key, QObject *context, Answer answer);
    // The bot's version as a run started now reads it, for the invoke answer's head
    // (docs/server.md): its `updated_at` (Invoke-Bot-Updated-At) and the version of its
    // plan, which covers every sub-bot it calls too (Invoke-Plan-Version,
    // core/wire/planversion.h). Read from the bot folders at this moment, as the run reads
    // them, never from the index (which may be a few seconds old), so a client never
    // takes a plan it holds for the one of this run when it is not.
    struct Version
    {
        QString updatedAt;   // ISO 8601 with milliseconds, UTC
        QString planVersion; // 64 lowercase hex digits
    };
    // nullopt: the bot does not load now (the run will say why). Never after `context`
    // is destroyed. Read on threads of the index's own, so that an invoke never waits
    // behind the dataset searches and listings of the global pool; one read of a key at a
    // time, shared by every request that came before it started (a burst of runs of one
    // bot costs two reads, not one each), never by one that came after.
    using VersionAnswer = std::function<void(const std::optional<Version> &)>;
    void versionOf(const QString &key, QObject *context, VersionAnswer done);

private:
    void startVersionRead(const QString &key);
    void versionRead(const QString &key, const std::optional<Version> &version);
    void reload();
    void loaded(const BotListing &listing);

    struct Waiting
    {
        QString key;
        QPointer<QObject> context;
        Answer answer;
    };
    Backend *m_backend;
    QStringList m_botFolders;
    std::shared_ptr<engine::BotFileCache> m_botFiles;
    QHash<QString, QString> m_keys; // key -> its bot file
    QList<LoadProblem> m_problems;
    QElapsedTimer m_loadedAt;
    bool m_loading = false;
    QList<Waiting> m_waiting;
    struct VersionWaiting
    {
        QPointer<QObject> context;
        VersionAnswer answer;
    };
    struct VersionReads
    {
        QList<VersionWaiting> reading; // came before the read in flight started
        QList<VersionWaiting> next;    // came while it runs: the next read is theirs
    };
    QHash<QString, VersionReads> m_versionWaiting; // by key, while a read is in flight
    QThreadPool m_versionReads; // last member: destroyed first, it waits for the reads in flight
};

} // namespace invoke::server
