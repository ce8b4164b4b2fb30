#pragma once
// The only place that knows the modes (README.md, Modes; docs/cache.md).
//  live:   governed actions run for real; the cache is neither read nor written.
//  replay: a cacheable action is answered from the replay cache; a miss runs live and
//          stores; refresh runs live and overwrites.
//  manual: a mock keyed by the step path answers any step (pure or not); otherwise a
//          governed action is answered by a mock keyed by its action type, and with no
//          mock the invocation fails, naming the step path and the action type.
// Pure actions (utils.*, bot.invoke) are computed in every mode.
// A replay cache that cannot be read fails the step without running it live (replay must
// never turn into calls the user did not ask for); one that cannot be written after a
// live run fails the step too, with the live answer kept as the outcome's output.
#include "core/engine/action.h"
#include "core/model/actiontypes.h"
#include "core/model/mockset.h"
#include "core/model/invocation/mode.h"
#include "core/model/invocation/runvalues.h"

#include <QtCore/QSet>

#include <functional>

namespace invoke::cache {
class ReplayCache;
}

namespace invoke::engine {

struct GateAnswer
{
    ActionOutcome outcome;
    Source source = Source::Unknown;
    bool computed = false;   // compute() ran (a live action streamed its own content)
    bool missingMock = false; // manual mode found no mock: the invocation must fail
    QString notice;           // something the run should tell (a replay that waited, then went live)
    Json replayMiss;          // a replay miss or refresh: why (metadata.replay_miss, docs/cache.md)
};

class ActionGate
{
public:
    struct Options
    {
        Mode mode;
        MockSet mocks;
        cache::ReplayCache *cache = nullptr; // required for replay mode
        // Replay answers from the cache only: a miss fails the step instead of running live,
        // and nothing is stored (offline test runs, where no call may cost or reach out).
        bool lookupOnly = false;
        QString scope = QStringLiteral("local"); // the organisation, part of every replay key
        QSet<QString> cacheableTypes = {QString(ActionType::LlmMessage)};
        // Answers by step path that hold in every mode, asked before the mode (a fork
        // from a step: InvokeRequest::pinnedAnswers). Reported with source mock.
        MockSet pinned;
    };

    explicit ActionGate(Options options);

    // Action types that reach outside the engine; the modes govern only these.
    static bool isGoverned(const QString &actionType);

    // Answers `call` under the mode; `compute` runs it for real (an action or a sub-bot).
    GateAnswer run(const ActionCall &call, const std::function<ActionOutcome()> &compute);

    const Options &options() const { return m_options; }

private:
    Options m_options;
};

} // namespace invoke::engine
