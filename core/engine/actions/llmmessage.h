#pragma once
// llm.message: one chat completion from an OpenAI-compatible server (OpenAI, Ollama,
// llama.cpp's server, vLLM, LM Studio), streamed: POST {baseUrl}/chat/completions with
// stream: true; each text delta goes out through ActionContext::emitContent as it arrives.
// Output {content, usage: {input_tokens, output_tokens}, finish_reason}.
#include "core/config/llmsettings.h"
#include "core/engine/action.h"

#include <optional>

namespace invoke::engine {

class LlmMessageAction : public Action
{
public:
    explicit LlmMessageAction(LlmSettings settings);

    // Blocks the calling (worker) thread in a local event loop until the answer is in,
    // the request fails, or the context's cancel token fires.
    ActionOutcome run(const ActionCall &call, ActionContext &context) override;
    // Fills message_history from the conversation and model from the settings.
    Json effectiveParameters(const Json &rendered, const ActionContext &context) const override;

    // The chat-completions body for the step's parameters: model (default
    // `defaultModel`), system_prompt, query, message_history (default `conversation`),
    // max_tokens, temperature, response_format. nullopt with `error` on a bad parameter.
    static std::optional<Json> requestBody(const Json &parameters, const QList<Message> &conversation,
                                           const QString &defaultModel, QString *error);

private:
    LlmSettings m_settings;
};

} // namespace invoke::engine
