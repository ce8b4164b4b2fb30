#pragma once
// The command line of `invoke-cli test` (docs/tests.md).
#include "app/cli/cliarguments.h"

namespace invoke::cli {

struct TestArguments
{
    QStringList paths;       // files and folders; "." when none
    int jobs = 1;            // -j, default the core count
    int timeoutSeconds = 120;
    bool refresh = false;
    bool offline = false;
    QString nameFilter;      // -k
    bool verbose = false;    // -v
    QString junitFile;       // --junit
    bool json = false;       // --json: JSON Lines, one object per case
    bool record = false;     // --record: every case into the run history, not only failed ones
    QStringList botFolders;     // --bots-dir
    QStringList datasetFolders; // --datasets-dir
    RemoteTarget remote;
};

// `args` starts after "test". nullopt with `error` on a usage error; `help` set on --help.
std::optional<TestArguments> parseTestArguments(const QStringList &args, UsageError *error, bool *help);

} // namespace invoke::cli
