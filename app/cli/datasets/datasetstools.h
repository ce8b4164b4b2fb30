#pragma once
// invoke-cli datasets show | search | import (issue 15): they read the dataset files and
// the index on this machine (app/cli/datasets/), with their own command lines.
#include <QtCore/QStringList>

namespace invoke::cli {

// True for "show", "search" and "import".
bool isDatasetsTool(const QString &word);
// `args` starts with the tool's name. Returns the exit code.
int runDatasetsTool(const QStringList &args);

} // namespace invoke::cli
