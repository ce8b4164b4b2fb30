#pragma once
// The command line of invoke-cli, parsed into plain values. Parsing reads the files the
// options name (--messages, --mocks) so that every problem with the input is reported
// before anything runs.
#include "app/cli/remotetarget.h"
#include "core/filter/filter.h"
#include "core/model/invocation/invokerequest.h"

#include <QtCore/QStringList>

#include <optional>

namespace invoke::cli {

enum ExitCode { ExitOk = 0, ExitFailed = 1, ExitUsage = 2 };

// A problem with the command line or a file it names; exits with ExitUsage.
struct UsageError
{
    QString message;
    QString command;        // the subcommand whose --help the hint points at
    bool showHint = true;   // "Try 'invoke-cli invoke --help'." (not for file contents)
};

struct BotsArguments
{
    bool json = false;
    QStringList botFolders; // --bots-dir, after the bundled and the user's folders
    RemoteTarget remote;    // --endpoint / --profile: a server instead of the engine
};

struct DatasetsArguments
{
    bool json = false;
    QStringList datasetFolders; // --datasets-dir, after the bundled and the user's folders
    RemoteTarget remote;        // --endpoint / --profile: a server instead of the engine
};

struct InvokeArguments
{
    InvokeRequest request;
    bool stream = false;
    QStringList botFolders;
    QStringList datasetFolders; // --datasets-dir
    bool mocksGiven = false; // --mocks named a file; otherwise manual mode uses the bundled set
    QString saveMocksFile;   // --save-mocks: write the run's mock set here (redacted)
    RemoteTarget remote;     // --endpoint / --profile: a server instead of the engine
    // codeexec on the embedded engine: --allow-unsandboxed-code (UNSAFE),
    // --sandbox-tmp-size, --sandbox-work-size; unset ones keep the studio's settings.
    std::optional<bool> allowUnsandboxedCode;
    std::optional<qint64> sandboxTmpBytes;
    std::optional<qint64> sandboxWorkBytes;
    // --filter EXPR: print only the events this display filter matches (app/cli/filter/).
    std::optional<filter::Filter> eventFilter;
    // The replay cache (docs/cache.md): --cache URL and --scope NAME; empty ones fall back
    // to INVOKE_CACHE_URL / INVOKE_CACHE_SCOPE, then the user's replay.sqlite and "local".
    QString cacheUrl;
    QString cacheScope;
};

struct MocksArguments
{
    QString action;         // validate
    QString file;
    QString botKey;         // --bot: check step paths and print the coverage
    QStringList botFolders; // --bots-dir
};

struct CacheArguments
{
    QString action; // stats | list | show | clear | export | import
    QString key;    // for show: a key or a unique prefix
    QString file;   // for export and import: the JSON Lines file
    QString scope;  // --scope: list, clear and export only this scope; import into it
    QString cacheUrl; // --cache URL; empty: INVOKE_CACHE_URL, then the user's replay.sqlite
    bool json = false;
};

struct Arguments
{
    enum Command { Help, Version, Bots, Invoke, Cache, Mocks, Datasets };
    Command command = Help;
    QString helpTopic; // for Help: "", "bots", "datasets", "invoke", "cache" or "mocks"
    BotsArguments bots;
    DatasetsArguments datasets;
    InvokeArguments invoke;
    CacheArguments cache;
    MocksArguments mocks;
};

// `args` excludes the program name. Returns the error when the line cannot be run.
std::optional<Arguments> parseArguments(const QStringList &args, UsageError *error);

// The --help text of the tool ("") or of one command.
QString helpText(const QString &command);

// Reads `-p` values: a JSON object, or key=value where value is JSON when it parses
// and a string otherwise. Merges into `parameters`; false with `error` when malformed.
bool addParameter(const QString &argument, Json &parameters, QString *error);

// Reads `-m TEXT`: a user message unless TEXT starts with "assistant:", "system:" or
// "user:" (the prefix and one following space are dropped).
Message messageFromArgument(const QString &argument);

// Reads a JSON array of {role, content}; `error` says the file and the line.
std::optional<QList<Message>> readMessagesFile(const QString &filePath, QString *error);

// Reads a mock set; on failure `error` lists every problem as "file:line: key: reason".
std::optional<MockSet> readMocksFile(const QString &filePath, QString *error);

} // namespace invoke::cli
