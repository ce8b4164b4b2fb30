#pragma once
// Which steps of a bot a mock set answers in manual mode, before running it
// (docs/mocks.md). The rules are the action gate's (core/engine/actiongate.h): a mock keyed by the
// step path answers any step; a governed action (llm.message, memory.search, codeexec.*)
// falls back to a mock keyed by its action type; pure steps (utils.*, bot.invoke) are
// computed; a governed step with neither fails the run.
#include "core/model/botplan.h"
#include "core/model/mockset.h"

namespace invoke::mocks {

enum class MockAnswer {
    StepMock,       // a mock keyed by the step path
    ActionTypeMock, // a mock keyed by the action type (governed actions only)
    Computed,       // pure: utils.* or bot.invoke, run in every mode
    Bypassed,       // inside a sub-bot whose bot.invoke step is itself answered by a step mock
    Nothing,        // a governed step with no mock: the run fails here
};

struct StepCoverage
{
    PlannedStep step;
    MockAnswer answer = MockAnswer::Nothing;
    QString mockKey;        // the key that answers (StepMock, ActionTypeMock), else empty
    bool mockIsError = false; // that mock answers with status "error"
    bool operator==(const StepCoverage &) const = default;
};

// The coverage of each planned step (core/model/botplan.h), in plan order.
QList<StepCoverage> mockCoverage(const QList<PlannedStep> &steps, const MockSet &mocks);

// The paths of the steps answered by nothing, in order (empty when the set covers the bot).
QStringList uncoveredSteps(const QList<StepCoverage> &coverage);

// "step mock", "action-type mock", "computed", "bypassed", "NOTHING".
QString answerText(MockAnswer answer);

} // namespace invoke::mocks
