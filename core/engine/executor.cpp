#include "core/engine/executor.h"

#include "core/engine/eventemitter.h"
#include "core/engine/invocationrun.h"

#include <QtCore/QUuid>

namespace invoke::engine {

Executor::Executor(const BotCatalog &catalog, const ActionRegistry &registry, ActionGate &gate)
    : m_catalog(catalog), m_registry(registry), m_gate(gate)
{
}

ExecutionOutcome Executor::run(const InvokeRequest &request, const Sink &sink, const CancelToken *cancel)
{
    CancelToken never;
    EventEmitter events(QUuid::createUuid().toString(QUuid::WithoutBraces), sink);
    InvocationRun run(m_catalog, m_registry, m_gate, cancel ? *cancel : never, events);
    return run.run(request);
}

} // namespace invoke::engine
