#pragma once
// invoke-cli invoke --stream: prints a run's events as they arrive. The events format
// prints each event as one compact JSON line. The text format prints the visible text on
// stdout; with -v, the public SDK's verbose stream on stderr around it: a "Bot:" and an
// "Invocation ID:" line first, "▸ path (action)" when a visible step starts and
// "✓ path" when it finishes, each on a line of its own (when stdout and stderr are the
// same file, a step line after text that did not end its line starts on a new one).
// On a terminal, and only there, the step lines are coloured (unless NO_COLOR is set) and
// a live "… 2.4 s" line shows the time since the start while nothing else is printed.
#include "core/model/event.h"
#include "core/model/invocation/invokerequest.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QTimer>

namespace invoke::cli {

class StreamProgress : public QObject
{
public:
    struct Terminal
    {
        bool colour = false;     // ANSI colours on the progress lines
        bool liveLine = false;   // the elapsed-time line, redrawn in place
        bool sharedOutput = false; // stdout and stderr go to the same place
        // Read from the process: stderr a terminal (and TERM not "dumb"), NO_COLOR unset,
        // and whether file descriptors 1 and 2 are the same file, pipe or terminal.
        static Terminal detect();
    };

    StreamProgress(OutputFormat format, bool verbose, QString botKey, Terminal terminal);

    void print(const QList<Event> &events);
    // Ends the streamed text with a newline, so the shell prompt starts on its own line.
    void finish();

    // Where printing goes (tests replace it; stdout and stderr by default).
    std::function<void(const QString &)> out;
    std::function<void(const QString &)> err;

private:
    void printHeader(const QString &bot, const QString &invocationId);
    void printVisibleText(const Json &parsed);
    void printStepStarted(const Event &event, const Json &parsed);
    void printStepFinished(const Event &event, const Json &parsed);
    void progressLine(const QString &line);
    void clearLiveLine();
    void drawLiveLine();
    QString paint(const char *sgr, const QString &text) const;

    OutputFormat m_format;
    bool m_verbose;
    QString m_botKey;
    Terminal m_terminal;
    bool m_headerShown = false;
    bool m_textEndsLine = true; // the streamed text so far ends with a newline (or is none)
    bool m_liveLineShown = false;
    // The visible steps started and not yet finished, innermost last: a finish that names no
    // step closes the innermost one, as core/fold/runfold.cpp does.
    QStringList m_running;
    QElapsedTimer m_clock;
    QTimer m_tick;
};

} // namespace invoke::cli
