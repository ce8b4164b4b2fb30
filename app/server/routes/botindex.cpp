#include "app/server/routes/botindex.h"

#include "core/backend/backend.h"
#include "core/engine/botcatalog.h"
#include "core/engine/botplanner.h"
#include "core/wire/planversion.h"

#include <QtCore/QFileInfo>
#include <QtCore/QFutureWatcher>
#include <QtCore/QPromise>

using namespace Qt::StringLiterals;

namespace invoke::server {

namespace {
constexpr qint64 kFreshMs = 5000; // after this, a known key is checked again (its file may be gone)
}

BotIndex::BotIndex(Backend *backend, QStringList botFolders, std::shared_ptr<engine::BotFileCache> botFiles,
                   QObject *parent)
    : QObject(parent), m_backend(backend), m_botFolders(std::move(botFolders)), m_botFiles(std::move(botFiles))
{
    m_versionReads.setMaxThreadCount(2);
}

void BotIndex::check(const QString &key, QObject *context, Answer answer)
{
    if (m_loadedAt.isValid() && m_loadedAt.elapsed() < kFreshMs && m_keys.contains(key)) {
        answer(true, {});
        return;
    }
    m_waiting.append({key, context, std::move(answer)});
    reload();
}

void BotIndex::versionOf(const QString &key, QObject *context, VersionAnswer done)
{
    const auto it = m_versionWaiting.find(key);
    if (it != m_versionWaiting.end()) {
        it->next.append({context, std::move(done)});
        return;
    }
    m_versionWaiting[key].reading.append({context, std::move(done)});
    startVersionRead(key);
}

void BotIndex::startVersionRead(const QString &key)
{
    auto promise = std::make_shared<QPromise<std::optional<Version>>>();
    auto *watcher = new QFutureWatcher<std::optional<Version>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, key] {
        const std::optional<Version> version = watcher->result();
        watcher->deleteLater();
        versionRead(key, version);
    });
    watcher->setFuture(promise->future());
    m_versionReads.start([promise, key, folders = m_botFolders, files = m_botFiles] {
        promise->start();
        // The plan as GET /bots/{key}/plan answers it (LocalBackend::botPlan): the bot
        // folders listed and each file's time read now, as a run's start reads them
        // (core/backend/localinvocation.cpp).
        engine::BotCatalog catalog;
        catalog.index(folders, files.get());
        std::optional<Version> version;
        if (const engine::BotDefinition *bot = catalog.find(key)) {
            const BotPlan plan = engine::botPlan(*bot, catalog);
            // As core/engine/botcatalog.cpp reads it for a run: the file's time, else the epoch.
            QDateTime at = plan.updatedAt.toUTC();
            if (!at.isValid())
                at = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
            version = Version{at.toString(Qt::ISODateWithMs), wire::planVersion(plan)};
        }
        promise->addResult(version);
        promise->finish();
    });
}

void BotIndex::versionRead(const QString &key, const std::optional<Version> &version)
{
    const auto it = m_versionWaiting.find(key);
    if (it == m_versionWaiting.end())
        return;
    const QList<VersionWaiting> answered = std::exchange(it->reading, std::exchange(it->next, {}));
    if (it->reading.isEmpty())
        m_versionWaiting.erase(it);
    else
        startVersionRead(key); // for those that came while this one ran
    for (const VersionWaiting &w : answered)
        if (w.context)
            w.answer(version);
}

void BotIndex::reload()
{
    if (m_loading)
        return;
    m_loading = true;
    m_backend->listBots(this, [this](const BotListing &listing) { loaded(listing); });
}

void BotIndex::loaded(const BotListing &listing)
{
    m_loading = false;
    m_keys.clear();
    for (const BotInfo &bot : listing.bots)
        m_keys.insert(bot.key, bot.sourceFile);
    m_problems = listing.problems;
    m_loadedAt.start();

    const QList<Waiting> waiting = std::exchange(m_waiting, {});
    for (const Waiting &w : waiting) {
        if (!w.context)
            continue;
        if (m_keys.contains(w.key)) {
            w.answer(true, {});
            continue;
        }
        QString why = u"bot \"%1\" not found: check the key, and that the bot file is in one of the server's bot folders"_s.arg(w.key);
        for (const LoadProblem &problem : std::as_const(m_problems)) {
            if (QFileInfo(problem.file).fileName() == w.key + u".bot.json"_s) {
                // The file's name and line only: the server's folders are its own business.
                LoadProblem shown = problem;
                shown.file = QFileInfo(problem.file).fileName();
                why = u"bot \"%1\" could not be loaded: %2"_s.arg(w.key, shown.toString());
                break;
            }
        }
        w.answer(false, why);
    }
}

} // namespace invoke::server
