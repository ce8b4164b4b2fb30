// memory.search comes with its own issue; until then a bot that uses it fails at that
// step with a message that says so, rather than at load time, so the rest of such a bot
// can still be explored.
#include "core/engine/actionregistry.h"

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

class UnavailableAction : public Action
{
public:
    ActionOutcome run(const ActionCall &call, ActionContext &) override
    {
        return ActionOutcome::failure(
            u"%1 is not available yet in the embedded engine (step \"%2\")"_s.arg(call.actionType,
                                                                                call.stepPath));
    }
};

} // namespace

void registerUnavailableActions(ActionRegistry &registry)
{
    const auto action = std::make_shared<UnavailableAction>();
    for (const QString &type : {u"memory.search"_s})
        registry.add(type, action);
}

} // namespace invoke::engine
