#include "core/model/invocation/invocationsummary.h"

namespace invoke {

InvocationSummary InvocationSummary::from(const InvokeResult &r)
{
    InvocationSummary s;
    s.botName = r.botName;
    s.botKey = r.botKey;
    s.invocationId = r.invocationId;
    for (const StepRecord &step : r.steps)
        s.steps.append(Step{step.path, step.actionType, step.status});
    s.result = r.visibleText();
    s.success = r.success;
    s.error = r.error;
    return s;
}

Json InvocationSummary::toJson() const
{
    Json steps_ = Json::array();
    for (const Step &step : steps)
        steps_.push_back(Json{{"key", toStd(step.key)}, {"action", toStd(step.action)},
                              {"status", toStd(wireName(step.status))}});
    return Json{{"bot_name", toStd(botName)}, {"bot_key", toStd(botKey)},
                {"invocation_id", toStd(invocationId)}, {"steps", steps_},
                {"result", toStd(result)}, {"success", success},
                {"error", error.isEmpty() ? Json() : Json(toStd(error))}};
}

InvocationSummary InvocationSummary::fromJson(const Json &value)
{
    InvocationSummary s;
    s.botName = stringField(value, "bot_name");
    s.botKey = stringField(value, "bot_key");
    s.invocationId = stringField(value, "invocation_id");
    for (const Json &step : value.value("steps", Json::array()))
        s.steps.append(Step{stringField(step, "key"), stringField(step, "action"),
                            stepStatusFromWire(stringField(step, "status")).value_or(StepStatus::Error)});
    s.result = stringField(value, "result");
    s.success = boolField(value, "success");
    s.error = stringField(value, "error");
    return s;
}

} // namespace invoke
