#include "core/fold/runfold.h"

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
              wire::TextChunk &&chunk, FoldChange &change)
{
    const auto found = messageById.constFind(chunk.messageContentId);
    if (found != messageById.cend()) {
        result.messages[*found].content += chunk.text;
        change.message = *found;
        return;
    }
    StepMessage message;
    message.id = std::move(chunk.messageContentId);
    message.path = event.path;
    message.contentType = std::move(chunk.contentType);
    message.visible = chunk.visible;
    message.content = std::move(chunk.text);
    change.message = int(result.messages.size());
    change.messageIsNew = true;
    messageById.insert(message.id, change.message);
    result.messages.append(std::move(message));
}

} // namespace

void RunFold::add(const QList<Event> &events)
{
    for (const Event &event : events)
        add(event);
}

FoldChange RunFold::add(const Event &event)
{
    ++m_eventCount;
    FoldChange change;
    // Text chunks are most of a stream: read them without a DOM when they are typed.
    if (event.type == QLatin1StringView(wire::EventType::MessageContent)) {
        if (auto chunk = wire::readTextChunk(event)) {
            change.kind = EventKind::MessageContent;
            addChunk(m_result, m_messageById, event, std::move(*chunk), change);
            return change;
        }
    }
    const Json parsed = event.json();
    if (!parsed.is_object())
        return change;
    const Json &payload = wire::payloadOf(parsed);
    const Json &meta = wire::metadataOf(parsed);

    change.kind = wire::kindOf(event, parsed);
    switch (change.kind) {
    case EventKind::InvocationStarted:
        m_result.botName = stringField(payload, "bot_name", m_result.botName);
        m_result.botKey = stringField(payload, "bot_key", m_result.botKey);
        m_result.botId = stringField(payload, "bot_id", m_result.botId);
        m_result.invocationId = stringField(payload, "invocation_id",
                                            stringField(meta, "invocation_id", m_result.invocationId));
        break;

    case EventKind::StepStarted: {
        StepRecord step;
        step.path = stepPathOf(event, payload);
        step.key = stringField(payload, "key", step.path.section(u'/', -1));
        step.actionType = stringField(payload, "action_type");
        step.parameters = memberOf(payload, "parameters");
        step.startedMs = event.tMs;
        // A path seen again (a step run twice) starts a new record; later events go to it.
        change.step = int(m_result.steps.size());
        change.stepIsNew = true;
        m_stepByPath.insert(step.path, change.step);
        m_result.steps.append(std::move(step));
        m_open.append(change.step);
        break;
    }

    case EventKind::MessageContent: {
        wire::TextChunk chunk;
        chunk.messageContentId = stringField(meta, "message_content_id");
        if (payload.is_string())
            chunk.text = toQString(payload.get_ref<const std::string &>());
        else if (!payload.is_null())
            chunk.text = QString::fromUtf8(dumpJson(payload));
        chunk.contentType = stringField(meta, "content_type", chunk.contentType);
        chunk.visible = stringField(meta, "user_visibility", u"visible"_s) == u"visible"_s;
        addChunk(m_result, m_messageById, event, std::move(chunk), change);
        break;
    }

    case EventKind::StepFinished: {
        const QString path = stepPathOf(event, payload);
        int index = path.isEmpty() ? innermostRunningStep() : stepIndex(path);
        if (index < 0 && path.isEmpty())
            break; // nothing running to close, and no name to open a step by
        if (index < 0) {
            // Skipped steps (and servers that only report ends) send no step_started.
            StepRecord step;
            step.path = path;
            step.key = stringField(payload, "key", path.section(u'/', -1));
            index = int(m_result.steps.size());
            m_stepByPath.insert(path, index);
            m_result.steps.append(std::move(step));
            change.stepIsNew = true;
        }
        change.step = index;
        m_open.removeOne(index);
        StepRecord &step = m_result.steps[index];
        if (step.actionType.isEmpty())
            step.actionType = stringField(payload, "action_type");
        const Json &result = memberOf(payload, "result");
        step.error = stringField(result, "error");
        step.status = finishedStatusFromWire(stringField(result, "status"), !step.error.isEmpty());
        step.output = memberOf(result, "output");
        if (const Source source = sourceFromWire(stringField(meta, "source")); source != Source::Unknown)
            step.source = source;
        step.durationMs = intField(meta, "duration_ms", step.durationMs);
        if (const Json &usage = memberOf(meta, "usage"); usage.is_object()) {
            step.inputTokens = intField(usage, "input_tokens", -1);
            step.outputTokens = intField(usage, "output_tokens", -1);
        }
        if (const Json &miss = memberOf(meta, "replay_miss"); miss.is_object())
            step.replayMiss = miss;
        break;
    }

    case EventKind::InvocationFinished: {
        m_finalSeen = true;
        m_result.result = payload;
        const QString status = stringField(payload, "status");
        m_result.success = status == wireName(StepStatus::Success);
        m_result.error = stringField(payload, "error");
        if (!m_result.success && m_result.error.isEmpty())
            m_result.error = status.isEmpty() ? u"the invocation ended without a status"_s
                                              : u"the invocation ended with status \"%1\""_s.arg(status);
        break;
    }

    case EventKind::Status: // a step's progress note: nothing the result keeps
    case EventKind::Unknown:
        break;
    }
    return change;
}

QList<int> RunFold::markCancelled()
{
    QList<int> changed;
    for (qsizetype i = 0; i < m_result.steps.size(); ++i) {
        StepRecord &step = m_result.steps[i];
        if (step.status == StepStatus::Running) {
            step.status = StepStatus::Cancelled;
            changed.append(int(i));
        }
    }
    m_result.cancelled = true;
    m_result.success = false;
    if (m_result.error.isEmpty())
        m_result.error = u"cancelled"_s;
    return changed;
}

QList<int> RunFold::markFailed(const QString &error)
{
    const QString why = error.isEmpty() ? u"the invocation failed"_s : error;
    // Steps still running never finished: they failed with the run.
    QList<int> changed;
    for (qsizetype i = 0; i < m_result.steps.size(); ++i) {
        StepRecord &step = m_result.steps[i];
        if (step.status == StepStatus::Running) {
            step.status = StepStatus::Error;
            step.error = why;
            changed.append(int(i));
        }
    }
    m_result.success = false;
    m_result.error = why;
    return changed;
}

int RunFold::innermostRunningStep() const
{
    // Steps leave m_open when they finish; one marked cancelled or failed is not running
    // either, though nothing more will finish after that.
    for (qsizetype i = m_open.size() - 1; i >= 0; --i)
        if (m_result.steps[m_open[i]].status == StepStatus::Running)
            return m_open[i];
    return -1;
}

int RunFold::stepIndex(const QString &path) const
{
    return m_stepByPath.value(path, -1);
}

} // namespace invoke
