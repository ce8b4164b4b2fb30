#pragma once
// The three output formats (invoke-cli --format; the public SDK's output_format).
#include "core/model/invocation/invocationsummary.h"
#include "core/model/invocation/invokerequest.h"

namespace invoke::format {

// "Bot: <name or key>\nInvocation ID: <id>\n" [verbose: "\nSteps:\n  ✓ key (action)\n"...]
// "\nResult:\n<result, pretty JSON with indent 2 when it parses>\n"; on failure the error.
// Exactly: a step line shows the step path ("research/summarise") and `•` unless it
// succeeded; a failed run shows its Result block only when it produced visible text,
// then "\nError: <error>\n". Every format ends with one "\n".
QString text(const InvokeResult &result, bool verbose);
// The InvocationSummary as JSON, indented by 2.
QString json(const InvokeResult &result);
// {"events": [...]}, indented by 2: result.events, which an invocation fills only when
// asked (Invocation::setKeepEvents; invoke-cli asks for this format).
QString events(const InvokeResult &result);

QString render(const InvokeResult &result, OutputFormat format, bool verbose);

} // namespace invoke::format
