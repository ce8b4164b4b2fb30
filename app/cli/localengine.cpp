#include "app/cli/localengine.h"

#include "app/cli/cache/cachechoice.h"
#include "core/backend/localbackend.h"
#include "core/config/paths.h"
#include "core/datasets/datasetcatalog.h"
#include "core/engine/botcatalog.h"

namespace invoke::cli {

std::unique_ptr<Backend> localBackend(const LocalEngineOptions &options)
{
    LocalBackend::Options engine;
    engine.botFolders = engine::BotCatalog::defaultFolders(options.extraBotFolders);
    engine.datasetFolders = datasets::DatasetCatalog::defaultFolders(options.extraDatasetFolders);
    engine.replayCacheFile = replayCacheUrl(options.cacheUrl);
    engine.cacheScope = replayCacheScope(options.cacheScope);
    engine.llm = options.llm;
    engine.sandbox = options.sandbox;
    engine.replayLookupOnly = options.replayLookupOnly;
    return std::make_unique<LocalBackend>(engine);
}

} // namespace invoke::cli
