#pragma once
// Mock sets made from a finished run (docs/mocks.md), so that a user can start from a
// real answer, change one, and re-run in manual mode.
//
// mockSetFromRun keys one mock per step path, for the governed actions only
// (llm.message, memory.search, codeexec.*), whatever answered them (live, replay or a
// mock); pure steps (utils.*, bot.invoke) are left out so they are computed again and
// react to an edited answer. A step that succeeded becomes a success mock with its
// output; a step that failed becomes an error mock with its error text (and its output
// when it had one), so the re-run fails there the same way. Left out: steps that were
// skipped, cancelled or still running, and a manual run's "no mock for step" failures
// (nothing answered them). Every mock is redacted (redaction.h) before it is returned.
#include "core/model/mockset.h"
#include "core/model/redaction.h"

namespace invoke {
struct InvokeResult;
struct StepRecord;
} // namespace invoke

namespace invoke::mocks {

struct RunMocks
{
    MockSet mocks;
    QList<Redaction> redactions; // where values were masked
    QStringList skipped;         // one line per step left out and why (`"x" (llm.message): skipped`)
};

// `secrets`: literal strings to mask (the LLM API key, profile tokens).
RunMocks mockSetFromRun(const InvokeResult &result, const QStringList &secrets = {});

// The mock a step's record stands for (redacted into `redactions` when given), keyed
// by its path; nullopt with `error` saying why for a step that did not finish (running,
// skipped, cancelled). Any finished step can be promoted, pure ones included (a step
// mock overrides them).
std::optional<MockResponse> mockFromStep(const StepRecord &step, const QStringList &secrets = {},
                                         QList<Redaction> *redactions = nullptr, QString *error = nullptr);

// Adds or replaces set[step.path] with mockFromStep(step); false with `error` when the
// step cannot be promoted (the set is unchanged then).
bool promoteStep(MockSet &set, const StepRecord &step, const QStringList &secrets = {},
                 QList<Redaction> *redactions = nullptr, QString *error = nullptr);

} // namespace invoke::mocks
