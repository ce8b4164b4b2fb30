#pragma once
#include "core/engine/action.h"
#include "core/model/actiontypes.h"

#include <QtCore/QHash>

#include <memory>

namespace invoke {
struct LlmSettings;
struct SandboxSettings;
}
namespace invoke::datasets {
class DatasetStore;
}

namespace invoke::engine {

// Action types to the actions that run them. bot.invoke is not here: the executor runs
// sub-bots itself.
class ActionRegistry
{
public:
    void add(const QString &actionType, std::shared_ptr<Action> action);
    Action *find(const QString &actionType) const;
    QStringList types() const;

    // The first catalogue: utils.*, llm.message (with `llm`), codeexec.execute /
    // codeexec.run (sandboxed Python, as `sandbox` says), and memory.search over `datasets`.
    static ActionRegistry standard(const LlmSettings &llm, std::shared_ptr<const datasets::DatasetStore> datasets,
                                   const SandboxSettings &sandbox);

private:
    QHash<QString, std::shared_ptr<Action>> m_actions;
};

// Each group of actions registers itself (core/engine/actions/*).
void registerUtilsActions(ActionRegistry &registry);
void registerLlmAction(ActionRegistry &registry, const LlmSettings &llm);
void registerCodeExecActions(ActionRegistry &registry, const SandboxSettings &settings); // codeexec.execute, codeexec.run
void registerMemorySearchAction(ActionRegistry &registry, std::shared_ptr<const datasets::DatasetStore> store);

} // namespace invoke::engine
