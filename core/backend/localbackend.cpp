#include "core/backend/localbackend.h"

#include "core/backend/localinvocation.h"
#include "core/config/paths.h"
#include "core/datasets/datasetstore.h"
#include "core/engine/botcatalog.h"
#include "core/engine/botplanner.h"

#include <QtCore/QFuture>
#include <QtCore/QPromise>
#include <QtCore/QThreadPool>

using namespace Qt::StringLiterals;

namespace invoke {

LocalBackend::LocalBackend(Options options, QObject *parent)
    : Backend(parent), m_state(std::make_shared<LocalEngineState>())
{
    m_state->botFolders = options.botFolders.isEmpty() ? engine::BotCatalog::defaultFolders()
                                                       : options.botFolders;
    m_state->replayCacheFile = options.replayCacheFile.isEmpty() ? paths::replayCacheFile()
                                                                 : options.replayCacheFile;
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
    return m_state->replayCacheFile;
}

void LocalBackend::listBots(QObject *context, std::function<void(const BotListing &)> done)
{
    auto promise = std::make_shared<QPromise<BotListing>>();
    // then(context, ...) runs on the context's thread and never after it is destroyed.
    promise->future().then(context, [done = std::move(done)](const BotListing &listing) { done(listing); });
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
    promise->future().then(context, [done = std::move(done)](const DatasetListing &listing) { done(listing); });
    QThreadPool::globalInstance()->start([promise, store = m_state->datasets] {
        promise->start();
        promise->addResult(store->list());
        promise->finish();
    });
}

void LocalBackend::botPlan(const QString &key, QObject *context, std::function<void(const BotPlanResult &)> done)
{
    auto promise = std::make_shared<QPromise<BotPlanResult>>();
    promise->future().then(context, [done = std::move(done)](const BotPlanResult &result) { done(result); });
    QThreadPool::globalInstance()->start([promise, state = m_state, key] {
        promise->start();
        engine::BotCatalog catalog;
        catalog.load(state->botFolders, state->botFiles.get());
        BotPlanResult result;
        if (const engine::BotDefinition *bot = catalog.find(key))
            result.plan = engine::botPlan(*bot, catalog);
        else
            result.error = engine::missingBotReason(catalog, key);
        promise->addResult(result);
        promise->finish();
    });
}

Invocation *LocalBackend::invoke(const InvokeRequest &request, QObject *parent)
{
    auto *invocation = new LocalInvocation(m_state, request, parent);
    m_invocations.removeIf([](const QPointer<LocalInvocation> &p) { return p.isNull(); });
    m_invocations.append(invocation);
    invocation->start();
    return invocation;
}

} // namespace invoke
