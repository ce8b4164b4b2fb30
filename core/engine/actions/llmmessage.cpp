#include "core/engine/actions/llmmessage.h"

#include "core/engine/actionregistry.h"
#include "core/engine/actions/llmchatstream.h"

#include <QtCore/QUrl>

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

QString describe(const Json &value)
{
    return QString::fromUtf8(dumpJson(value));
}

// The text of a parameter that should be a string; numbers and objects render as JSON.
QString textOf(const Json &value)
{
    return value.is_string() ? toQString(value.get_ref<const std::string &>()) : describe(value);
}

bool present(const Json &parameters, const char *name)
{
    return parameters.is_object() && parameters.contains(name) && !parameters[name].is_null();
}

} // namespace

LlmMessageAction::LlmMessageAction(LlmSettings settings)
    : m_settings(std::move(settings))
{
}

std::optional<Json> LlmMessageAction::requestBody(const Json &parameters, const QList<Message> &conversation,
                                                  const QString &defaultModel, QString *error)
{
    const auto fail = [&](const QString &message) -> std::optional<Json> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (!parameters.is_null() && !parameters.is_object())
        return fail(u"parameters must be an object, got %1"_s.arg(describe(parameters)));

    Json body = Json::object();
    const QString model = present(parameters, "model") ? textOf(parameters["model"]) : defaultModel;
    if (!model.isEmpty()) // servers that serve one model (llama.cpp) need none
        body["model"] = toStd(model);

    Json messages = Json::array();
    if (present(parameters, "system_prompt")) {
        if (const QString system = textOf(parameters["system_prompt"]); !system.isEmpty())
            messages.push_back({{"role", "system"}, {"content", toStd(system)}});
    }
    QList<Message> history = conversation;
    if (present(parameters, "message_history")) {
        QString why;
        const auto given = messagesFromJson(parameters["message_history"], &why);
        if (!given)
            return fail(u"parameter message_history: %1"_s.arg(why));
        history = *given;
    }
    for (const Message &m : std::as_const(history))
        messages.push_back({{"role", toStd(m.role)}, {"content", toStd(m.content)}});
    if (present(parameters, "query")) {
        const QString query = textOf(parameters["query"]);
        // {{query}} is usually the conversation's last user message: do not send it twice.
        const bool alreadyLast = !history.isEmpty() && history.last().role == "user"_L1
            && history.last().content == query;
        if (!query.isEmpty() && !alreadyLast)
            messages.push_back({{"role", "user"}, {"content", toStd(query)}});
    }
    if (std::none_of(messages.begin(), messages.end(), [](const Json &m) { return m["role"] != "system"; }))
        return fail(u"nothing to send: give a query or a message_history (the conversation is empty)"_s);
    body["messages"] = std::move(messages);

    if (present(parameters, "max_tokens")) {
        const Json &value = parameters["max_tokens"];
        const bool whole = value.is_number_integer()
            || (value.is_number_float() && value.get<double>() == double(qint64(value.get<double>())));
        if (!whole || value.get<double>() <= 0)
            return fail(u"parameter max_tokens must be a positive whole number, got %1"_s.arg(describe(value)));
        body["max_tokens"] = qint64(value.get<double>());
    }
    if (present(parameters, "temperature")) {
        const Json &value = parameters["temperature"];
        if (!value.is_number())
            return fail(u"parameter temperature must be a number, got %1"_s.arg(describe(value)));
        body["temperature"] = value;
    }
    if (present(parameters, "response_format")) {
        const Json &value = parameters["response_format"];
        if (value.is_object())
            body["response_format"] = value;
        else if (value == "json" || value == "json_object")
            body["response_format"] = {{"type", "json_object"}};
        else if (value == "text")
            body["response_format"] = {{"type", "text"}};
        else
            return fail(u"parameter response_format must be \"json\", \"text\" or an object such as "
                        "{\"type\": \"json_object\"}, got %1"_s.arg(describe(value)));
    }
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
    return body;
}

Json LlmMessageAction::effectiveParameters(const Json &rendered, const ActionContext &context) const
{
    if (!rendered.is_object())
        return rendered; // requestBody() reports the bad shape
    Json parameters = rendered;
    if (!present(parameters, "message_history"))
        parameters["message_history"] = invoke::toJson(context.conversation());
    if (!present(parameters, "model") && !m_settings.model.isEmpty())
        parameters["model"] = toStd(m_settings.model);
    return parameters;
}

ActionOutcome LlmMessageAction::run(const ActionCall &call, ActionContext &context)
{
    if (!m_settings.isConfigured())
        return ActionOutcome::failure(
            u"llm.message is not configured: set the LLM server's base URL with INVOKE_LLM_BASE_URL "
            "(for example http://localhost:11434/v1) or in the studio's settings"_s);
    QString base = m_settings.baseUrl.trimmed();
    while (base.endsWith(u'/'))
        base.chop(1);
    const QUrl url(base + u"/chat/completions"_s);
    if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1) || url.host().isEmpty())
        return ActionOutcome::failure(u"the LLM base URL \"%1\" is not an http:// or https:// URL"_s
                                          .arg(QUrl(base).toDisplayString(QUrl::RemoveUserInfo)));
    QString error;
    const auto body = requestBody(call.parameters, context.conversation(), m_settings.model, &error);
    if (!body)
        return ActionOutcome::failure(u"llm.message: "_s + error);
    if (context.cancelToken().isCancelled())
        return ActionOutcome::failure(u"cancelled before the request to the LLM server was sent"_s);
    return streamChatCompletion(m_settings, url, *body, context);
}

void registerLlmAction(ActionRegistry &registry, const LlmSettings &llm)
{
    registry.add(ActionType::LlmMessage, std::make_shared<LlmMessageAction>(llm));
}

} // namespace invoke::engine
