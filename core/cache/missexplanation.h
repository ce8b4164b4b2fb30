#pragma once
// Why a replay missed (docs/cache.md, Why a replay missed): a call's key parts compared
// with the closest entry the cache holds for the same scope, bot and action type, field
// by field. The action gate attaches the result to the step's step_finished event as
// metadata.replay_miss (docs/events.md); `invoke-cli cache explain` recomputes it for a
// recorded run. Values only: no store is opened here.
#include "core/cache/cacheentry.h"

namespace invoke::cache {

// One input of the key that differs between the cached entry and this call.
struct FieldDifference
{
    QString field;  // "bot updated_at", "model", "parameters.messages[2].content", "scope"
    Json cached;    // the entry's value (null when the entry had none)
    Json now;       // this call's value (null when the call has none)
    QString change; // "changed" | "added" | "removed"

    // "bot updated_at changed from A to B", "parameters.messages[2].content differs",
    // "parameters.seed was added" (long or structured values are not repeated).
    QString sentence() const;
    Json toJson() const; // {"field", "change", "cached", "now"}
};

struct MissExplanation
{
    // never_cached: no entry of this scope, bot and action type at all;
    // inputs_differ: the nearest entry's inputs differ in `fields`;
    // refresh: the run asked to record again (an entry of the same key may have existed);
    // entry_gone: an entry with exactly these inputs should exist but was not found.
    QString reason;
    QString nearestKey;        // the entry compared with, if any
    QDateTime nearestCreatedAt;
    bool sameKeyExisted = false; // refresh: the key had an answer that was replaced
    QList<FieldDifference> fields;
    int omittedFields = 0;     // differences beyond the first kMaxFields

    static constexpr int kMaxFields = 12;

    // One line for a person: "bot updated_at changed from A to B; the model changed from
    // x to y", "nothing was ever cached for this step (bot KEY, llm.message, scope local)".
    QString summary(const CacheKeyParts &wanted) const;
    // {"reason", "summary", "nearest": {"key", "created_at"} | null, "fields": [...],
    //  "omitted_fields"?}: metadata.replay_miss.
    Json toJson(const CacheKeyParts &wanted) const;
};

// The differences between `cached` and `wanted`: the scope, bot, bot updated_at, action
// type, then the parameters leaf by leaf (objects by member, arrays by index; the
// parameters' "model" is named "model"). Empty when the inputs are the same.
QList<FieldDifference> keyDifferences(const CacheKeyParts &cached, const CacheKeyParts &wanted);

// Among `candidates` (entries of the same scope, bot and action type, newest first), the
// one whose inputs differ from `wanted` in the fewest fields (the newest on a tie), and
// why the call missed. `refresh`: the run asked to record again.
MissExplanation explainMiss(const CacheKeyParts &wanted, const QList<CacheEntry> &candidates, bool refresh);

} // namespace invoke::cache
