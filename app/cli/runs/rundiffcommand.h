#pragma once
#include "core/history/runrecord.h"

namespace invoke::cli {

// A run from the history (an id or a unique prefix) or from a run file.
std::optional<history::RunRecord> loadRun(const QString &idOrFile, QString *error);

// invoke-cli runs diff A B [--json].
int runDiff(const QString &a, const QString &b, bool json);

} // namespace invoke::cli
