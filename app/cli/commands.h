#pragma once
// The commands of invoke-cli. Each returns the process's exit code (cli::ExitCode).
#include "app/cli/cliarguments.h"

namespace invoke {
class Backend;
}

namespace invoke::cli {

int runBots(Backend &backend, const BotsArguments &args);
int runInvoke(Backend &backend, const InvokeArguments &args);
int runCache(const QString &cacheFile, const CacheArguments &args);

} // namespace invoke::cli
