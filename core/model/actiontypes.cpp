#include "core/model/actiontypes.h"

namespace invoke {

bool isGovernedActionType(const QString &actionType)
{
    return actionType == ActionType::LlmMessage || actionType == ActionType::MemorySearch
        || actionType == ActionType::CodeExecExecute || actionType == ActionType::CodeExecRun;
}

} // namespace invoke
