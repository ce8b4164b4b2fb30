#include "app/server/routes/replayentries.h"

#include "core/cache/runreplaycache.h"

namespace invoke::server {

QString replayEntriesProblem(const InvokeRequest &request)
{
    // Only a replay run reads them (the engine ignores them in the other modes).
    if (request.mode.kind != Mode::Replay || !request.replayEntries.is_array())
        return {};
    QString error;
    if (!cache::RunReplayCache::fromJson(request.replayEntries, &error))
        return error.isEmpty() ? QStringLiteral("replay_entries: not usable as a run's replay-cache entries") : error;
    return {};
}

} // namespace invoke::server
