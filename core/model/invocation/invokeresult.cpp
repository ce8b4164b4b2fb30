#include "core/model/invocation/invokeresult.h"

using namespace Qt::StringLiterals;

namespace invoke {

Json StepRecord::toJson() const
{
    Json j{{"path", toStd(path)}, {"key", toStd(key)}, {"action_type", toStd(actionType)},
           {"status", toStd(wireName(status))}, {"source", toStd(wireName(source))}, {"parameters", parameters},
           {"output", output}, {"error", toStd(error)}, {"started_ms", startedMs},
           {"duration_ms", durationMs}};
    if (inputTokens >= 0 || outputTokens >= 0)
        j["usage"] = Json{{"input_tokens", inputTokens}, {"output_tokens", outputTokens}};
    if (!replayMiss.is_null())
        j["replay_miss"] = replayMiss;
    return j;
}

StepRecord StepRecord::fromJson(const Json &value)
{
    StepRecord s;
    s.path = stringField(value, "path");
    s.key = stringField(value, "key");
    s.actionType = stringField(value, "action_type");
    // No status: still running; a word we do not know: a step that did not succeed.
    const QString status = stringField(value, "status");
    s.status = status.isEmpty() ? StepStatus::Running : stepStatusFromWire(status).value_or(StepStatus::Error);
    s.source = sourceFromWire(stringField(value, "source"));
    s.parameters = value.value("parameters", Json());
    s.output = value.value("output", Json());
    s.error = stringField(value, "error");
    s.startedMs = intField(value, "started_ms", -1);
    s.durationMs = intField(value, "duration_ms", -1);
    const Json usage = value.value("usage", Json::object());
    s.inputTokens = intField(usage, "input_tokens", -1);
    s.outputTokens = intField(usage, "output_tokens", -1);
    s.replayMiss = value.value("replay_miss", Json());
    return s;
}

Json StepMessage::toJson() const
{
    return Json{{"message_content_id", toStd(id)}, {"path", toStd(path)},
                {"content_type", toStd(contentType)},
                {"user_visibility", visible ? "visible" : "hidden"}, {"content", toStd(content)}};
}

StepMessage StepMessage::fromJson(const Json &value)
{
    StepMessage m;
    m.id = stringField(value, "message_content_id");
    m.path = stringField(value, "path");
    m.contentType = stringField(value, "content_type", u"text"_s);
    m.visible = stringField(value, "user_visibility", u"visible"_s) == u"visible"_s;
    m.content = stringField(value, "content");
    return m;
}

QString InvokeResult::visibleText() const
{
    QString text;
    for (const StepMessage &m : messages)
        if (m.visible)
            text += m.content;
    return text;
}

QList<Message> InvokeResult::assistantMessages() const
{
    QList<Message> list;
    for (const StepMessage &m : messages)
        list.append(Message::assistant(m.content));
    return list;
}

Json InvokeResult::toJson() const
{
    Json events_ = Json::array();
    for (const Event &e : events)
        events_.push_back(e.json());
    Json messages_ = Json::array();
    for (const StepMessage &m : messages)
        messages_.push_back(m.toJson());
    Json steps_ = Json::array();
    for (const StepRecord &s : steps)
        steps_.push_back(s.toJson());
    return Json{{"success", success},     {"bot_id", toStd(botId)},
                {"bot_key", toStd(botKey)}, {"bot_name", toStd(botName)},
                {"invocation_id", toStd(invocationId)},
                {"result", result},       {"error", error.isEmpty() ? Json() : Json(toStd(error))},
                {"events", events_},      {"messages", messages_},
                {"steps", steps_},        {"cancelled", cancelled}};
}

InvokeResult InvokeResult::fromJson(const Json &value)
{
    InvokeResult r;
    r.success = boolField(value, "success");
    r.botId = stringField(value, "bot_id");
    r.botKey = stringField(value, "bot_key");
    r.botName = stringField(value, "bot_name");
    r.invocationId = stringField(value, "invocation_id");
    r.result = value.value("result", Json());
    r.error = stringField(value, "error");
    for (const Json &e : value.value("events", Json::array()))
        r.events.append(Event::fromJson(e));
    for (const Json &m : value.value("messages", Json::array()))
        r.messages.append(StepMessage::fromJson(m));
    for (const Json &s : value.value("steps", Json::array()))
        r.steps.append(StepRecord::fromJson(s));
    r.cancelled = boolField(value, "cancelled");
    return r;
}

} // namespace invoke
