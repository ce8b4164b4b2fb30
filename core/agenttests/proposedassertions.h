#pragma once
// What a finished run suggests a test case should expect ("Save run as test case" in the
// studio, docs/tests.md): the assertions a person would likely write after looking at it,
// each one true of that run, to be ticked off or edited before saving.
#include "core/agenttests/testcase.h"
#include "core/model/invocation/invokeresult.h"

namespace invoke::agenttests {

// For a run that `mode` will repeat:
// - text_contains with a distinctive part of the visible result text (when there is any);
// - per step (by path, once each), {"step": path, "status": …}, plus "source": "mock" when
//   the run answered it from a mock and the case runs in manual mode (a replay or live
//   source changes from one run to the next); a skipped step as {"step": path, "ran": false};
// - for a failed run, error_contains with a distinctive part of its error.
// Every assertion returned parses with parseAssertion and holds for `result`.
QList<Assertion> proposeAssertions(const InvokeResult &result, const Mode &mode);

// A part of `text` worth asserting on: its longest line, trimmed, cut at a word boundary
// to at most `maxLength` characters. Empty when the text has no visible characters.
QString distinctivePart(const QString &text, int maxLength = 60);

} // namespace invoke::agenttests
