#include "core/history/forkfromstep.h"

using namespace Qt::StringLiterals;

namespace invoke::history {

namespace {

// "research/answer" -> "research/"; "gather" -> "".
QString prefixOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(u'/');
    return slash < 0 ? QString() : path.left(slash + 1);
}

bool isWithin(const QString &path, const QString &ancestor)
{
    return path.size() > ancestor.size() && path.startsWith(ancestor) && path.at(ancestor.size()) == u'/';
}

} // namespace

QSet<QString> downstreamOf(const BotPlan &plan, const QString &chosen)
{
    QSet<QString> down{chosen};
    QSet<QString> containing; // the bot.invoke steps the chosen step is nested in
    for (QString p = prefixOf(chosen); !p.isEmpty(); p = prefixOf(p.chopped(1))) {
        containing.insert(p.chopped(1));
        down.insert(p.chopped(1));
    }
    // The plan lists a step after what it depends on, except across handlers and
    // sub-bots: repeat until nothing is added.
    for (bool grew = true; grew;) {
        grew = false;
        QSet<QString> downAtPrefix; // prefixes holding a downstream step seen so far (for handlers)
        for (const PlannedStep &step : plan.steps) {
            const QString prefix = prefixOf(step.path);
            bool isDown = down.contains(step.path);
            if (!isDown) {
                for (const QString &key : step.dependsOn)
                    isDown = isDown || down.contains(prefix + key);
                const QString parent = prefix.isEmpty() ? QString() : prefix.chopped(1);
                isDown = isDown || (!parent.isEmpty() && down.contains(parent) && !containing.contains(parent));
                isDown = isDown || (step.conditional && downAtPrefix.contains(prefix));
                if (isDown) {
                    down.insert(step.path);
                    grew = true;
                }
            }
            if (isDown)
                downAtPrefix.insert(prefix);
        }
    }
    return down;
}

std::optional<ForkRequest> forkFromStep(const InvokeRequest &original, const InvokeResult &result,
                                        const BotPlan &plan, const QString &chosen, const Mode &mode,
                                        const std::optional<Json> &editedOutput, QString *error)
{
    const auto chosenStep = std::find_if(result.steps.cbegin(), result.steps.cend(),
                                         [&](const StepRecord &s) { return s.path == chosen; });
    if (chosenStep == result.steps.cend()) {
        if (error)
            *error = u"the run has no step \"%1\" to re-run from"_s.arg(chosen);
        return std::nullopt;
    }
    const QSet<QString> down = downstreamOf(plan, chosen);
    ForkRequest fork;
    fork.request = original;
    fork.request.mode = mode;
    fork.request.pinnedAnswers = MockSet();
    QStringList pinnedSubBots;
    for (const StepRecord &step : result.steps) {
        if (down.contains(step.path)) {
            fork.rerun.append(step.path);
            continue;
        }
        // A step inside a sub-bot answered whole needs no answer of its own.
        if (std::any_of(pinnedSubBots.cbegin(), pinnedSubBots.cend(),
                        [&](const QString &parent) { return isWithin(step.path, parent); }))
            continue;
        if (step.status != StepStatus::Success && step.status != StepStatus::Error)
            continue; // skipped, cancelled or never finished: nothing recorded to answer with
        MockResponse answer{step.status == StepStatus::Success, step.output, step.error};
        if (answer.success && (step.inputTokens >= 0 || step.outputTokens >= 0) && answer.output.is_object()
            && !answer.output.contains("usage"))
            answer.output["usage"] = Json{{"input_tokens", step.inputTokens}, {"output_tokens", step.outputTokens}};
        fork.request.pinnedAnswers.insert(step.path, answer);
        fork.pinned.append(step.path);
        pinnedSubBots.append(step.path);
    }
    if (editedOutput) {
        fork.request.pinnedAnswers.insert(chosen, MockResponse{true, *editedOutput, {}});
        fork.rerun.removeOne(chosen);
        fork.pinned.append(chosen);
    }
    return fork;
}

} // namespace invoke::history
