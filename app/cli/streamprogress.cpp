#include "app/cli/streamprogress.h"
#include "app/cli/console.h"

#include "core/model/invocation/runvalues.h"
#include "core/wire/events.h"

#include <cstdio>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {

const char *const Bold = "1";
const char *const Dim = "2";
const char *const Green = "32";
const char *const Red = "31";
const char *const Yellow = "33";
const char *const Cyan = "36";

bool visible(const Json &parsed)
{
    // Events from servers that do not say are shown.
    return stringField(wire::metadataOf(parsed), "user_visibility") != u"hidden"_s;
}

QString stepPath(const Event &event, const Json &payload)
{
    return event.path.isEmpty() ? stringField(payload, "key") : event.path;
}

} // namespace

StreamProgress::Terminal StreamProgress::Terminal::detect()
{
    Terminal terminal;
    const bool tty = ::isatty(STDERR_FILENO) == 1;
    const char *term = std::getenv("TERM");
    const bool dumb = term && std::string_view(term) == "dumb";
    const char *noColour = std::getenv("NO_COLOR");
    terminal.colour = tty && !dumb && !(noColour && *noColour);
    terminal.liveLine = tty && !dumb;
    struct stat out {}, err {};
    terminal.sharedOutput = ::fstat(STDOUT_FILENO, &out) == 0 && ::fstat(STDERR_FILENO, &err) == 0
                            && out.st_dev == err.st_dev && out.st_ino == err.st_ino;
    return terminal;
}

StreamProgress::StreamProgress(OutputFormat format, bool verbose, QString botKey, Terminal terminal)
    : out(printOut), err(printErr), m_format(format), m_verbose(verbose), m_botKey(std::move(botKey)),
      m_terminal(terminal)
{
    m_clock.start();
    if (m_verbose && m_format == OutputFormat::Text && m_terminal.liveLine) {
        m_tick.setInterval(100);
        connect(&m_tick, &QTimer::timeout, this, &StreamProgress::drawLiveLine);
        m_tick.start();
    }
}

void StreamProgress::print(const QList<Event> &events)
{
    for (const Event &event : events) {
        if (m_format == OutputFormat::Events) {
            out(QString::fromUtf8(event.raw) + u'\n');
            continue;
        }
        const Json parsed = event.json();
        const EventKind kind = wire::kindOf(event, parsed);
        if (m_verbose && !m_headerShown) {
            const Json &payload = wire::payloadOf(parsed);
            if (kind == EventKind::InvocationStarted) {
                const QString name = stringField(payload, "bot_name");
                const QString key = stringField(payload, "bot_key", m_botKey);
                printHeader(name.isEmpty() || name == key ? key : u"%1 (%2)"_s.arg(name, key),
                            stringField(payload, "invocation_id", stringField(wire::metadataOf(parsed), "invocation_id")));
            } else {
                // A stream without its start: what the request and the metadata say.
                printHeader(m_botKey, stringField(wire::metadataOf(parsed), "invocation_id"));
            }
        }
        switch (kind) {
        case EventKind::MessageContent:
            printVisibleText(parsed);
            break;
        case EventKind::StepStarted:
            if (m_verbose)
                printStepStarted(event, parsed);
            break;
        case EventKind::StepFinished:
            if (m_verbose)
                printStepFinished(event, parsed);
            break;
        default:
            break;
        }
    }
}

void StreamProgress::finish()
{
    m_tick.stop();
    clearLiveLine();
    if (m_format == OutputFormat::Text && !m_textEndsLine)
        out(u"\n"_s);
    m_textEndsLine = true;
    if (m_verbose && m_format == OutputFormat::Text && m_headerShown)
        progressLine(paint(Dim, u"Finished in %1 s"_s.arg(double(m_clock.elapsed()) / 1000.0, 0, 'f', 1)));
}

void StreamProgress::printHeader(const QString &bot, const QString &invocationId)
{
    m_headerShown = true;
    progressLine(paint(Bold, u"Bot:"_s) + u' ' + bot);
    progressLine(paint(Bold, u"Invocation ID:"_s) + u' ' + (invocationId.isEmpty() ? u"(not given)"_s : invocationId));
}

void StreamProgress::printVisibleText(const Json &parsed)
{
    const Json &payload = wire::payloadOf(parsed);
    if (!payload.is_string() || !visible(parsed))
        return;
    const QString chunk = toQString(payload.get_ref<const std::string &>());
    if (chunk.isEmpty())
        return;
    clearLiveLine();
    out(chunk);
    m_textEndsLine = chunk.endsWith(u'\n');
}

void StreamProgress::printStepStarted(const Event &event, const Json &parsed)
{
    if (!visible(parsed))
        return;
    const Json &payload = wire::payloadOf(parsed);
    const QString path = stepPath(event, payload);
    m_running.append(path);
    progressLine(paint(Cyan, u"▸"_s) + u' ' + path + u' '
                 + paint(Dim, u"(%1)"_s.arg(stringField(payload, "action_type"))));
}

void StreamProgress::printStepFinished(const Event &event, const Json &parsed)
{
    if (!visible(parsed))
        return;
    const Json &payload = wire::payloadOf(parsed);
    const Json result = payload.value("result", Json::object());
    QString path = stepPath(event, payload);
    if (path.isEmpty() && !m_running.isEmpty())
        path = m_running.takeLast();
    else
        m_running.removeOne(path);
    if (path.isEmpty())
        path = u"(unnamed step)"_s;
    const QString error = stringField(result, "error");
    switch (finishedStatusFromWire(stringField(result, "status"), !error.isEmpty())) {
    case StepStatus::Success:
        progressLine(paint(Green, u"✓"_s) + u' ' + path);
        break;
    case StepStatus::Error:
        progressLine(paint(Red, u"✗"_s) + u' ' + path + u": "_s + (error.isEmpty() ? u"failed"_s : error));
        break;
    case StepStatus::Cancelled:
        progressLine(paint(Yellow, u"■"_s) + u' ' + path + u" (stopped)"_s);
        break;
    case StepStatus::Skipped:
        progressLine(paint(Dim, u"– %1 (skipped)"_s.arg(path)));
        break;
    default:
        progressLine(u"• "_s + path);
        break;
    }
}

void StreamProgress::progressLine(const QString &line)
{
    clearLiveLine();
    // Text that has not ended its line would run into this one where both are shown.
    if (!m_textEndsLine && m_terminal.sharedOutput) {
        err(u"\n"_s);
        m_textEndsLine = true;
    }
    err(line + u'\n');
}

void StreamProgress::clearLiveLine()
{
    if (!m_liveLineShown)
        return;
    err(u"\r\x1b[2K"_s);
    m_liveLineShown = false;
}

void StreamProgress::drawLiveLine()
{
    // Only at the start of a line: never inside text that is still streaming.
    if (!m_textEndsLine && m_terminal.sharedOutput)
        return;
    const QString elapsed = u"%1 s"_s.arg(double(m_clock.elapsed()) / 1000.0, 0, 'f', 1);
    const QString what = m_running.isEmpty() ? QString() : u" · "_s + m_running.constLast();
    err(u"\r\x1b[2K"_s + paint(Dim, u"… "_s + elapsed + what));
    m_liveLineShown = true;
}

QString StreamProgress::paint(const char *sgr, const QString &text) const
{
    if (!m_terminal.colour)
        return text;
    return u"\x1b[%1m"_s.arg(QLatin1String(sgr)) + text + u"\x1b[0m"_s;
}

} // namespace invoke::cli
