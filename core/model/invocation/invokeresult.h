#pragma once
#include "core/model/event.h"
#include "core/model/invocation/message.h"
#include "core/model/invocation/runvalues.h"

namespace invoke {

// One step of a run, as the events told it.
struct StepRecord
{
    QString path; // "answer", "research/summarise"
    QString key;
    QString actionType;
    StepStatus status = StepStatus::Running;
    Source source = Source::Unknown;
    Json parameters; // rendered
    Json output;
    QString error;
    qint64 startedMs = -1;  // t_ms of the step-start event
    qint64 durationMs = -1;
    qint64 inputTokens = -1;  // -1 when unknown
    qint64 outputTokens = -1;
    Json replayMiss; // metadata.replay_miss of its step_finished: why replay missed (docs/cache.md)

    bool completed() const { return status == StepStatus::Success; }
    Json toJson() const;
    static StepRecord fromJson(const Json &value);
    bool operator==(const StepRecord &) const = default;
};

// A message any step produced (llm text, written output), in order of first chunk.
struct StepMessage
{
    QString id;          // message_content_id
    QString path;        // the step that produced it
    QString contentType; // "text" | "json"
    bool visible = true; // user_visibility == "visible"
    QString content;

    Json toJson() const;
    static StepMessage fromJson(const Json &value);
    bool operator==(const StepMessage &) const = default;
};

// The outcome of one invocation (the public SDK's InvokeResult, plus steps).
struct InvokeResult
{
    bool success = false;
    QString botId;
    QString botKey;
    QString botName;
    QString invocationId;
    Json result;   // {status, output: {content: [{content_type, content}]}, error}
    QString error; // empty on success
    // Every event of the run, in order, only when the caller asked for them
    // (Invocation::setKeepEvents; docs/architecture.md, "Who keeps a run's events").
    QList<Event> events;
    QList<StepMessage> messages; // every step's messages, sub-bots included
    QList<StepRecord> steps;     // in start order
    bool cancelled = false;

    // Visible message text of the whole run, concatenated (the summary's result).
    QString visibleText() const;
    // The messages in the public SDK's shape: [{role: "assistant", content}].
    QList<Message> assistantMessages() const;

    Json toJson() const;
    static InvokeResult fromJson(const Json &value);
    bool operator==(const InvokeResult &) const = default;
};

} // namespace invoke

Q_DECLARE_METATYPE(invoke::InvokeResult)
