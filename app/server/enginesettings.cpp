// applyEngineSettings (declared in app/server/serverarguments.h).
#include "app/server/serverarguments.h"

#include "core/backend/localbackend.h"
#include "core/config/environmentsecret.h"

namespace invoke::server {

void applyEngineSettings(const ServerArguments &args, LocalBackendOptions *engine)
{
    engine->llm = LlmSettings{}.withEnvironment();
    // Nothing the engine runs may find a secret in this process's environment.
    takeKnownSecretsFromEnvironment();
    engine->sandbox.allowUnsandboxedCode = args.allowUnsandboxedCode;
    engine->sandbox.tmpBytes = args.sandboxTmpBytes;
    engine->sandbox.workBytes = args.sandboxWorkBytes;
}

} // namespace invoke::server
