#include "core/format/resultbuilder.h"

#include "core/wire/events.h"

using namespace Qt::StringLiterals;

namespace invoke {

namespace {

// The step path of an event: metadata.path, or the payload's key for servers that send
// no path (older servers and the plain SDK shape).
QString stepPathOf(const Event &event, const Json &payload)
{
    return event.path.isEmpty() ? stringField(payload, "key") : event.path;
}

// A member of an object, or null: no copy of a subtree that is only read.
const Json &memberOf(const Json &object, const char *key)
{
    static const Json null;
    if (!object.is_object())
        return null;
    const auto it = object.find(key);
    return it == object.end() ? null : *it;
}

// Appends a chunk to its message (found by message_content_id), in place.
void addChunk(InvokeResult &result, QHash<QString, int> &messageById, const Event &event,
              wire::TextChunk &&chunk)
{
    const auto found = messageById.constFind(chunk.messageContentId);
    if (found != messageById.cend()) {
        result.messages[*found].content += chunk.text;
        return;
    }
    StepMessage message;
    message.id = std::move(chunk.messageContentId);
    message.path = event.path;
    message.contentType = std::move(chunk.contentType);
    message.visible = chunk.visible;
    message.content = std::move(chunk.text);
    messageById.insert(message.id, int(result.messages.size()));
    result.messages.append(std::move(message));
}

} // namespace

void ResultBuilder::add(const QList<Event> &events)
{
    // No reserve() here: an exact reserve per batch would defeat the list's geometric
    // growth and copy every earlier event on each batch (quadratic over a run).
    for (const Event &event : events)
        add(event);
}

void ResultBuilder::add(const Event &event)
{
    m_result.events.append(event);
    // Text chunks are most of a stream: read them without a DOM when they are typed.
    if (event.type == QLatin1StringView(wire::EventType::MessageContent)) {
        if (auto chunk = wire::readTextChunk(event)) {
            addChunk(m_result, m_messageById, event, std::move(*chunk));
            return;
        }
    }
    const Json parsed = event.json();
    if (!parsed.is_object())
        return;
    const Json &payload = wire::payloadOf(parsed);
    const Json &meta = wire::metadataOf(parsed);

    switch (wire::kindOf(event, parsed)) {
    case wire::Kind::InvocationStarted:
        m_result.botName = stringField(payload, "bot_name", m_result.botName);
        m_result.botKey = stringField(payload, "bot_key", m_result.botKey);
        m_result.botId = stringField(payload, "bot_id", m_result.botId);
        m_result.invocationId = stringField(payload, "invocation_id",
                                            stringField(meta, "invocation_id", m_result.invocationId));
        break;

    case wire::Kind::StepStarted: {
        StepRecord step;
        step.path = stepPathOf(event, payload);
        step.key = stringField(payload, "key", step.path.section(u'/', -1));
        step.actionType = stringField(payload, "action_type");
        step.parameters = memberOf(payload, "parameters");
        step.startedMs = event.tMs;
        // A path seen again (a step run twice) starts a new record; later events go to it.
        m_stepByPath.insert(step.path, int(m_result.steps.size()));
        m_result.steps.append(std::move(step));
        break;
    }

    case wire::Kind::MessageContent: {
        wire::TextChunk chunk;
        chunk.messageContentId = stringField(meta, "message_content_id");
        if (payload.is_string())
            chunk.text = toQString(payload.get_ref<const std::string &>());
        else if (!payload.is_null())
            chunk.text = QString::fromUtf8(dumpJson(payload));
        chunk.contentType = stringField(meta, "content_type", chunk.contentType);
        chunk.visible = stringField(meta, "user_visibility", u"visible"_s) == u"visible"_s;
        addChunk(m_result, m_messageById, event, std::move(chunk));
        break;
    }

    case wire::Kind::StepFinished: {
        const QString path = stepPathOf(event, payload);
        int index = stepIndex(path);
        if (index < 0) {
            // Skipped steps (and servers that only report ends) send no step_started.
            StepRecord step;
            step.path = path;
            step.key = stringField(payload, "key", path.section(u'/', -1));
            index = int(m_result.steps.size());
            m_stepByPath.insert(path, index);
            m_result.steps.append(std::move(step));
        }
        StepRecord &step = m_result.steps[index];
        if (step.actionType.isEmpty())
            step.actionType = stringField(payload, "action_type");
        const Json &result = memberOf(payload, "result");
        step.error = stringField(result, "error");
        step.status = stringField(result, "status",
                                  QString::fromLatin1(step.error.isEmpty() ? StepStatus::Success
                                                                           : StepStatus::Error));
        step.output = memberOf(result, "output");
        step.source = stringField(meta, "source", step.source);
        step.durationMs = intField(meta, "duration_ms", step.durationMs);
        if (const Json &usage = memberOf(meta, "usage"); usage.is_object()) {
            step.inputTokens = intField(usage, "input_tokens", -1);
            step.outputTokens = intField(usage, "output_tokens", -1);
        }
        break;
    }

    case wire::Kind::InvocationFinished: {
        m_finalSeen = true;
        m_result.result = payload;
        const QString status = stringField(payload, "status");
        m_result.success = status == u"success"_s;
        m_result.error = stringField(payload, "error");
        if (!m_result.success && m_result.error.isEmpty())
            m_result.error = status.isEmpty() ? u"the invocation ended without a status"_s
                                              : u"the invocation ended with status \"%1\""_s.arg(status);
        break;
    }

    case wire::Kind::Status:
    case wire::Kind::Unknown:
        break;
    }
}

void ResultBuilder::markCancelled()
{
    for (StepRecord &step : m_result.steps)
        if (step.status == QLatin1String(StepStatus::Running))
            step.status = QString::fromLatin1(StepStatus::Cancelled);
    m_result.cancelled = true;
    m_result.success = false;
    if (m_result.error.isEmpty())
        m_result.error = u"cancelled"_s;
}

void ResultBuilder::markFailed(const QString &error)
{
    const QString why = error.isEmpty() ? u"the invocation failed"_s : error;
    // Steps still running never finished: they failed with the run.
    for (StepRecord &step : m_result.steps) {
        if (step.status == QLatin1String(StepStatus::Running)) {
            step.status = QString::fromLatin1(StepStatus::Error);
            step.error = why;
        }
    }
    m_result.success = false;
    m_result.error = why;
}

int ResultBuilder::stepIndex(const QString &path) const
{
    return m_stepByPath.value(path, -1);
}

} // namespace invoke
