#pragma once
// A display filter over a run's events (docs/filters.md): Wireshark-like expressions
// such as  step ^= "research/" and duration_ms > 100 . Parsed once, then matched against
// many events, from any thread (a Filter is immutable once parsed; copies are cheap).
#include "core/filter/eventrecord.h"

#include <QtCore/QString>

#include <memory>
#include <optional>

namespace invoke::filter {

struct Node;

// Why a text is not a filter, and where.
struct ParseError
{
    qsizetype position = 0; // index into the text (UTF-16 units); the text's size at its end
    QString expected;       // what would have been valid there: "a value (a \"string\" or a number)"
    QString message;        // the whole sentence: "expected ..., found \"and\""
    int column() const { return int(position) + 1; }
};

// A match that could not be decided: a regular expression hit its cost limit on an
// event (docs/filters.md, "Cost limits"). The event counts as not matching; a caller that
// walks many events stops and shows `message` instead of a partial result.
struct MatchProblem
{
    qsizetype position = -1; // where the costly regular expression stands in the filter
    QString message;
    bool isSet() const { return position >= 0; }
};

// The most a "matches" pattern may be, and what stops one that backtracks without end.
inline constexpr qsizetype kMaxPatternLength = 1000;
inline constexpr int kRegexMatchLimit = 1'000'000; // PCRE2 (*LIMIT_MATCH=): steps per event
inline constexpr int kRegexDepthLimit = 10'000;    // PCRE2 (*LIMIT_DEPTH=): backtracking depth

class Filter
{
public:
    // The empty filter: matches every event.
    Filter();

    // The filter `text` spells, or nullopt with `error`. Blank text is the empty filter.
    static std::optional<Filter> parse(const QString &text, ParseError *error = nullptr);

    bool isEmpty() const { return !m_root; }
    const QString &text() const { return m_text; }
    // Whether a field it reads needs more than the header (type, step, seq, t_ms), that
    // is, the event's JSON.
    bool readsBody() const { return m_readsBody; }

    bool matches(const EventRecord &event, MatchProblem *problem = nullptr) const;
    bool matches(const Event &event, MatchProblem *problem = nullptr) const
    {
        return matches(EventRecord::fromEvent(event), problem);
    }

private:
    std::shared_ptr<const Node> m_root;
    QString m_text;
    bool m_readsBody = false;
};

// The text with a caret under the error's column, for a terminal:
//   step ^= and
//           ^ expected ...
QString caretDiagram(const QString &text, const ParseError &error);

} // namespace invoke::filter

Q_DECLARE_METATYPE(invoke::filter::Filter)
