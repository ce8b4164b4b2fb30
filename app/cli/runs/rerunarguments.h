#pragma once
// invoke-cli runs rerun ID|FILE [OPTIONS] (docs/runs.md): a recorded run's request run
// again, as `invoke` would run it. The bot, messages, parameters, datasets, mocks and
// pinned answers come from the run; the mode too unless --mode is given; a run file's
// replay-cache entries answer its replay in a cache of their own (never the user's), and
// its bot definitions run in a folder of their own (never the user's), unless
// --current-bots asks for the bots as they are now.
// Every other option is invoke's (--format, -v, --stream, --bots-dir, --endpoint, ...).
#include "app/cli/cliarguments.h"

namespace invoke::cli {

// `args` start after "runs rerun". The invoke command's arguments, or nullopt with
// `error` (an unknown run, a bad file, an option that would change the request).
std::optional<Arguments> parseRerun(const QStringList &args, UsageError *error);

} // namespace invoke::cli
