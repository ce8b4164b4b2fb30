#pragma once
// invoke-cli invoke --filter EXPR (docs/filters.md): only the events a display filter
// matches are printed, after the run (--format events) or as they arrive (--stream).
#include "core/filter/filter.h"

#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

namespace invoke::cli {

// The filter `text` spells; nullopt with `message` for a usage error: the reason with
// its column, then the expression with a caret under that column.
std::optional<filter::Filter> parseFilterOption(const QString &text, QString *message);

// Picks the matching events of each batch. A regular expression that hits its cost limit
// counts as not matching; the first time, a warning goes to stderr.
class EventSelection
{
public:
    explicit EventSelection(filter::Filter filter) : m_filter(std::move(filter)) {}

    QList<Event> select(const QList<Event> &events);

private:
    filter::Filter m_filter;
    bool m_warned = false;
};

} // namespace invoke::cli
