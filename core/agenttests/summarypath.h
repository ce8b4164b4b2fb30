#pragma once
// The SDK's dot notation into a run's JSON summary: "steps[0].status", "result",
// "invocation_id"; a leading "$." (or "$") is accepted too.
#include "core/model/json/json.h"

namespace invoke::agenttests {

// The value at `path` in `document`, or nullptr when the path does not lead anywhere
// (or does not parse: `error` then says why).
const Json *findSummaryPath(const Json &document, const QString &path, QString *error = nullptr);

} // namespace invoke::agenttests
