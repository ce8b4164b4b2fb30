#pragma once
// What an action is given and what it answers. Actions run on the invocation's worker
// thread and may block (llm.message runs a local event loop for its HTTP request).
#include "core/model/invocation/message.h"
#include "core/wire/events.h"

#include <QtCore/QObject>

#include <atomic>

namespace invoke::engine {

// Set from any thread; actions poll isCancelled() or connect to cancelled() (emitted
// on the thread that calls cancel(); use a queued connection to a worker-thread object).
class CancelToken : public QObject
{
    Q_OBJECT
public:
    bool isCancelled() const { return m_cancelled.load(); }
    void cancel()
    {
        if (!m_cancelled.exchange(true))
            Q_EMIT cancelled();
    }
Q_SIGNALS:
    void cancelled();

private:
    std::atomic<bool> m_cancelled{false};
};

struct ActionCall
{
    QString botKey;       // the bot that owns the step (a sub-bot for nested steps)
    QString botUpdatedAt; // that bot's updated_at (ISO 8601), part of the replay key
    QString stepPath;     // "answer", "research/summarise"
    QString stepKey;
    QString actionType;
    Json parameters = Json::object(); // rendered
};

struct ActionOutcome
{
    bool ok = true;
    Json output;
    QString error;
    wire::Usage usage;

    static ActionOutcome success(Json output, wire::Usage usage = {})
    {
        return {true, std::move(output), {}, usage};
    }
    static ActionOutcome failure(const QString &error, Json output = {})
    {
        return {false, std::move(output), error, {}};
    }
};

// The executor's side of one running step.
class ActionContext
{
public:
    virtual ~ActionContext() = default;
    // Streams a chunk of this step's message (a message_content event).
    virtual void emitContent(const QString &chunk) = 0;
    // A status update (utils.send_status).
    virtual void emitStatus(const QString &status, const QString &message) = 0;
    virtual const CancelToken &cancelToken() const = 0;
    virtual const QList<Message> &conversation() const = 0;
    virtual QString invocationId() const = 0;
    virtual QStringList datasets() const = 0;
};

class Action
{
public:
    virtual ~Action() = default;
    virtual ActionOutcome run(const ActionCall &call, ActionContext &context) = 0;

    // The rendered parameters with the action's defaults made explicit (llm.message adds
    // the conversation and the model). The executor shows these in step_started and they
    // are the replay key's parameters, so two calls that would send different requests
    // never share a cached answer.
    virtual Json effectiveParameters(const Json &rendered, const ActionContext &) const { return rendered; }
};

} // namespace invoke::engine
