#pragma once
// The reader of llm.message's answer: POST the chat-completions body to an
// OpenAI-compatible server with stream: true and read its text/event-stream, each text
// delta going out through ActionContext::emitContent as it arrives. A server that
// ignores stream: true and answers one chat.completion object is read too. Errors name
// the server (without credentials) and keep the text that did arrive.
#include "core/config/llmsettings.h"
#include "core/engine/action.h"

class QUrl;

namespace invoke::engine {

// Blocks the calling (worker) thread in a local event loop until the answer is in, the
// request fails, no byte comes for settings.timeoutSeconds, or the context's cancel token
// fires. Output {content, usage: {input_tokens, output_tokens}, finish_reason}.
ActionOutcome streamChatCompletion(const LlmSettings &settings, const QUrl &url, const Json &body,
                                   ActionContext &context);

} // namespace invoke::engine
