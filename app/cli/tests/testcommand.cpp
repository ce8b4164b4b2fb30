// invoke-cli test: finds the tests files, refuses them all if any is wrong, runs the
// cases in parallel on the engine or a server, prints each verdict and the summary.
#include "app/cli/tests/testcommand.h"

#include "app/cli/commands.h"
#include "app/cli/console.h"
#include "app/cli/interruptwatcher.h"
#include "app/cli/localengine.h"
#include "app/cli/runs/clihistory.h"
#include "app/cli/tests/testarguments.h"
#include "app/cli/tests/testreporter.h"
#include "core/agenttests/junitreport.h"
#include "core/agenttests/testdiscovery.h"
#include "core/agenttests/testfileparser.h"
#include "core/agenttests/testrunner.h"
#include "core/backend/backend.h"
#include "core/config/environmentsecret.h"
#include "core/config/llmsettings.h"
#include "core/config/sandboxsettings.h"

#include <QtCore/QEventLoop>
#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

namespace invoke::cli {

using namespace agenttests;

namespace {

int usageError(const UsageError &error)
{
    printErr(u"invoke-cli: "_s + error.message + u'\n');
    if (error.showHint)
        printErr(u"Try 'invoke-cli test --help'.\n"_s);
    return ExitUsage;
}

// Every case of every file, or nullopt when any file is wrong (each problem printed).
std::optional<QList<QueuedCase>> loadCases(const TestArguments &args, int *fileCount)
{
    QStringList problems;
    const QStringList files = findTestFiles(args.paths, &problems);
    if (files.isEmpty() && problems.isEmpty())
        problems << u"no *.tests.json files in %1"_s.arg(args.paths.join(u", "_s));
    QList<QueuedCase> cases;
    for (const QString &file : files) {
        TestFileResult loaded = loadTestFile(file);
        problems << loaded.problems;
        if (!loaded.file)
            continue;
        for (TestCase &c : loaded.file->cases)
            if (args.nameFilter.isEmpty() || c.name.contains(args.nameFilter, Qt::CaseInsensitive))
                cases.append({file, std::move(c)});
    }
    if (!problems.isEmpty()) {
        for (const QString &p : std::as_const(problems))
            printErr(p + u'\n');
        printErr(u"invoke-cli: nothing was run: fix the tests files above first\n"_s);
        return std::nullopt;
    }
    *fileCount = int(files.size());
    return cases;
}

bool needsLlm(const QList<QueuedCase> &cases, const TestArguments &args)
{
    if (args.offline || args.remote.isSet())
        return false;
    return std::any_of(cases.cbegin(), cases.cend(),
                       [](const QueuedCase &c) { return c.testCase.request.mode.kind != Mode::Manual; });
}

int runCases(Backend &backend, const QList<QueuedCase> &cases, const TestArguments &args, int fileCount,
             const QStringList &secrets)
{
    // Failed cases (every case with --record) go into the run history (docs/runs.md):
    // their events are kept until the verdict, then let go.
    const auto history = openRunHistory();
    TestRunner::Options options;
    options.keepEvents = history != nullptr;
    options.jobs = args.jobs;
    options.timeoutSeconds = args.timeoutSeconds;
    options.refresh = args.refresh;
    options.offline = args.offline;
    TestRunner runner(backend, options);
    TestReporter reporter(args.json, args.verbose, int(cases.size()));
    JUnitReport junit;
    QObject::connect(&runner, &TestRunner::caseFinished, &runner, [&](int index, const CaseResult &result) {
        reporter.caseFinished(result);
        if (history && (args.record || result.status != CaseStatus::Passed) && !result.invocationId.isEmpty())
            history->recordFinished(history::RunRecord::fromResult(result.run, cases.at(index).testCase.request,
                                                                   result.durationMs, profileName(args.remote)),
                                    secrets + backend.secrets());
        if (!args.junitFile.isEmpty())
            junit.add(result, index);
    });
    // Ctrl+C stops the run: the cases that finished are reported (and in the JUnit file).
    InterruptWatcher interrupts;
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, &runner, &TestRunner::stop);
    QEventLoop loop;
    QObject::connect(&runner, &TestRunner::finished, &loop, &QEventLoop::quit);
    runner.start(cases);
    if (runner.isRunning())
        loop.exec();
    reporter.finish(fileCount);
    if (!args.junitFile.isEmpty()) {
        QString error;
        if (!junit.write(args.junitFile, &error)) {
            printErr(u"error: the JUnit report: "_s + error + u'\n');
            return ExitFailed;
        }
    }
    return reporter.failed() + reporter.errors() == 0 ? ExitOk : ExitFailed;
}

} // namespace

int runTestCommand(const QStringList &arguments)
{
    UsageError error;
    bool help = false;
    const auto args = parseTestArguments(arguments, &error, &help);
    if (help) {
        printOut(testHelpText());
        return ExitOk;
    }
    if (!args)
        return usageError(error);
    int fileCount = 0;
    const auto cases = loadCases(*args, &fileCount);
    if (!cases)
        return ExitUsage;
    const LlmSettings llm = llmSettings(needsLlm(*cases, *args));
    return runOn(args->remote,
                 [&] {
                     return localBackend({.extraBotFolders = args->botFolders,
                                          .extraDatasetFolders = args->datasetFolders,
                                          .llm = llm,
                                          .sandbox = SandboxSettings::fromSettings(QSettings()),
                                          .replayLookupOnly = args->offline});
                 },
                 [&](Backend &backend) {
                     const QStringList secrets{llm.apiKey,
                                               takeSecretFromEnvironment("INVOKE_AUTH_TOKEN").value_or(QString())};
                     return runCases(backend, *cases, *args, fileCount, secrets);
                 });
}

} // namespace invoke::cli
