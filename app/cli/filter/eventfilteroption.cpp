#include "app/cli/filter/eventfilteroption.h"

#include "app/cli/console.h"

using namespace Qt::StringLiterals;

namespace invoke::cli {

std::optional<filter::Filter> parseFilterOption(const QString &text, QString *message)
{
    filter::ParseError error;
    std::optional<filter::Filter> parsed = filter::Filter::parse(text, &error);
    if (!parsed && message)
        *message = u"--filter: column %1: %2\n"_s.arg(error.column()).arg(error.message)
                   + filter::caretDiagram(text, error);
    return parsed;
}

QList<Event> EventSelection::select(const QList<Event> &events)
{
    if (m_filter.isEmpty())
        return events;
    QList<Event> kept;
    for (const Event &event : events) {
        filter::MatchProblem problem;
        if (m_filter.matches(event, &problem))
            kept.append(event);
        if (problem.isSet() && !m_warned) {
            m_warned = true;
            printErr(u"warning: --filter: "_s + problem.message + u"; such events are left out\n"_s);
        }
    }
    return kept;
}

} // namespace invoke::cli
