#pragma once
// invoke-cli batch: one bot over the rows of an input file (docs/tests.md, "Batch runs").
#include <QtCore/QStringList>

namespace invoke::cli {

// `args` start after "batch"; returns the exit code.
int runBatchCommand(const QStringList &args);
QString batchHelpText();

} // namespace invoke::cli
