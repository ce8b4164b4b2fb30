#include "ui/connection/backendprovider.h"

#include "core/backend/invocation.h"

namespace invoke::ui {

BackendProvider::BackendProvider(Backend *embedded, QObject *parent) : Backend(parent), m_embedded(embedded)
{
}

BackendProvider::~BackendProvider() = default;

void BackendProvider::useEmbedded()
{
    if (!m_remote)
        return;
    ++m_generation;
    m_remote.reset();
    Q_EMIT backendChanged();
}

void BackendProvider::useRemote(std::unique_ptr<Backend> backend)
{
    ++m_generation;
    m_remote = std::move(backend);
    Q_EMIT backendChanged();
}

QString BackendProvider::displayName() const
{
    return current()->displayName();
}

void BackendProvider::listBots(QObject *context, std::function<void(const BotListing &)> done)
{
    current()->listBots(context, [this, generation = m_generation, done](const BotListing &listing) {
        if (generation == m_generation)
            done(listing);
    });
}

void BackendProvider::listDatasets(QObject *context, std::function<void(const DatasetListing &)> done)
{
    current()->listDatasets(context, [this, generation = m_generation, done](const DatasetListing &listing) {
        if (generation == m_generation)
            done(listing);
    });
}

void BackendProvider::botPlan(const QString &key, QObject *context, std::function<void(const BotPlanResult &)> done)
{
    current()->botPlan(key, context, [this, generation = m_generation, done](const BotPlanResult &result) {
        if (generation == m_generation)
            done(result);
    });
}

void BackendProvider::botPlanWithBotFolders(const QString &key, const QStringList &botFolders, QObject *context,
                                            std::function<void(const BotPlanResult &)> done)
{
    current()->botPlanWithBotFolders(key, botFolders, context,
                                     [this, generation = m_generation, done](const BotPlanResult &result) {
        if (generation == m_generation)
            done(result);
    });
}

void BackendProvider::searchDataset(const QString &slug, const QString &query, int limit, QObject *context,
                                    std::function<void(const DatasetSearchResult &)> done)
{
    current()->searchDataset(slug, query, limit, context,
                             [this, generation = m_generation, done](const DatasetSearchResult &result) {
        if (generation == m_generation)
            done(result);
    });
}

Invocation *BackendProvider::invoke(const InvokeRequest &request, QObject *parent)
{
    return current()->invoke(request, parent);
}

Invocation *BackendProvider::invokeWithBotFolders(const InvokeRequest &request, const QStringList &botFolders,
                                                  QObject *parent)
{
    return current()->invokeWithBotFolders(request, botFolders, parent);
}

} // namespace invoke::ui
