#pragma once
// The commands of invoke-cli. Each returns the process's exit code (cli::ExitCode).
#include "app/cli/cliarguments.h"

namespace invoke {
class Backend;
struct LlmSettings;
}

namespace invoke::cli {

int runBots(Backend &backend, const BotsArguments &args);
int runInvoke(Backend &backend, const InvokeArguments &args);
int runCache(const QString &cacheFile, const CacheArguments &args);

// The LLM server settings; with `needsLlm`, the API key is read from the keychain when
// INVOKE_LLM_API_KEY does not give one.
LlmSettings llmSettings(bool needsLlm);

} // namespace invoke::cli
