#include "core/config/llmsettings.h"

#include "core/config/environmentsecret.h"

#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

namespace invoke {

LlmSettings LlmSettings::fromSettings(const QSettings &settings)
{
    LlmSettings s;
    s.baseUrl = settings.value(u"llm/base_url"_s).toString();
    s.model = settings.value(u"llm/model"_s).toString();
    s.timeoutSeconds = settings.value(u"llm/timeout_seconds"_s, s.timeoutSeconds).toInt();
    return s;
}

void LlmSettings::saveTo(QSettings &settings) const
{
    settings.setValue(u"llm/base_url"_s, baseUrl);
    settings.setValue(u"llm/model"_s, model);
    settings.setValue(u"llm/timeout_seconds"_s, timeoutSeconds);
}

LlmSettings LlmSettings::withEnvironment() const
{
    LlmSettings s = *this;
    if (qEnvironmentVariableIsSet("INVOKE_LLM_BASE_URL"))
        s.baseUrl = qEnvironmentVariable("INVOKE_LLM_BASE_URL");
    if (qEnvironmentVariableIsSet("INVOKE_LLM_MODEL"))
        s.model = qEnvironmentVariable("INVOKE_LLM_MODEL");
    // Read once, then wiped from the environment (core/config/environmentsecret.h).
    if (const std::optional<QString> key = takeSecretFromEnvironment("INVOKE_LLM_API_KEY"))
        s.apiKey = *key;
    return s;
}

} // namespace invoke
