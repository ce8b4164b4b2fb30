#pragma once
// The command line of `invoke-cli batch`.
#include "app/cli/cliarguments.h"

namespace invoke::cli {

struct BatchArguments
{
    QString botKey;
    QString inputFile;
    QString outputFile;
    int jobs = 1;
    int timeoutSeconds = 0; // 0: none
    bool record = false;    // --record: every row's run into the history, not only failed ones
    Mode mode;              // live unless --mode
    MockSet mocks;          // --mocks (manual mode); else the bot's bundled set
    bool mocksGiven = false;
    QStringList datasets;
    QStringList botFolders;
    QStringList datasetFolders;
    RemoteTarget remote;
};

std::optional<BatchArguments> parseBatchArguments(const QStringList &args, UsageError *error, bool *help);

} // namespace invoke::cli
