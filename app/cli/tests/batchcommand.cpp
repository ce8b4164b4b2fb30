// invoke-cli batch: reads every row first (refusing a bad file whole), skips the rows an
// earlier run of the same output file finished, runs the rest in parallel and writes
// each row's JSON line as it finishes.
#include "app/cli/tests/batchcommand.h"

#include "app/cli/commands.h"
#include "app/cli/console.h"
#include "app/cli/interruptwatcher.h"
#include "app/cli/localengine.h"
#include "app/cli/runs/clihistory.h"
#include "app/cli/tests/batcharguments.h"
#include "core/agenttests/batchinput.h"
#include "core/agenttests/batchoutput.h"
#include "core/agenttests/runqueue.h"
#include "core/agenttests/testrunner.h"
#include "core/backend/backend.h"
#include "core/config/environmentsecret.h"
#include "core/config/llmsettings.h"
#include "core/config/sandboxsettings.h"
#include "core/model/invocation/invocationsummary.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QSettings>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace invoke::cli {

using namespace agenttests;

namespace {

struct Tally
{
    int total = 0;      // rows in the input
    int skipped = 0;    // succeeded in an earlier run
    int toRun = 0;
    int succeeded = 0;
    int failed = 0;
    qint64 tokens = 0;
    int replayHits = 0;
};

// A bar that rewrites itself on a terminal; nothing when stderr is a pipe or a file.
class ProgressBar
{
public:
    explicit ProgressBar(int total) : m_total(total), m_terminal(isatty(STDERR_FILENO) == 1) { m_clock.start(); }
    void show(const Tally &t)
    {
        if (!m_terminal || m_total == 0)
            return;
        const int done = t.succeeded + t.failed;
        constexpr int width = 30;
        const int filled = int(qint64(done) * width / m_total);
        printErr(u"\r\x1b[2K[%1%2] %3/%4 rows, %5 failed, %6 s"_s.arg(QString(filled, u'#'), QString(width - filled, u'-'))
                     .arg(done).arg(m_total).arg(t.failed).arg(m_clock.elapsed() / 1000));
    }
    void clear()
    {
        if (m_terminal && m_total > 0)
            printErr(u"\r\x1b[2K"_s);
    }
    qint64 elapsedMs() const { return m_clock.elapsed(); }

private:
    int m_total;
    bool m_terminal;
    QElapsedTimer m_clock;
};

int usageError(const UsageError &error)
{
    printErr(u"invoke-cli: "_s + error.message + u'\n');
    if (error.showHint)
        printErr(u"Try 'invoke-cli batch --help'.\n"_s);
    return ExitUsage;
}

void count(const InvokeResult &result, Tally &tally)
{
    for (const StepRecord &step : result.steps) {
        tally.tokens += std::max<qint64>(step.inputTokens, 0) + std::max<qint64>(step.outputTokens, 0);
        tally.replayHits += step.source == Source::ReplayHit;
    }
}

int runRows(Backend &backend, const BatchArguments &args, const QList<BatchRow> &rows, BatchOutput &output,
            Tally &tally, const QStringList &secrets)
{
    InvokeRequest base;
    base.botKey = args.botKey;
    base.mode = args.mode;
    base.datasets = args.datasets;
    base.manualMocks = args.mocks;
    if (args.mode.kind == Mode::Manual && !args.mocksGiven) {
        QString error;
        if (auto mocks = bundledMockSet(args.botKey, &error))
            base.manualMocks = *mocks;
        else if (!error.isEmpty()) {
            printErr(u"error: "_s + error + u'\n');
            return ExitFailed;
        }
    }
    // Failed rows (every row with --record) go into the run history (docs/runs.md).
    const auto history = openRunHistory();
    RunQueue queue(backend, {args.jobs, args.timeoutSeconds * 1000, history != nullptr});
    ProgressBar bar(tally.toRun);
    bool interrupted = false;
    QString writeError;
    QObject::connect(&queue, &RunQueue::runFinished, &queue, [&](int row, const RunOutcome &outcome) {
        // An interrupted row did not finish: it stays missing, and runs again next time.
        if (interrupted && outcome.result.cancelled && !outcome.timedOut)
            return;
        InvokeResult result = outcome.result;
        if (outcome.timedOut)
            result.error = u"timed out after %1 s (--timeout)"_s.arg(args.timeoutSeconds);
        Json line = InvocationSummary::from(result).toJson();
        line["row"] = row;
        (result.success ? tally.succeeded : tally.failed) += 1;
        if (history && (args.record || !result.success) && !result.invocationId.isEmpty()) {
            InvokeRequest request = base;
            request.messages = rows.at(row - 1).messages;
            request.parameters = rows.at(row - 1).parameters;
            history->recordFinished(history::RunRecord::fromResult(result, request, outcome.durationMs,
                                                                   profileName(args.remote)),
                                    secrets + backend.secrets());
        }
        if (!result.success) {
            bar.clear();
            printErr(u"row %1: %2\n"_s.arg(row).arg(result.error.isEmpty() ? u"the run failed"_s : result.error));
        }
        count(result, tally);
        if (writeError.isEmpty() && !output.add(row, line, &writeError))
            queue.stop();
        bar.show(tally);
    });
    InterruptWatcher interrupts;
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, &queue, [&] {
        interrupted = true;
        queue.stop();
    });
    for (const BatchRow &row : rows) {
        if (output.succeeded(row.row))
            continue;
        InvokeRequest request = base;
        request.messages = row.messages;
        request.parameters = row.parameters;
        queue.add(row.row, request);
    }
    QEventLoop loop;
    QObject::connect(&queue, &RunQueue::drained, &loop, &QEventLoop::quit);
    if (tally.toRun > 0)
        loop.exec();
    bar.clear();
    QString finishError;
    if (!output.finish(&finishError) && writeError.isEmpty())
        writeError = finishError;
    const int missing = tally.toRun - tally.succeeded - tally.failed;
    QString summary = u"%1 rows: %2 succeeded, %3 failed"_s.arg(tally.total).arg(tally.skipped + tally.succeeded).arg(tally.failed);
    if (tally.skipped > 0)
        summary += u" (%1 succeeded in an earlier run, skipped)"_s.arg(tally.skipped);
    if (missing > 0)
        summary += u", %1 not run (interrupted: run again to finish them)"_s.arg(missing);
    summary += u"; %1 tokens, %2 replay hits; %3 s\n"_s.arg(tally.tokens).arg(tally.replayHits)
                   .arg(double(bar.elapsedMs()) / 1000.0, 0, 'f', 1);
    printErr(summary);
    if (!writeError.isEmpty()) {
        printErr(u"error: "_s + writeError + u'\n');
        return ExitFailed;
    }
    return tally.failed == 0 && missing == 0 ? ExitOk : ExitFailed;
}

} // namespace

int runBatchCommand(const QStringList &arguments)
{
    UsageError error;
    bool help = false;
    const auto args = parseBatchArguments(arguments, &error, &help);
    if (help) {
        printOut(batchHelpText());
        return ExitOk;
    }
    if (!args)
        return usageError(error);
    const BatchInput input = readBatchInput(args->inputFile);
    if (!input.rows) {
        for (const QString &p : input.problems)
            printErr(p + u'\n');
        printErr(u"invoke-cli: nothing was run: fix the input file first\n"_s);
        return ExitUsage;
    }
    BatchOutput output;
    QString why;
    if (!output.open(args->outputFile, &why)) {
        printErr(u"invoke-cli: "_s + why + u'\n');
        return ExitUsage;
    }
    if (output.unreadableLines() > 0)
        printErr(u"%1: %2 unreadable lines of an earlier run dropped (a run cut short?)\n"_s.arg(args->outputFile)
                     .arg(output.unreadableLines()));
    Tally tally;
    tally.total = int(input.rows->size());
    for (const BatchRow &row : *input.rows)
        (output.succeeded(row.row) ? tally.skipped : tally.toRun) += 1;
    const bool needsLlm = args->mode.kind != Mode::Manual && !args->remote.isSet();
    const LlmSettings llm = llmSettings(needsLlm);
    return runOn(args->remote,
                 [&] {
                     return localBackend({.extraBotFolders = args->botFolders,
                                          .extraDatasetFolders = args->datasetFolders,
                                          .llm = llm,
                                          .sandbox = SandboxSettings::fromSettings(QSettings())});
                 },
                 [&](Backend &backend) {
                     const QStringList secrets{llm.apiKey,
                                               takeSecretFromEnvironment("INVOKE_AUTH_TOKEN").value_or(QString())};
                     return runRows(backend, *args, *input.rows, output, tally, secrets);
                 });
}

} // namespace invoke::cli
