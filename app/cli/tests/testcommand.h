#pragma once
// invoke-cli test: runs the cases of *.tests.json files (docs/tests.md).
#include <QtCore/QStringList>

namespace invoke::cli {

// `args` start after the command's name; returns the exit code.
int runTestCommand(const QStringList &args);
QString testHelpText();

} // namespace invoke::cli
