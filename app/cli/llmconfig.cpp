// Where llm.message goes for the CLI: the studio's settings, the environment, and the
// API key from the keychain when the environment gives none (as the studio keeps it).
#include "app/cli/commands.h"
#include "core/config/appidentity.h"
#include "core/config/llmsettings.h"
#include "core/config/secretstore.h"

#include <QtCore/QEventLoop>
#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

namespace invoke::cli {

LlmSettings llmSettings(bool needsLlm)
{
    LlmSettings llm = LlmSettings::fromSettings(QSettings()).withEnvironment();
    if (!needsLlm || !llm.isConfigured() || !llm.apiKey.isEmpty())
        return llm;
    // A missing or unreachable keychain is not an error here: local servers need no key,
    // and a server that does will say so in its answer.
    SecretStore secrets(keychainService());
    secrets.setTimeoutMs(3000);
    QEventLoop loop;
    bool done = false;
    secrets.read(SecretStore::llmApiKeyName(), &loop, [&](const SecretResult &result) {
        if (result.ok())
            llm.apiKey = result.value;
        done = true;
        loop.quit();
    });
    if (!done)
        loop.exec();
    return llm;
}

} // namespace invoke::cli
