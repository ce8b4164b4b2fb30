#pragma once
// The event shapes of the wire contract (docs/events.md): the one place that knows how
// each kind of event is spelled. Producers build events here; consumers classify them
// with kindOf() and read fields with the accessors, which tolerate unknown fields and
// events from servers that send no "type" and no metadata additions.
#include "core/model/event.h"
#include "core/model/invocation/runvalues.h"

namespace invoke::wire {

namespace EventType {
inline constexpr char InvocationStarted[] = "invocation_started";
inline constexpr char StepStarted[] = "step_started";
inline constexpr char MessageContent[] = "message_content";
inline constexpr char StepFinished[] = "step_finished";
inline constexpr char Status[] = "status";
inline constexpr char InvocationFinished[] = "invocation_finished";
} // namespace EventType

// The "type" word of a kind ("step_started"); empty for EventKind::Unknown.
QLatin1StringView typeName(EventKind kind);
// The kind a "type" word names; Unknown for an empty or unknown word (a newer server's
// kind of event: consumers skip it).
EventKind kindOfType(QStringView type);

// The metadata every event of ours carries.
struct Stamp
{
    QString invocationId;
    qint64 seq = 0;
    qint64 tMs = 0;
    QString path; // step path, empty for invocation-level events
};

struct Usage
{
    qint64 inputTokens = -1;
    qint64 outputTokens = -1;
    bool known() const { return inputTokens >= 0 || outputTokens >= 0; }
};

// metadata.user_visibility of a step's own events (step_started, step_finished): the
// step's visibility setting, which the public SDK's text output reads to decide whether
// to print the step. Unstated writes nothing (a producer that does not know it).
enum class StepVisibility { Unstated, Visible, Hidden };
inline StepVisibility stepVisibility(bool visible)
{
    return visible ? StepVisibility::Visible : StepVisibility::Hidden;
}

// payload {bot_name, bot_key, bot_id, invocation_id}
Event invocationStarted(const Stamp &stamp, const QString &botName, const QString &botKey,
                        const QString &botId);
// payload {key, action_type, parameters}; metadata {user_visibility} unless Unstated
Event stepStarted(const Stamp &stamp, const QString &key, const QString &actionType,
                  const Json &parameters, StepVisibility visibility = StepVisibility::Unstated);
// payload: the text chunk (a string); metadata {message_content_id, content_type, user_visibility}
Event messageContent(const Stamp &stamp, const QString &chunk, const QString &messageContentId,
                     const QString &contentType, bool visible);
// payload {status: "step finished", key, action_type, result: {status, output, error}};
// metadata {source, duration_ms, usage: {input_tokens, output_tokens}, user_visibility}
// (source omitted when Unknown, user_visibility when Unstated), and replay_miss when given:
// why a replay step was not answered from the cache (core/cache/missexplanation.h)
Event stepFinished(const Stamp &stamp, const QString &key, const QString &actionType,
                   StepStatus status, const Json &output, const QString &error,
                   Source source, qint64 durationMs, const Usage &usage = {},
                   StepVisibility visibility = StepVisibility::Unstated, const Json &replayMiss = Json());
// payload {status, message} (utils.send_status)
Event statusUpdate(const Stamp &stamp, const QString &status, const QString &message);
// payload {status, output: {content: [{content_type, content}]}, error}: always the last event
Event invocationFinished(const Stamp &stamp, const QString &status, const Json &content,
                         const QString &error);

// Classifies by "type" when present, else by the payload's shape (plain SDK servers).
EventKind kindOf(const Event &event, const Json &parsed);
inline EventKind kindOf(const Event &event) { return kindOf(event, event.json()); }

// Accessors over a parsed event; each returns an empty value when absent.
const Json &payloadOf(const Json &parsed);
const Json &metadataOf(const Json &parsed);

// The fields of a message_content event (a text chunk), read in one SAX pass without a
// DOM: text chunks are most of a stream, and consumers fold them by the thousand.
// Defaults as for the parsed event: content_type "text", visible unless user_visibility
// says otherwise. nullopt when the raw bytes are not JSON or the payload is not a string.
struct TextChunk
{
    QString text;
    QString messageContentId;
    QString contentType = QStringLiteral("text");
    bool visible = true;
};
std::optional<TextChunk> readTextChunk(const Event &event);

} // namespace invoke::wire
