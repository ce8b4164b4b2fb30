#include "core/filter/eventfacts.h"

#include "core/filter/eventrecord.h"

#include <cmath>

namespace invoke::filter {

namespace {

constexpr double kExactInDouble = 9007199254740992.0; // 2^53

} // namespace

quint32 FactWords::idOf(std::string_view word)
{
    const std::string key(word);
    const auto found = m_ids.find(key);
    if (found != m_ids.end())
        return found->second;
    const auto id = quint32(m_words.size());
    m_words.push_back(key);
    m_ids.emplace(key, id);
    return id;
}

void FactWords::clear()
{
    m_words.clear();
    m_ids.clear();
}

bool EventFacts::applies(EventKind kind)
{
    return kind == EventKind::StepStarted || kind == EventKind::StepFinished || kind == EventKind::Status
        || kind == EventKind::InvocationFinished;
}

int EventFacts::fieldOf(FieldId id)
{
    switch (id) {
    case FieldId::Action: return Action;
    case FieldId::Source: return Source;
    case FieldId::Status: return Status;
    case FieldId::DurationMs: return DurationMs;
    case FieldId::TokensIn: return TokensIn;
    case FieldId::TokensOut: return TokensOut;
    default: return -1;
    }
}

EventFacts EventFacts::read(const EventRecord &record, FactWords &words)
{
    static constexpr FieldId ids[FieldCount] = {FieldId::Action, FieldId::Source, FieldId::Status,
                                                FieldId::DurationMs, FieldId::TokensIn, FieldId::TokensOut};
    EventFacts facts;
    for (int field = 0; field < FieldCount; ++field) {
        const FieldValue value = record.value(FieldRef{ids[field], {}});
        switch (value.kind) {
        case FieldValue::Missing:
            break;
        case FieldValue::String:
            facts.kinds[field] = String;
            facts.values[field] = value.isUtf8 ? words.idOf(value.utf8) : words.idOf(value.qstring.toUtf8().toStdString());
            break;
        case FieldValue::Number:
            // Integers a double holds exactly: a filter then compares and prints them as it
            // would from the JSON (a float prints as JSON spells it, which is not kept).
            if (value.json && value.json->is_number_integer() && std::abs(value.number) <= kExactInDouble) {
                facts.kinds[field] = Number;
                facts.values[field] = value.json->get<qint64>();
            } else {
                facts.exact = false;
            }
            break;
        default:
            facts.exact = false;
            break;
        }
    }
    return facts;
}

} // namespace invoke::filter
