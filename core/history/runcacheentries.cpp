#include "core/history/runcacheentries.h"

#include "core/cache/replaycache.h"
#include "core/cache/runreplaycache.h"
#include "core/model/actiontypes.h"
#include "core/model/botplan.h"

#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace invoke::history {

namespace {

bool servedByReplay(Source source)
{
    return source == Source::ReplayHit || source == Source::ReplayStored || source == Source::Refreshed;
}

// A live step a replay run would have cached: what the action gate caches by default
// (ActionGate::Options::cacheableTypes, core/engine/actiongate.h), answered without error
// (errors are never stored).
bool cacheableLive(const StepRecord &step)
{
    return step.source == Source::Live && step.status == StepStatus::Success && step.actionType == ActionType::LlmMessage;
}

// The entry a step's recorded answer makes, under `parts`' key.
cache::CacheEntry madeFrom(const StepRecord &step, const cache::CacheKeyParts &parts, const QDateTime &at)
{
    cache::CacheEntry made;
    made.parts = parts;
    made.key = parts.key();
    made.output = step.output;
    made.usage.inputTokens = step.inputTokens;
    made.usage.outputTokens = step.outputTokens;
    made.createdAt = at;
    return made;
}

// The entry `store` holds for `parts`: by key when the bot's version is known, else the
// newest of the same scope, bot and action type with the same parameters.
std::optional<cache::CacheEntry> entryFor(const cache::ReplayCache &store, const cache::CacheKeyParts &parts,
                                          QString *error)
{
    if (!parts.botUpdatedAt.isEmpty()) {
        QString notFound; // find() counts no hit: exporting must not change the statistics
        return store.find(parts.key(), &notFound);
    }
    cache::CacheFilter filter;
    filter.scope = parts.scope;
    filter.botKey = parts.botKey;
    filter.actionType = parts.actionType;
    filter.limit = 256;
    const QList<cache::CacheEntry> candidates = store.list(filter, error);
    for (const cache::CacheEntry &e : candidates)
        if (e.parts.parameters == parts.parameters)
            return e;
    return std::nullopt;
}

} // namespace

std::optional<RunCacheEntries> runCacheEntries(const RunRecord &run, const cache::ReplayCache *store,
                                               const QString &scope, QString *error)
{
    // The run's own entries (a re-run of a run file) answered it, not the user's cache.
    std::unique_ptr<cache::RunReplayCache> own;
    if (run.request.replayEntries.is_array())
        own = cache::RunReplayCache::fromJson(run.request.replayEntries);
    const QString runScope = own && !own->scope().isEmpty() ? own->scope() : scope;

    // Which bot defines each step, and its version: a sub-bot's steps are its own.
    struct Owner
    {
        QString botKey;
        QString updatedAt; // empty: not recorded (a plan older than PlannedStep::botUpdatedAt)
    };
    QHash<QString, Owner> subBotOf;
    if (const auto plan = BotPlan::fromJson(run.botPlan))
        for (const PlannedStep &planned : plan->steps)
            if (planned.depth > 0 && !planned.botKey.isEmpty())
                subBotOf.insert(planned.path, {planned.botKey, planned.botUpdatedAt});

    const QDateTime createdAt = run.summary.startedAt.isValid() ? run.summary.startedAt : QDateTime::currentDateTimeUtc();
    RunCacheEntries out;
    QSet<QString> keys;
    const auto keep = [&](const cache::CacheEntry &entry) {
        if (keys.contains(entry.key))
            return;
        keys.insert(entry.key);
        out.entries.append(entry);
    };
    const InvokeResult result = run.result();
    for (const StepRecord &step : result.steps) {
        const bool replayed = servedByReplay(step.source) && step.status == StepStatus::Success;
        const bool live = cacheableLive(step);
        if (!replayed && !live)
            continue;
        const auto nested = subBotOf.constFind(step.path);
        const bool isNested = nested != subBotOf.cend();
        const cache::CacheKeyParts parts{runScope, isNested ? nested->botKey : run.summary.botKey,
                                         isNested ? nested->updatedAt : run.summary.botUpdatedAt, step.actionType,
                                         step.parameters.is_object() ? step.parameters : Json::object()};
        if (live) {
            // Its answer is the recording's: the entry a replay run of it would have stored.
            if (parts.botUpdatedAt.isEmpty()) {
                out.missing.append(step.path);
                continue;
            }
            keep(madeFrom(step, parts, createdAt));
            out.fromLive.append(step.path);
            continue;
        }
        std::optional<cache::CacheEntry> entry;
        if (own)
            entry = entryFor(*own, parts, error);
        if (!entry && store) {
            QString why;
            entry = entryFor(*store, parts, &why);
            if (!why.isEmpty()) {
                if (error)
                    *error = why;
                return std::nullopt;
            }
        }
        if (!entry && !parts.botUpdatedAt.isEmpty()) {
            // Gone from the store (cleared, another cache): the step's recorded answer is
            // what the entry held, under the same key.
            entry = madeFrom(step, parts, createdAt);
            out.fromRecording.append(step.path);
        }
        if (!entry) {
            out.missing.append(step.path);
            continue;
        }
        keep(*entry);
    }
    if (error)
        error->clear();
    return out;
}

Json cacheEntriesJson(const QList<cache::CacheEntry> &entries)
{
    Json out = Json::array();
    for (const cache::CacheEntry &e : entries)
        out.push_back(e.toJson());
    return out;
}

} // namespace invoke::history
