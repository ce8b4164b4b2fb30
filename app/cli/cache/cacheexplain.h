#pragma once
// invoke-cli cache explain RUN_ID [--step PATH]: why a recorded run's replay steps missed
// the replay cache, and how the cache answers them now (docs/cache.md, Why a replay missed).
#include <QtCore/QStringList>

namespace invoke::cli {

// `args` start after "cache explain"; returns the exit code.
int runCacheExplain(const QStringList &args);

} // namespace invoke::cli
