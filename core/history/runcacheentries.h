#pragma once
// The replay-cache entries a recorded run used or would have made (docs/runs.md, Run
// files), so that the run's file re-runs in replay mode offline, on another machine,
// answered from its own entries (core/cache/runreplaycache.h):
//  - each step the replay cache answered or recorded (source replay_hit, replay_stored or
//    refreshed): the entry of its key, from the run's own entries or the store, else made
//    from the step's recorded answer;
//  - each live step a replay run would have cached (a successful llm.message: the action
//    gate's cacheable types, core/engine/actiongate.h): made from its recorded answer,
//    under the key a replay run of the same request computes.
//
// A step's key is computed as the action gate computes it (docs/cache.md, The key): the
// scope, the bot that defines the step and its updated_at, the action type and the
// step's rendered parameters as its step_started event reported them. A sub-bot's
// version comes from the recorded plan (PlannedStep::botUpdatedAt); a run recorded
// before plans carried it has its sub-bot replay steps found by bot, action type and
// parameters instead (the newest such entry), and its live sub-bot steps left out.
#include "core/cache/cacheentry.h"
#include "core/history/runrecord.h"

namespace invoke::cache {
class ReplayCache;
}

namespace invoke::history {

struct RunCacheEntries
{
    QList<cache::CacheEntry> entries; // one per key, in step order
    // Replay steps whose entry neither the run's own entries nor the store hold, so
    // were made from the recorded output (same key, same answer); live steps made from
    // their recorded answers; and steps that could not be made (a sub-bot's step whose
    // version the recording lacks, missing from the store), by path.
    QStringList fromRecording;
    QStringList fromLive;
    QStringList missing;
};

// `scope` is the one the run recorded under ("local" for the engine and invoke-cli,
// unless --scope / INVOKE_CACHE_SCOPE). The run's own request entries (a re-run of a run
// file) are searched first, then `store` (may be null). nullopt with `error` when the
// store cannot be read.
std::optional<RunCacheEntries> runCacheEntries(const RunRecord &run, const cache::ReplayCache *store,
                                               const QString &scope, QString *error = nullptr);

// The entries as a run file's "cache_entries" (CacheEntry::toJson each).
Json cacheEntriesJson(const QList<cache::CacheEntry> &entries);

} // namespace invoke::history
