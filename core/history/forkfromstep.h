#pragma once
// "Re-run from here" (docs/runs.md, Re-run from here): a new request for a finished or
// reopened run in which every step that is not the chosen step and not downstream of it
// is answered from the run's recorded outputs (InvokeRequest::pinnedAnswers, which hold in
// every mode), so that only the chosen step and what depends on it run again.
//
// Downstream, over the bot's plan (BotPlan, its steps' depends_on): the chosen step; the
// sub-bot steps (bot.invoke) that contain it, since their output changes with it; a step
// whose depends_on names a downstream step of its bot; every step nested in a downstream
// sub-bot that does not contain the chosen step; and the result-handler steps
// (conditional) after a downstream step of the same bot, since whether they run may change.
#include "core/model/botplan.h"
#include "core/model/invocation/invokerequest.h"
#include "core/model/invocation/invokeresult.h"

#include <QtCore/QSet>

namespace invoke::history {

// The paths of `chosen` and every step downstream of it in `plan`.
QSet<QString> downstreamOf(const BotPlan &plan, const QString &chosen);

struct ForkRequest
{
    InvokeRequest request; // the run's request, in `mode`, with the pinned answers
    QStringList pinned;    // the step paths answered from the recording, in run order
    QStringList rerun;     // the steps of the recording that run again, in run order
};

// `original` is the run's request, `result` what it folded to, `plan` its bot's plan.
// `editedOutput`, when set, answers the chosen step itself (it then does not run; what
// depends on it does). nullopt with `error` when the chosen step is not in the run.
std::optional<ForkRequest> forkFromStep(const InvokeRequest &original, const InvokeResult &result,
                                        const BotPlan &plan, const QString &chosen, const Mode &mode,
                                        const std::optional<Json> &editedOutput = std::nullopt,
                                        QString *error = nullptr);

} // namespace invoke::history
