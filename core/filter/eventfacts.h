#pragma once
// What a display filter reads from a step event beyond its header (action, source, status,
// duration_ms, tokens.in, tokens.out), read once when a list takes the event in: a filter
// on these fields over a million events then reads no JSON at all (docs/filters.md).
// Only step events, status events and the final event have any; text deltas, the bulk of
// a run, have none and cost nothing.
#include "core/filter/filterfields.h"
#include "core/model/invocation/runvalues.h"

#include <QtCore/QtGlobal>

#include <string>
#include <unordered_map>
#include <vector>

namespace invoke::filter {

class EventRecord;
struct FieldValue;

// The distinct strings the facts of many events name (a handful of actions, sources,
// statuses), each kept once.
class FactWords
{
public:
    quint32 idOf(std::string_view word);
    const std::string &word(quint32 id) const { return m_words[id]; }
    void clear();

private:
    std::vector<std::string> m_words;
    std::unordered_map<std::string, quint32> m_ids;
};

struct EventFacts
{
    enum Field { Action, Source, Status, DurationMs, TokensIn, TokensOut, FieldCount };
    enum Kind : quint8 { Missing, String, Number };

    Kind kinds[FieldCount] = {};
    // False when a field held what the facts do not keep (an object, a float, a boolean):
    // the filter then reads the event's JSON as it would without facts.
    bool exact = true;
    qint64 values[FieldCount] = {}; // String: an id in the FactWords; Number: the integer

    // Whether events of `kind` can have facts at all.
    static bool applies(EventKind kind);
    // The facts of `record` (its JSON parsed once), read through EventRecord::value so that
    // they are exactly what a filter would read; their strings go into `words`.
    static EventFacts read(const EventRecord &record, FactWords &words);
    // The facts' field for a field a filter names, or -1 when the facts do not hold it.
    static int fieldOf(FieldId id);
};

} // namespace invoke::filter
