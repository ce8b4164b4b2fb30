// invoke-cli invoke: runs one invocation, prints it in the chosen format (or streams
// it), and maps the outcome to the exit code.
#include "app/cli/interruptwatcher.h"
#include "app/cli/commands.h"
#include "app/cli/console.h"
#include "app/cli/filter/eventfilteroption.h"
#include "core/backend/backend.h"
#include "core/backend/invocation.h"
#include "core/config/paths.h"
#include "core/format/formatter.h"
#include "core/wire/events.h"

#include <QtCore/QEventLoop>
#include <QtCore/QFileInfo>

#include <memory>

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {

// Prints events as they arrive: the visible text (text format) or one compact JSON
// event per line (events format). With verbose text, finished steps go to stderr.
class StreamPrinter
{
public:
    StreamPrinter(OutputFormat format, bool verbose) : m_format(format), m_verbose(verbose) {}

    void print(const QList<Event> &events)
    {
        for (const Event &event : events) {
            if (m_format == OutputFormat::Events) {
                printOut(QString::fromUtf8(event.raw) + u'\n');
                continue;
            }
            const Json parsed = event.json();
            switch (wire::kindOf(event, parsed)) {
            case EventKind::MessageContent:
                printVisibleText(parsed);
                break;
            case EventKind::StepFinished:
                if (m_verbose)
                    printStep(event, parsed);
                break;
            default:
                break;
            }
        }
    }

    // Ends the streamed text with a newline, so the shell prompt starts on its own line.
    void finish()
    {
        if (m_format == OutputFormat::Text && !m_endsWithNewline)
            printOut(u"\n"_s);
    }

private:
    void printVisibleText(const Json &parsed)
    {
        const Json &payload = wire::payloadOf(parsed);
        if (!payload.is_string() || stringField(wire::metadataOf(parsed), "user_visibility") == u"hidden"_s)
            return;
        const QString chunk = toQString(payload.get_ref<const std::string &>());
        if (chunk.isEmpty())
            return;
        printOut(chunk);
        m_endsWithNewline = chunk.endsWith(u'\n');
    }

    void printStep(const Event &event, const Json &parsed)
    {
        const Json &payload = wire::payloadOf(parsed);
        const Json result = payload.value("result", Json::object());
        const bool ok = stepStatusFromWire(stringField(result, "status")) == StepStatus::Success;
        const QString path = event.path.isEmpty() ? stringField(payload, "key") : event.path;
        printErr(u"  %1 %2 (%3)\n"_s.arg(ok ? u"✓"_s : u"•"_s, path, stringField(payload, "action_type")));
    }

    OutputFormat m_format;
    bool m_verbose;
    bool m_endsWithNewline = true;
};

// Manual mode without --mocks: the bot's bundled mock set, when it has one.
bool addBundledMocks(InvokeRequest &request, QString *error)
{
    const QString file = paths::bundledMocks() + u'/' + request.botKey + u".mocks.json"_s;
    if (!QFileInfo::exists(file))
        return true;
    auto mocks = MockSet::load(file, error);
    if (!mocks)
        return false;
    request.manualMocks = *mocks;
    if (request.verbose)
        printErr(u"Using the bundled mock set %1\n"_s.arg(file));
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
    StreamPrinter printer(request.outputFormat, request.verbose);
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
