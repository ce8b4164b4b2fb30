#pragma once
#include <QtCore/QString>

class QSettings;

namespace invoke {

// Where llm.message sends its requests: an OpenAI-compatible chat-completions server.
// baseUrl is given as OpenAI's clients take it ("http://localhost:11434/v1"); the client
// appends "/chat/completions". The API key never goes into a settings file.
struct LlmSettings
{
    QString baseUrl;
    QString model;
    QString apiKey;
    int timeoutSeconds = 120; // no byte for this long fails the step

    bool isConfigured() const { return !baseUrl.isEmpty(); }

    // Reads base URL and model from settings (group "llm"); never the key.
    static LlmSettings fromSettings(const QSettings &settings);
    void saveTo(QSettings &settings) const; // base URL and model only
    // INVOKE_LLM_BASE_URL, INVOKE_LLM_MODEL, INVOKE_LLM_API_KEY override what is set. The
    // key is taken out of the process environment on the first call and kept in memory
    // (takeSecretFromEnvironment), so later calls still see it.
    LlmSettings withEnvironment() const;

    bool operator==(const LlmSettings &) const = default;
};

} // namespace invoke
