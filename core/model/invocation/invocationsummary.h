#pragma once
#include "core/model/invocation/invokeresult.h"

namespace invoke {

// The JSON output format: {bot_name, bot_key, invocation_id, steps: [{key, action,
// status}], result, success, error}. `result` is the run's concatenated visible text.
struct InvocationSummary
{
    struct Step
    {
        QString key;
        QString action;
        StepStatus status = StepStatus::Running;
        bool operator==(const Step &) const = default;
    };

    QString botName;
    QString botKey;
    QString invocationId;
    QList<Step> steps;
    QString result;
    bool success = false;
    QString error;

    static InvocationSummary from(const InvokeResult &result);
    Json toJson() const;
    static InvocationSummary fromJson(const Json &value);
    bool operator==(const InvocationSummary &) const = default;
};

} // namespace invoke
