#include "core/engine/handlerconditions.h"

using namespace Qt::StringLiterals;

namespace invoke::engine {

QString conditionText(const FinishedStep &step)
{
    const Json &output = step.output;
    if (!step.ok && output.is_null())
        return step.error;
    if (output.is_string())
        return toQString(output.get<std::string>());
    if (output.is_object()) {
        const auto it = output.find("content");
        if (it != output.end() && it->is_string())
            return toQString(it->get<std::string>());
    }
    return QString::fromUtf8(dumpJson(output));
}

bool conditionHolds(const Condition &condition, const FinishedStep &step)
{
    bool holds = false;
    switch (condition.type) {
    case Condition::IsSuccess:
        holds = step.ok;
        break;
    case Condition::IsError:
        holds = !step.ok;
        break;
    case Condition::TextContains:
        holds = conditionText(step).contains(condition.text, condition.caseSensitive ? Qt::CaseSensitive
                                                                                      : Qt::CaseInsensitive);
        break;
    }
    return condition.negate ? !holds : holds;
}

bool handlerApplies(const ResultHandler &handler, const FinishedStep &step, bool *handlesError)
{
    bool error = false;
    for (const Condition &condition : handler.conditions) {
        if (!conditionHolds(condition, step))
            return false;
        if (condition.type == Condition::IsError && !condition.negate)
            error = true;
    }
    if (handlesError)
        *handlesError = error;
    return true;
}

} // namespace invoke::engine
