#include "core/engine/actionregistry.h"

#include "core/config/sandboxsettings.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::engine {

void ActionRegistry::add(const QString &actionType, std::shared_ptr<Action> action)
{
    Q_ASSERT(action);
    m_actions.insert(actionType, std::move(action));
}

Action *ActionRegistry::find(const QString &actionType) const
{
    const auto it = m_actions.constFind(actionType);
    return it == m_actions.constEnd() ? nullptr : it->get();
}

QStringList ActionRegistry::types() const
{
    QStringList types = m_actions.keys();
    std::sort(types.begin(), types.end());
    return types;
}

ActionRegistry ActionRegistry::standard(const LlmSettings &llm,
                                        std::shared_ptr<const datasets::DatasetStore> datasets,
                                        const SandboxSettings &sandbox)
{
    ActionRegistry registry;
    registerUtilsActions(registry);
    registerLlmAction(registry, llm);
    registerMemorySearchAction(registry, std::move(datasets));
    registerCodeExecActions(registry, sandbox);
    return registry;
}

} // namespace invoke::engine
