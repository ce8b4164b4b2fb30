#pragma once
// A run's own replay-cache entries in an invoke body (`replay_entries`: docs/server.md;
// docs/runs.md, Re-running a run file), checked before the run's stream starts, so that a
// wrong one is answered 400 naming it, as every other field of the body is, instead of a
// stream whose run fails at once. The engine checks them again when the run starts
// (core/backend/localinvocation.cpp): the same check, cache::RunReplayCache::fromJson.
#include "core/model/invocation/invokerequest.h"

#include <QtCore/QString>

namespace invoke::server {

// Empty when `request` is no replay run, carries no entries, or carries entries a replay
// run can be answered from; else what is wrong, naming the entry ("replay_entries[2]:
// \"key\" ... is not the SHA-256 of the entry's parts ...", "... share one scope").
QString replayEntriesProblem(const InvokeRequest &request);

} // namespace invoke::server
