#include "core/backend/backend.h"

using namespace Qt::StringLiterals;

namespace invoke {

void Backend::searchDataset(const QString &slug, const QString &, int, QObject *context,
                            std::function<void(const DatasetSearchResult &)> done)
{
    DatasetSearchResult result;
    result.failure = DatasetSearchResult::Failure::Failed;
    result.error = u"%1 cannot search datasets (asked to search \"%2\")"_s.arg(displayName(), slug);
    // Answered from the event loop, as the backends that search do.
    QMetaObject::invokeMethod(context, [done = std::move(done), result] { done(result); }, Qt::QueuedConnection);
}

Invocation *Backend::invokeWithBotFolders(const InvokeRequest &request, const QStringList &, QObject *parent)
{
    return invoke(request, parent);
}

void Backend::botPlanWithBotFolders(const QString &key, const QStringList &, QObject *context,
                                    std::function<void(const BotPlanResult &)> done)
{
    botPlan(key, context, std::move(done));
}

} // namespace invoke
