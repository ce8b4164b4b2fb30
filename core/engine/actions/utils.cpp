// The pure utils.* actions: computed in every mode (README.md, Modes), never cached.
#include "core/engine/actionregistry.h"

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

// The first of `names` present in the parameters (the first name is the documented one,
// the rest aliases), or null.
const Json *parameter(const ActionCall &call, std::initializer_list<const char *> names)
{
    if (!call.parameters.is_object())
        return nullptr;
    for (const char *name : names) {
        const auto it = call.parameters.find(name);
        if (it != call.parameters.end())
            return &*it;
    }
    return nullptr;
}

ActionOutcome missing(const ActionCall &call, const char *name)
{
    return ActionOutcome::failure(
        u"%1: missing parameter \"%2\""_s.arg(call.actionType, QLatin1String(name)));
}

// Text for a value that may be any JSON: strings as they are, the rest as compact JSON.
QString textOf(const Json &value)
{
    if (value.is_string())
        return toQString(value.get_ref<const std::string &>());
    if (value.is_null())
        return {};
    return QString::fromUtf8(dumpJson(value));
}

class Echo : public Action
{
public:
    ActionOutcome run(const ActionCall &call, ActionContext &) override
    {
        const Json *data = parameter(call, {"data"});
        if (!data)
            return missing(call, "data");
        return ActionOutcome::success(*data);
    }
};

// LLMs like to wrap JSON in a Markdown fence (```json ... ```): unwrap it.
QByteArray unfenced(QByteArray text)
{
    text = text.trimmed();
    if (!text.startsWith("```"))
        return text;
    const qsizetype firstLineEnd = text.indexOf('\n');
    if (firstLineEnd < 0)
        return text;
    text = text.mid(firstLineEnd + 1);
    if (text.endsWith("```"))
        text.chop(3);
    return text.trimmed();
}

class ParseJson : public Action
{
public:
    ActionOutcome run(const ActionCall &call, ActionContext &) override
    {
        const Json *data = parameter(call, {"json_data", "data"});
        if (!data)
            return missing(call, "json_data");
        if (data->is_null())
            return ActionOutcome::failure(u"%1: \"json_data\" is null"_s.arg(call.actionType));
        if (!data->is_string()) // already a parsed value (a template kept its type)
            return ActionOutcome::success(*data);
        const QByteArray text = unfenced(QByteArray::fromStdString(data->get<std::string>()));
        if (text.isEmpty())
            return ActionOutcome::failure(u"%1: \"json_data\" is empty"_s.arg(call.actionType));
        QString error;
        Json parsed = parseJson(text, &error);
        if (parsed.is_discarded())
            return ActionOutcome::failure(
                u"%1: \"json_data\" is not valid JSON: %2"_s.arg(call.actionType, error));
        return ActionOutcome::success(std::move(parsed));
    }
};

class SendStatus : public Action
{
public:
    ActionOutcome run(const ActionCall &call, ActionContext &context) override
    {
        const Json *status = parameter(call, {"status"});
        if (!status)
            return missing(call, "status");
        if (!status->is_string() || status->get_ref<const std::string &>().empty())
            return ActionOutcome::failure(
                u"%1: \"status\" must be a non-empty string"_s.arg(call.actionType));
        const Json *message = parameter(call, {"message"});
        const QString statusText = textOf(*status);
        const QString messageText = message ? textOf(*message) : QString();
        context.emitStatus(statusText, messageText);
        return ActionOutcome::success(
            Json{{"status", toStd(statusText)}, {"message", toStd(messageText)}});
    }
};

class Write : public Action
{
public:
    ActionOutcome run(const ActionCall &call, ActionContext &context) override
    {
        const Json *content = parameter(call, {"content", "message"});
        if (!content)
            return missing(call, "content");
        const QString text = textOf(*content);
        if (!text.isEmpty())
            context.emitContent(text);
        return ActionOutcome::success(Json{{"content", toStd(text)}});
    }
};

class Raise : public Action
{
public:
    ActionOutcome run(const ActionCall &call, ActionContext &) override
    {
        const Json *message = parameter(call, {"message"});
        QString text = message ? textOf(*message) : QString();
        if (text.isEmpty())
            text = u"raised by the bot"_s;
        Json output{{"message", toStd(text)}};
        if (const Json *status = parameter(call, {"status"}); status && !status->is_null())
            output["status"] = toStd(textOf(*status));
        return ActionOutcome::failure(text, std::move(output));
    }
};

} // namespace

void registerUtilsActions(ActionRegistry &registry)
{
    registry.add(ActionType::UtilsEcho, std::make_shared<Echo>());
    registry.add(ActionType::UtilsParseJson, std::make_shared<ParseJson>());
    registry.add(ActionType::UtilsSendStatus, std::make_shared<SendStatus>());
    registry.add(ActionType::UtilsWrite, std::make_shared<Write>());
    registry.add(ActionType::UtilsRaise, std::make_shared<Raise>());
}

} // namespace invoke::engine
