// invoke-cli invoke: runs one invocation, prints it in the chosen format (or streams
// it), and maps the outcome to the exit code.
#include "app/cli/interruptwatcher.h"
#include "app/cli/runs/clihistory.h"
#include "core/agenttests/testrunner.h"
#include "app/cli/commands.h"
#include "app/cli/console.h"
#include "app/cli/streamprogress.h"
#include "app/cli/filter/eventfilteroption.h"
#include "core/backend/backend.h"
#include "core/backend/invocation.h"
#include "core/format/formatter.h"
#include "core/wire/events.h"

#include <QtCore/QEventLoop>

#include <memory>

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {

// Manual mode without --mocks: the bot's bundled mock set, when it has one.
bool addBundledMocks(InvokeRequest &request, QString *error)
{
    auto mocks = agenttests::bundledMockSet(request.botKey, error);
    if (!mocks)
        return error->isEmpty(); // none bundled is fine; one that does not load is not
    request.manualMocks = *mocks;
    if (request.verbose) // named for people, not by its resource path
        printErr(u"Using the bundled example mock set for %1\n"_s.arg(request.botKey));
    return true;
}

} // namespace

int runInvoke(Backend &backend, const InvokeArguments &args, const QStringList &secrets)
{
    InvokeRequest request = args.request;
    QString error;
    if (request.mode.kind == Mode::Manual && !args.mocksGiven && !addBundledMocks(request, &error)) {
        printErr(u"error: "_s + error + u'\n');
        return ExitFailed;
    }

    std::unique_ptr<Invocation> invocation(backend.invoke(request));
    // Only the events format prints the run's events after it ends: only then are they
    // kept (docs/architecture.md, "Who keeps a run's events"); --stream prints them as
    // they arrive, and the text and JSON formats read the fold's steps and messages.
    invocation->setKeepEvents(request.outputFormat == OutputFormat::Events && !args.stream);
    // Into the run history (docs/runs.md), written before this function returns.
    const RecordedRun recorded(invocation.get(), request, args.remote, backend, secrets);
    StreamProgress printer(request.outputFormat, request.verbose, request.botKey, StreamProgress::Terminal::detect());
    EventSelection selection(args.eventFilter.value_or(filter::Filter())); // --filter; empty: all
    if (args.stream)
        QObject::connect(invocation.get(), &Invocation::eventsArrived, invocation.get(),
                         [&](const QList<Event> &events) { printer.print(selection.select(events)); });
    // Ctrl+C cancels the run: the partial output is printed and marked cancelled.
    InterruptWatcher interrupts;
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, invocation.get(), &Invocation::cancel);
    QEventLoop loop;
    QObject::connect(invocation.get(), &Invocation::finished, &loop, &QEventLoop::quit);
    if (!invocation->isFinished())
        loop.exec();

    const InvokeResult &result = invocation->result();
    // A run that never started (unknown bot) has nothing to show as text but its error.
    const bool nothingRan = invocation->eventCount() == 0 && request.outputFormat == OutputFormat::Text;
    if (args.stream)
        printer.finish();
    else if (!nothingRan) {
        InvokeResult shown = result;
        shown.events = selection.select(result.events);
        QString output = format::render(shown, request.outputFormat, request.verbose);
        if (!output.endsWith(u'\n'))
            output += u'\n';
        printOut(output);
    }
    if (!args.saveMocksFile.isEmpty() && !saveRunMocks(result, args.saveMocksFile, secrets))
        return ExitFailed;
    if (!result.success) {
        printErr(u"error: "_s + (result.error.isEmpty() ? u"the invocation failed"_s : result.error) + u'\n');
        return ExitFailed;
    }
    return ExitOk;
}

} // namespace invoke::cli
