#pragma once
// invoke-cli runs: the run history and run files (docs/runs.md).
#include <QtCore/QStringList>

namespace invoke::cli {

// `args` start after "runs"; returns the exit code.
int runRunsCommand(const QStringList &args);
QString runsHelpText();

} // namespace invoke::cli
