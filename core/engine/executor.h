#pragma once
// Runs one bot definition and emits its event stream (docs/events.md). Synchronous:
// run() returns when the invocation is over; LocalBackend calls it on a worker thread.
//
// Order of events: invocation_started; per step step_started, message_content...,
// step_finished (nested sub-bot steps in between, with paths "parent/child"); steps
// that will not run after a failure or a cancel get a step_finished "skipped";
// invocation_finished last, with the visible messages.
#include "core/engine/action.h"
#include "core/model/invocation/invokerequest.h"

#include <functional>

namespace invoke::engine {

class ActionGate;
class ActionRegistry;
class BotCatalog;

struct ExecutionOutcome
{
    QString invocationId;
    QString status; // "success" | "error" | "cancelled", as in invocation_finished
    QString error;  // names the step that failed, e.g. `step "answer" (llm.message) failed: ...`
    Json output;    // the bot's output: the final handler's last step, else the last step run
    bool success() const { return status == QLatin1String("success"); }
};

class Executor
{
public:
    using Sink = std::function<void(Event)>;

    // `catalog` finds the bot and its sub-bots; `gate` answers every action under the mode.
    Executor(const BotCatalog &catalog, const ActionRegistry &registry, ActionGate &gate);

    // Runs request.botKey. `cancel` (optional) is checked between steps and handed to
    // the actions; every event goes to `sink` on the calling thread, in order.
    ExecutionOutcome run(const InvokeRequest &request, const Sink &sink,
                         const CancelToken *cancel = nullptr);

private:
    const BotCatalog &m_catalog;
    const ActionRegistry &m_registry;
    ActionGate &m_gate;
};

} // namespace invoke::engine
