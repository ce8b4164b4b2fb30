#pragma once
// The commands of invoke-cli. Each returns the process's exit code (cli::ExitCode).
#include "app/cli/cliarguments.h"

namespace invoke {
class Backend;
struct InvokeResult;
struct LlmSettings;
}

namespace invoke::cli {

int runBots(Backend &backend, const BotsArguments &args);
int runDatasets(Backend &backend, const DatasetsArguments &args);
// `secrets` (the LLM API key) are masked in the mock set --save-mocks writes.
int runInvoke(Backend &backend, const InvokeArguments &args, const QStringList &secrets = {});
// The replay cache --cache / INVOKE_CACHE_URL names (app/cli/cache/).
int runCache(const CacheArguments &args);
int runMocks(const MocksArguments &args);

// Writes the run's mock set (engine::mockSetFromRun, redacted) to `filePath` and says on
// stderr how many mocks, what was masked where and which steps were left out.
bool saveRunMocks(const InvokeResult &result, const QString &filePath, const QStringList &secrets);

// The LLM server settings; with `needsLlm`, the API key is read from the keychain when
// INVOKE_LLM_API_KEY does not give one.
LlmSettings llmSettings(bool needsLlm);

} // namespace invoke::cli
