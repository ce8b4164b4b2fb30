// invoke-cli cache explain RUN_ID|FILE [--step PATH] [--cache URL] [--scope NAME] [--json]
// For each replayable step of a recorded run (the cache's action types, llm.message): why
// it missed when it ran (its step_finished metadata.replay_miss, when the run recorded
// one), and what the cache says now for the same inputs: a hit, or why not, compared with
// the nearest entry (core/cache/missexplanation.h).
#include "app/cli/cache/cacheexplain.h"

#include "app/cli/cache/cachechoice.h"
#include "app/cli/cliarguments.h"
#include "app/cli/console.h"
#include "app/cli/runs/rundiffcommand.h"
#include "core/cache/missexplanation.h"
#include "core/cache/openreplaycache.h"
#include "core/cache/replaycache.h"
#include "core/model/actiontypes.h"
#include "core/model/botplan.h"

#include <QtCore/QCommandLineParser>

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {

int usage(const QString &message)
{
    printErr(u"invoke-cli: "_s + message + u"\nTry 'invoke-cli help cache'.\n"_s);
    return ExitUsage;
}

int failed(const QString &message)
{
    printErr(u"error: "_s + message + u'\n');
    return ExitFailed;
}

// What the cache says now for one step's inputs.
struct StepNow
{
    bool hit = false;
    cache::CacheEntry entry;       // the hit
    Json explanation;              // otherwise: metadata.replay_miss's shape
};

StepNow lookNow(const cache::ReplayCache &store, const cache::CacheKeyParts &parts, QString *error)
{
    StepNow now;
    // find() counts no hit: explaining must not change the cache's statistics.
    QString findError;
    if (const auto entry = store.find(parts.key(), &findError)) {
        now.hit = true;
        now.entry = *entry;
        return now;
    }
    cache::CacheFilter filter;
    filter.scope = parts.scope;
    filter.botKey = parts.botKey;
    filter.actionType = parts.actionType;
    filter.limit = 64;
    const QList<cache::CacheEntry> candidates = store.list(filter, error);
    if (!error->isEmpty())
        return now;
    now.explanation = cache::explainMiss(parts, candidates, false).toJson(parts);
    return now;
}

} // namespace

int runCacheExplain(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    parser.addOption({u"step"_s, u"step"_s, u"PATH"_s});
    parser.addOption({u"cache"_s, u"cache"_s, u"URL"_s});
    parser.addOption({u"scope"_s, u"scope"_s, u"NAME"_s});
    parser.addOption({u"json"_s, u"json"_s});
    if (!parser.parse(QStringList{u"cache"_s} + args))
        return usage(parser.errorText());
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usage(u"cache explain needs one RUN_ID (an invocation id or a unique prefix, or a run file)"_s);
    const QString scope = replayCacheScope(parser.value(u"scope"_s));
    if (const auto problem = scopeProblem(scope))
        return usage(u"--scope: "_s + *problem);

    QString error;
    const auto run = loadRun(positional.at(0), &error);
    if (!run)
        return failed(error);
    const auto store = cache::makeReplayCache(replayCacheUrl(parser.value(u"cache"_s)), &error);
    if (!store || !store->open(&error))
        return failed(error);

    // Which bot defines each step (a sub-bot's steps: its own key) and its version.
    const auto plan = BotPlan::fromJson(run->botPlan);
    const InvokeResult result = run->result();
    const QString wantedStep = parser.value(u"step"_s);
    Json out = Json::array();
    QString text;
    bool found = false;
    for (const StepRecord &step : result.steps) {
        if (!wantedStep.isEmpty() && step.path != wantedStep)
            continue;
        found = true;
        if (step.actionType != ActionType::LlmMessage)
            continue; // the cache answers only these (docs/cache.md)
        QString botKey = run->summary.botKey;
        QString botUpdatedAt = run->summary.botUpdatedAt;
        if (plan) {
            for (const PlannedStep &planned : plan->steps) {
                if (planned.path == step.path && planned.depth > 0 && !planned.botKey.isEmpty()) {
                    botKey = planned.botKey;
                    // The sub-bot's version as the run planned it; empty in a plan recorded
                    // before plans carried it (PlannedStep::botUpdatedAt).
                    botUpdatedAt = planned.botUpdatedAt;
                }
            }
        }
        const cache::CacheKeyParts parts{scope, botKey, botUpdatedAt, step.actionType, step.parameters};
        QString lookError;
        const StepNow now = botUpdatedAt.isEmpty() ? StepNow{} : lookNow(*store, parts, &lookError);
        if (!lookError.isEmpty())
            return failed(lookError);

        Json item{{"path", toStd(step.path)}, {"action_type", toStd(step.actionType)},
                  {"source", toStd(wireName(step.source))}, {"at_run", step.replayMiss}};
        text += u"%1 (%2): %3\n"_s.arg(step.path, step.actionType, wireName(step.source));
        if (const QString why = stringField(step.replayMiss, "summary"); !why.isEmpty())
            text += u"  when it ran: replay %1: %2\n"_s.arg(
                stringField(step.replayMiss, "reason") == u"refresh"_s ? u"refresh"_s : u"miss"_s, why);
        else if (step.source == Source::ReplayHit)
            text += u"  when it ran: answered from the replay cache\n"_s;
        if (botUpdatedAt.isEmpty()) {
            item["now"] = Json{{"hit", Json()}, {"summary", "not recomputed: the recording has no version of sub-bot "
                                                              + toStd(botKey) + " (recorded before plans carried one)"}};
            text += u"  now: not recomputed (the recording has no version of sub-bot %1: recorded before plans "
                    "carried one)\n"_s.arg(botKey);
        } else if (now.hit) {
            item["now"] = Json{{"hit", true}, {"key", toStd(now.entry.key)},
                               {"created_at", toStd(now.entry.createdAt.toUTC().toString(Qt::ISODateWithMs))}};
            text += u"  now: a replay would hit (key %1, recorded %2)\n"_s.arg(
                now.entry.key.left(12), now.entry.createdAt.toUTC().toString(Qt::ISODate));
        } else {
            Json nowJson = now.explanation;
            nowJson["hit"] = false;
            item["now"] = std::move(nowJson);
            text += u"  now: replay miss: %1\n"_s.arg(stringField(now.explanation, "summary"));
        }
        out.push_back(std::move(item));
    }
    if (!wantedStep.isEmpty() && !found)
        return failed(u"run %1 has no step \"%2\""_s.arg(run->summary.invocationId, wantedStep));
    if (parser.isSet(u"json"_s)) {
        printOut(QString::fromUtf8(dumpJson(Json{{"invocation_id", toStd(run->summary.invocationId)},
                                                 {"scope", toStd(scope)}, {"cache", toStd(store->location())},
                                                 {"steps", std::move(out)}}, 2)) + u'\n');
        return ExitOk;
    }
    if (out.empty()) {
        printOut(u"Run %1 has no step the replay cache answers (%2).\n"_s.arg(
            run->summary.invocationId, wantedStep.isEmpty() ? u"llm.message"_s : wantedStep));
        return ExitOk;
    }
    printOut(u"Run %1 (bot %2), replay cache %3, scope %4:\n"_s.arg(run->summary.invocationId, run->summary.botKey,
                                                                    store->location(), scope)
             + text);
    return ExitOk;
}

} // namespace invoke::cli
