// invoke-cli: bots, datasets, invoke, cache and mocks on the embedded engine (see helptext.cpp).
#include "core/config/appidentity.h"
#include "app/cli/cliarguments.h"
#include "app/cli/datasets/datasetstools.h"
#include "app/cli/commands.h"
#include "app/cli/console.h"
#include "app/cli/localengine.h"
#include "app/cli/cache/cacheexplain.h"
#include "app/cli/runs/clihistory.h"
#include "app/cli/runs/rerunarguments.h"
#include "app/cli/runs/runscommand.h"
#include "app/cli/tests/batchcommand.h"
#include "app/cli/tests/testcommand.h"
#include "core/backend/backend.h"
#include "core/config/environmentsecret.h"
#include "core/config/llmsettings.h"
#include "core/config/paths.h"
#include "core/config/sandboxsettings.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QSettings>

#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

int usage(const cli::UsageError &error)
{
    cli::printErr(u"invoke-cli: "_s + error.message + u'\n');
    if (error.showHint) {
        const QString command = error.command.isEmpty() ? QString() : error.command + u' ';
        cli::printErr(u"Try 'invoke-cli %1--help'.\n"_s.arg(command));
    }
    return cli::ExitUsage;
}

// The studio's sandbox settings, then invoke's flags.
SandboxSettings sandboxSettings(const cli::InvokeArguments &invoke)
{
    SandboxSettings sandbox = SandboxSettings::fromSettings(QSettings());
    sandbox.allowUnsandboxedCode = invoke.allowUnsandboxedCode.value_or(sandbox.allowUnsandboxedCode);
    sandbox.tmpBytes = invoke.sandboxTmpBytes.value_or(sandbox.tmpBytes);
    sandbox.workBytes = invoke.sandboxWorkBytes.value_or(sandbox.workBytes);
    return sandbox;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // The LLM key and the server token are kept in memory only: code the embedded engine
    // runs never finds them in this process's environment.
    takeKnownSecretsFromEnvironment();
    // The studio's identity (app/studio/main.cpp): the CLI shares its bots folder,
    // replay cache and settings.
    invoke::applyAppIdentity();
    QCoreApplication::setApplicationVersion(QStringLiteral(INVOKE_VERSION));

    // --no-history, anywhere on the line: this command records no run (docs/runs.md).
    QStringList arguments = app.arguments().mid(1);
    cli::setHistoryEnabled(arguments.removeAll(u"--no-history"_s) == 0);
    // `test`, `batch` and `runs` read their own command lines (app/cli/tests/, app/cli/runs/).
    // runs rerun runs like invoke (app/cli/runs/rerunarguments.h); the other actions here.
    const bool rerun = arguments.value(0) == u"runs"_s && arguments.value(1) == u"rerun"_s;
    if (arguments.value(0) == u"runs"_s && !rerun)
        return cli::runRunsCommand(arguments.mid(1));
    if (arguments.value(0) == u"help"_s && arguments.value(1) == u"runs"_s) {
        cli::printOut(cli::runsHelpText());
        return cli::ExitOk;
    }
    if (arguments.value(0) == u"cache"_s && arguments.value(1) == u"explain"_s)
        return cli::runCacheExplain(arguments.mid(2)); // app/cli/cache/cacheexplain.cpp
    if (arguments.value(0) == u"datasets"_s && cli::isDatasetsTool(arguments.value(1)))
        return cli::runDatasetsTool(arguments.mid(1)); // show, search, import: app/cli/datasets/
    if (arguments.value(0) == u"test"_s)
        return cli::runTestCommand(arguments.mid(1));
    if (arguments.value(0) == u"batch"_s)
        return cli::runBatchCommand(arguments.mid(1));
    if (arguments.value(0) == u"help"_s && (arguments.value(1) == u"test"_s || arguments.value(1) == u"batch"_s)) {
        cli::printOut(arguments.value(1) == u"test"_s ? cli::testHelpText() : cli::batchHelpText());
        return cli::ExitOk;
    }

    cli::UsageError error;
    const auto args = rerun ? cli::parseRerun(arguments.mid(2), &error) : cli::parseArguments(arguments, &error);
    if (!args)
        return usage(error);

    switch (args->command) {
    case cli::Arguments::Help:
        cli::printOut(cli::helpText(args->helpTopic));
        return cli::ExitOk;
    case cli::Arguments::Version:
        cli::printOut(u"invoke-cli "_s + QCoreApplication::applicationVersion() + u'\n');
        return cli::ExitOk;
    case cli::Arguments::Bots:
        return cli::runOn(args->bots.remote, [&] { return cli::localBackend({.extraBotFolders = args->bots.botFolders}); },
                          [&](Backend &backend) { return cli::runBots(backend, args->bots); });
    case cli::Arguments::Invoke:
    {
        // A server has its own LLM settings: only the engine here needs the key.
        const bool needsLlm = args->invoke.request.mode.kind != Mode::Manual && args->invoke.remote.endpoint.isEmpty();
        const LlmSettings llm = cli::llmSettings(needsLlm);
        return cli::runOn(args->invoke.remote,
                          [&] {
                              return cli::localBackend({.extraBotFolders = args->invoke.botFolders,
                                                        .extraDatasetFolders = args->invoke.datasetFolders,
                                                        .llm = llm,
                                                        .sandbox = sandboxSettings(args->invoke),
                                                        .cacheUrl = args->invoke.cacheUrl,
                                                        .cacheScope = args->invoke.cacheScope});
                          },
                          [&](Backend &backend) {
                              // Masked in what --save-mocks writes: the LLM key and the server's
                              // token, from the environment or from the --profile's keychain entry.
                              const QStringList secrets = QStringList{llm.apiKey,
                                  takeSecretFromEnvironment("INVOKE_AUTH_TOKEN").value_or(QString())} + backend.secrets();
                              return cli::runInvoke(backend, args->invoke, secrets);
                          });
    }
    case cli::Arguments::Datasets:
        return cli::runOn(args->datasets.remote, [&] { return cli::localBackend({.extraDatasetFolders = args->datasets.datasetFolders}); },
                          [&](Backend &backend) { return cli::runDatasets(backend, args->datasets); });
    case cli::Arguments::Cache:
        return cli::runCache(args->cache);
    case cli::Arguments::Mocks:
        return cli::runMocks(args->mocks);
    }
    return cli::ExitUsage;
}
