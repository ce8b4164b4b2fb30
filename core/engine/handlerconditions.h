#pragma once
// When a result handler applies to a finished step.
#include "core/engine/botdefinition.h"

namespace invoke::engine {

// What a finished step left for its handlers to look at.
struct FinishedStep
{
    bool ok = true;
    Json output;
    QString error;
};

// The text TextContains looks at: `content` when the output is an object with a string
// content, the string itself, otherwise compact JSON. A failed step with no output
// offers its error instead, so a handler can react to what went wrong.
QString conditionText(const FinishedStep &step);

bool conditionHolds(const Condition &condition, const FinishedStep &step);

// True when every condition holds (a handler with no conditions always applies).
// `handlesError` is set when a non-negated IsError is among them: such a handler,
// applied to a failed step, counts as having handled the failure.
bool handlerApplies(const ResultHandler &handler, const FinishedStep &step, bool *handlesError = nullptr);

} // namespace invoke::engine
