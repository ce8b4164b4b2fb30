#include "core/backend/localbackend.h"

#include "core/backend/localinvocation.h"
#include "core/config/paths.h"
#include "core/datasets/datasetstore.h"
#include "core/engine/botcatalog.h"
#include "core/engine/botplanner.h"

#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>
#include <QtCore/QPromise>
#include <QtCore/QThreadPool>

using namespace Qt::StringLiterals;

namespace invoke {

namespace {

// Hands `future`'s result to `done` on the caller's thread, and never once `context` is
// gone: a watcher made here, owned by the context, dies with it. Not QFuture::then(context,
// ...): Qt 6.4's continuation asserts that the context still lives when the future
// finishes (Q_ASSERT(context) in qfuture_impl.h), so a context destroyed first crashed a
// debug build and was undefined behaviour in a release one.
template <typename T>
void deliver(QFuture<T> future, QObject *context, std::function<void(const T &)> done)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, done = std::move(done)] {
        const T result = watcher->result();
        watcher->deleteLater(); // before done(), which may destroy the context
        done(result);
    });
    watcher->setFuture(std::move(future));
}

} // namespace

LocalBackend::LocalBackend(Options options, QObject *parent)
    : Backend(parent), m_state(std::make_shared<LocalEngineState>())
{
    m_state->botFolders = options.botFolders.isEmpty() ? engine::BotCatalog::defaultFolders()
                                                       : options.botFolders;
    m_state->setReplayCacheUrl(options.replayCacheFile.isEmpty() ? paths::replayCacheFile()
                                                                 : options.replayCacheFile);
    m_state->setLlm(options.llm);
    m_state->cacheableTypes = options.cacheableTypes;
    m_state->cacheScope = options.cacheScope;
    m_state->botFiles = options.botFiles ? options.botFiles : std::make_shared<engine::BotFileCache>();
    m_state->replayLookupOnly = options.replayLookupOnly;
    m_state->sandbox = options.sandbox;
    m_state->datasets = std::make_shared<const datasets::DatasetStore>(options.datasetFolders,
                                                                        options.datasetIndexFile);
}

LocalBackend::~LocalBackend()
{
    for (const QPointer<LocalInvocation> &invocation : std::as_const(m_invocations))
        if (invocation)
            invocation->shutdown();
}

QString LocalBackend::displayName() const
{
    return u"Embedded engine"_s;
}

LlmSettings LocalBackend::llmSettings() const
{
    return m_state->llm();
}

void LocalBackend::setLlmSettings(const LlmSettings &settings)
{
    m_state->setLlm(settings);
}

QStringList LocalBackend::botFolders() const
{
    return m_state->botFolders;
}

QString LocalBackend::replayCacheFile() const
{
    return m_state->replayCacheUrl();
}

void LocalBackend::setReplayCacheUrl(const QString &url)
{
    m_state->setReplayCacheUrl(url.isEmpty() ? paths::replayCacheFile() : url);
}

void LocalBackend::listBots(QObject *context, std::function<void(const BotListing &)> done)
{
    auto promise = std::make_shared<QPromise<BotListing>>();
    deliver(promise->future(), context, std::move(done));
    QThreadPool::globalInstance()->start([promise, state = m_state] {
        promise->start();
        engine::BotCatalog catalog;
        catalog.load(state->botFolders, state->botFiles.get());
        promise->addResult(BotListing{catalog.infos(), catalog.problems(), {}});
        promise->finish();
    });
}

QStringList LocalBackend::datasetFolders() const
{
    return m_state->datasets->folders();
}

void LocalBackend::listDatasets(QObject *context, std::function<void(const DatasetListing &)> done)
{
    auto promise = std::make_shared<QPromise<DatasetListing>>();
    deliver(promise->future(), context, std::move(done));
    QThreadPool::globalInstance()->start([promise, store = m_state->datasets] {
        promise->start();
        promise->addResult(store->list());
        promise->finish();
    });
}

void LocalBackend::botPlan(const QString &key, QObject *context, std::function<void(const BotPlanResult &)> done)
{
    botPlanWithBotFolders(key, {}, context, std::move(done));
}

void LocalBackend::botPlanWithBotFolders(const QString &key, const QStringList &botFolders, QObject *context,
                                         std::function<void(const BotPlanResult &)> done)
{
    auto promise = std::make_shared<QPromise<BotPlanResult>>();
    deliver(promise->future(), context, std::move(done));
    QThreadPool::globalInstance()->start([promise, state = m_state, key, botFolders] {
        promise->start();
        engine::BotCatalog catalog;
        // The bot and its sub-bots only, from the folders a run with `botFolders` reads.
        catalog.index(state->botFolders + botFolders, state->botFiles.get());
        BotPlanResult result;
        if (const engine::BotDefinition *bot = catalog.find(key))
            result.plan = engine::botPlan(*bot, catalog);
        else
            result.error = engine::missingBotReason(catalog, key);
        promise->addResult(result);
        promise->finish();
    });
}

void LocalBackend::searchDataset(const QString &slug, const QString &query, int limit, QObject *context,
                                 std::function<void(const DatasetSearchResult &)> done)
{
    auto promise = std::make_shared<QPromise<DatasetSearchResult>>();
    deliver(promise->future(), context, std::move(done));
    QThreadPool::globalInstance()->start([promise, store = m_state->datasets, slug, query, limit] {
        promise->start();
        promise->addResult(store->searchDataset(slug, query, limit));
        promise->finish();
    });
}

Invocation *LocalBackend::invoke(const InvokeRequest &request, QObject *parent)
{
    return invokeWithBotFolders(request, {}, parent);
}

Invocation *LocalBackend::invokeWithBotFolders(const InvokeRequest &request, const QStringList &botFolders,
                                               QObject *parent)
{
    auto *invocation = new LocalInvocation(m_state, request, parent, botFolders);
    m_invocations.removeIf([](const QPointer<LocalInvocation> &p) { return p.isNull(); });
    m_invocations.append(invocation);
    invocation->start();
    return invocation;
}

} // namespace invoke
