#include "core/model/actiontypes.h"

using namespace Qt::StringLiterals;

namespace invoke {

bool isGovernedActionType(const QString &actionType)
{
    return actionType == "llm.message"_L1 || actionType == "memory.search"_L1
        || actionType == "codeexec.execute"_L1 || actionType == "codeexec.run"_L1;
}

} // namespace invoke
