#pragma once
// The embedded engine as invoke-cli's commands build it: the bundled bots and datasets,
// the user's folders, the ones given on the command line, and the studio's replay cache.
#include "core/config/llmsettings.h"
#include "core/config/sandboxsettings.h"

#include <QtCore/QStringList>

#include <memory>

namespace invoke {
class Backend;
}

namespace invoke::cli {

struct LocalEngineOptions
{
    QStringList extraBotFolders;     // --bots-dir
    QStringList extraDatasetFolders; // --datasets-dir
    LlmSettings llm;
    SandboxSettings sandbox;
    bool replayLookupOnly = false;   // --offline: replay reads the cache, never runs or stores
    QString cacheUrl;   // --cache; empty: INVOKE_CACHE_URL, then the user's replay.sqlite
    QString cacheScope; // --scope; empty: INVOKE_CACHE_SCOPE, then "local"
};

std::unique_ptr<Backend> localBackend(const LocalEngineOptions &options);

} // namespace invoke::cli
