#include "core/wire/events.h"
#include "core/model/json/eventscan.h"

using namespace Qt::StringLiterals;

namespace invoke::wire {

static Json metadata(const Stamp &stamp)
{
    Json meta{{"invocation_id", toStd(stamp.invocationId)}, {"seq", stamp.seq}, {"t_ms", stamp.tMs}};
    if (!stamp.path.isEmpty())
        meta["path"] = toStd(stamp.path);
    return meta;
}

static void addVisibility(Json &meta, StepVisibility visibility)
{
    if (visibility != StepVisibility::Unstated)
        meta["user_visibility"] = visibility == StepVisibility::Visible ? "visible" : "hidden";
}

static Event make(const char *type, Json payload, Json meta)
{
    return Event::fromJson(Json{{"type", type}, {"payload", std::move(payload)}, {"metadata", std::move(meta)}});
}

Event invocationStarted(const Stamp &stamp, const QString &botName, const QString &botKey,
                        const QString &botId)
{
    return make(EventType::InvocationStarted,
                Json{{"bot_name", toStd(botName)}, {"bot_key", toStd(botKey)},
                     {"bot_id", toStd(botId)}, {"invocation_id", toStd(stamp.invocationId)}},
                metadata(stamp));
}

Event stepStarted(const Stamp &stamp, const QString &key, const QString &actionType,
                  const Json &parameters, StepVisibility visibility)
{
    Json meta = metadata(stamp);
    addVisibility(meta, visibility);
    return make(EventType::StepStarted,
                Json{{"key", toStd(key)}, {"action_type", toStd(actionType)}, {"parameters", parameters}},
                std::move(meta));
}

Event messageContent(const Stamp &stamp, const QString &chunk, const QString &messageContentId,
                     const QString &contentType, bool visible)
{
    Json meta = metadata(stamp);
    meta["message_content_id"] = toStd(messageContentId);
    meta["content_type"] = toStd(contentType);
    meta["user_visibility"] = visible ? "visible" : "hidden";
    return make(EventType::MessageContent, toStd(chunk), std::move(meta));
}

Event stepFinished(const Stamp &stamp, const QString &key, const QString &actionType,
                   StepStatus status, const Json &output, const QString &error,
                   Source source, qint64 durationMs, const Usage &usage, StepVisibility visibility,
                   const Json &replayMiss)
{
    Json result{{"status", toStd(wireName(status))}, {"output", output}};
    result["error"] = error.isEmpty() ? Json() : Json(toStd(error));
    Json meta = metadata(stamp);
    if (source != Source::Unknown)
        meta["source"] = toStd(wireName(source));
    if (durationMs >= 0)
        meta["duration_ms"] = durationMs;
    if (usage.known())
        meta["usage"] = Json{{"input_tokens", usage.inputTokens}, {"output_tokens", usage.outputTokens}};
    addVisibility(meta, visibility);
    if (!replayMiss.is_null())
        meta["replay_miss"] = replayMiss;
    return make(EventType::StepFinished,
                Json{{"status", "step finished"}, {"key", toStd(key)},
                     {"action_type", toStd(actionType)}, {"result", std::move(result)}},
                std::move(meta));
}

Event statusUpdate(const Stamp &stamp, const QString &status, const QString &message)
{
    return make(EventType::Status, Json{{"status", toStd(status)}, {"message", toStd(message)}},
                metadata(stamp));
}

Event invocationFinished(const Stamp &stamp, const QString &status, const Json &content,
                         const QString &error)
{
    Json payload{{"status", toStd(status)}, {"output", Json{{"content", content}}}};
    payload["error"] = error.isEmpty() ? Json() : Json(toStd(error));
    return make(EventType::InvocationFinished, std::move(payload), metadata(stamp));
}

static const Json &nullJson()
{
    static const Json null;
    return null;
}

const Json &payloadOf(const Json &parsed)
{
    if (!parsed.is_object())
        return nullJson();
    const auto it = parsed.find("payload");
    return it == parsed.end() ? nullJson() : *it;
}

const Json &metadataOf(const Json &parsed)
{
    if (!parsed.is_object())
        return nullJson();
    const auto it = parsed.find("metadata");
    return it == parsed.end() || !it->is_object() ? nullJson() : *it;
}

namespace {

// SAX handler for readTextChunk(): follows "payload" and three members of "metadata".
class TextChunkReader : public EventSaxReader<TextChunkReader>
{
public:
    TextChunk chunk;
    bool payloadIsString = false;

    enum Slot { None, Payload, Id, ContentType, Visibility };

    int topKey(const std::string &k)
    {
        if (k != "payload")
            return None;
        chunk.text.clear();
        payloadIsString = false;
        return Payload;
    }
    int metadataKey(const std::string &k)
    {
        if (k == "message_content_id") {
            chunk.messageContentId.clear();
            return Id;
        }
        if (k == "content_type") {
            chunk.contentType = u"text"_s;
            return ContentType;
        }
        if (k == "user_visibility") {
            chunk.visible = true;
            return Visibility;
        }
        return None;
    }
    void resetMetadata()
    {
        chunk.messageContentId.clear();
        chunk.contentType = u"text"_s;
        chunk.visible = true;
    }
    void onString(int slot, std::string &s)
    {
        switch (slot) {
        case Payload:
            chunk.text = toQString(s);
            payloadIsString = true;
            break;
        case Id: chunk.messageContentId = toQString(s); break;
        case ContentType: chunk.contentType = toQString(s); break;
        case Visibility: chunk.visible = s == "visible"; break;
        default: break;
        }
    }
    void onNumber(int, qint64) {}
};

} // namespace

std::optional<TextChunk> readTextChunk(const Event &event)
{
    TextChunkReader reader;
    if (!scanEvent(event.raw, reader) || !reader.payloadIsString)
        return std::nullopt;
    return std::move(reader.chunk);
}

QLatin1StringView typeName(EventKind kind)
{
    switch (kind) {
    case EventKind::InvocationStarted: return QLatin1StringView(EventType::InvocationStarted);
    case EventKind::StepStarted: return QLatin1StringView(EventType::StepStarted);
    case EventKind::MessageContent: return QLatin1StringView(EventType::MessageContent);
    case EventKind::StepFinished: return QLatin1StringView(EventType::StepFinished);
    case EventKind::Status: return QLatin1StringView(EventType::Status);
    case EventKind::InvocationFinished: return QLatin1StringView(EventType::InvocationFinished);
    case EventKind::Unknown: break;
    }
    return {};
}

EventKind kindOfType(QStringView type)
{
    for (const EventKind kind : {EventKind::InvocationStarted, EventKind::StepStarted, EventKind::MessageContent,
                                 EventKind::StepFinished, EventKind::Status, EventKind::InvocationFinished})
        if (type == typeName(kind))
            return kind;
    return EventKind::Unknown;
}

EventKind kindOf(const Event &event, const Json &parsed)
{
    if (!event.type.isEmpty()) {
        if (const EventKind kind = kindOfType(event.type); kind != EventKind::Unknown)
            return kind;
    }
    // No (known) type: read the shape the public SDK reads.
    const Json &payload = payloadOf(parsed);
    const Json &meta = metadataOf(parsed);
    if (payload.is_string())
        return meta.contains("message_content_id") ? EventKind::MessageContent : EventKind::Unknown;
    if (!payload.is_object())
        return EventKind::Unknown;
    const QString status = stringField(payload, "status");
    if (status == u"step finished"_s)
        return EventKind::StepFinished;
    if (payload.contains("bot_name") && payload.contains("invocation_id"))
        return EventKind::InvocationStarted;
    if (payload.contains("key") && payload.contains("action_type"))
        return EventKind::StepStarted;
    if (payload.contains("status") && payload.contains("output"))
        return EventKind::InvocationFinished;
    if (payload.contains("status") && payload.contains("message"))
        return EventKind::Status;
    return EventKind::Unknown;
}

} // namespace invoke::wire
