#pragma once
#include "core/history/botsources.h"
#include "core/history/runrecord.h"

namespace invoke::cli {

// A run from the history (an id or a unique prefix) or from a run file.
std::optional<history::RunRecord> loadRun(const QString &idOrFile, QString *error);
// The bot definitions the history kept with a run (by its full invocation id).
std::optional<QList<history::BotSource>> loadKeptBots(const QString &invocationId, QString *error);

// invoke-cli runs diff A B [--json].
int runDiff(const QString &a, const QString &b, bool json);

} // namespace invoke::cli
