#pragma once
// Which steps of a bot a mock set answers in manual mode, before running it
// (docs/mocks.md). The rules are the action gate's (actiongate.h): a mock keyed by the
// step path answers any step; a governed action (llm.message, memory.search, codeexec.*)
// falls back to a mock keyed by its action type; pure steps (utils.*, bot.invoke) are
// computed; a governed step with neither fails the run.
#include "core/model/mockset.h"

namespace invoke::engine {

class BotCatalog;
struct BotDefinition;

// A step a run of the bot may reach, named as the executor names it.
struct PlannedStep
{
    QString path;       // "gather", "summarise/answer" (sub-bot steps: "<bot.invoke path>/<key>")
    QString key;        // the step's own key
    QString actionType;
    QString botKey;     // the bot that defines the step (a sub-bot for nested steps)
    int depth = 0;      // 0 for the invoked bot's steps, 1 for a sub-bot's, ...
    bool conditional = false; // in a result handler (runs only when its conditions hold)
    int line = 0;       // the step's line in its bot file
    QString note;       // why a bot.invoke has no nested steps here (template bot_key, unknown bot, cycle)
};

// Every step of `bot` in the order a run meets them: each bot's steps in depends_on
// order, a step's result-handler steps right after it, and a bot.invoke's sub-bot
// steps (resolved through `catalog` when bot_key is a plain key) right after it.
// Steps whose order cannot be decided (a dependency cycle) are listed in file order.
QList<PlannedStep> plannedSteps(const BotDefinition &bot, const BotCatalog &catalog);

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
};

// The coverage of each planned step, in plannedSteps() order.
QList<StepCoverage> mockCoverage(const BotDefinition &bot, const BotCatalog &catalog, const MockSet &mocks);
QList<StepCoverage> mockCoverage(const QList<PlannedStep> &steps, const MockSet &mocks);

// The paths of the steps answered by nothing, in order (empty when the set covers the bot).
QStringList uncoveredSteps(const QList<StepCoverage> &coverage);

// "step mock", "action-type mock", "computed", "bypassed", "NOTHING".
QString answerText(MockAnswer answer);

} // namespace invoke::engine
