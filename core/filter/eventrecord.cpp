#include "core/filter/eventrecord.h"

#include "core/filter/memberscan.h"
#include "core/model/json/eventscan.h"
#include "core/wire/events.h"

using namespace Qt::StringLiterals;

namespace invoke::filter {

namespace {

FieldValue fromJson(const Json *value)
{
    FieldValue out;
    if (!value)
        return out;
    out.json = value;
    switch (value->type()) {
    case Json::value_t::string:
        out.kind = FieldValue::String;
        out.isUtf8 = true;
        out.utf8 = value->get_ref<const std::string &>();
        break;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
        out.kind = FieldValue::Number;
        out.number = value->get<double>();
        break;
    case Json::value_t::boolean:
        out.kind = FieldValue::Bool;
        out.boolean = value->get<bool>();
        break;
    case Json::value_t::null:
        out.kind = FieldValue::Null;
        break;
    case Json::value_t::object:
    case Json::value_t::array:
        out.kind = FieldValue::Compound;
        break;
    default: // discarded, binary: nothing a filter can compare
        out.json = nullptr;
        break;
    }
    return out;
}

// The member of `object` named `key`, or nullptr.
const Json *member(const Json &object, std::string_view key)
{
    if (!object.is_object())
        return nullptr;
    const auto found = object.find(key);
    return found == object.end() ? nullptr : &*found;
}

// Walks object members and array indexes; nullptr when a step is missing.
const Json *walk(const Json *value, const std::vector<std::string> &path)
{
    for (const std::string &step : path) {
        if (!value)
            return nullptr;
        if (value->is_array()) {
            size_t index = 0;
            if (step.empty() || step.size() > 9 || step.find_first_not_of("0123456789") != std::string::npos)
                return nullptr;
            index = size_t(std::stoul(step));
            value = index < value->size() ? &(*value)[index] : nullptr;
        } else {
            value = member(*value, step);
        }
    }
    return value;
}

FieldValue stringValue(const QString &text)
{
    FieldValue out;
    if (text.isEmpty())
        return out;
    out.kind = FieldValue::String;
    out.qstring = text;
    return out;
}

// A wire word (ASCII, static): compared as UTF-8 like the words read from JSON.
FieldValue wordValue(QLatin1StringView word)
{
    FieldValue out;
    out.kind = FieldValue::String;
    out.isUtf8 = true;
    out.utf8 = std::string_view(word.data(), size_t(word.size()));
    return out;
}

// The top-level "payload" of an event when it is a string (a text chunk), read in one pass
// without a DOM (core/model/json/eventscan.h): what payloadOf(json()) gives, for the text field
// over a million deltas.
class PayloadTextReader : public EventSaxReader<PayloadTextReader>
{
public:
    std::string text;
    bool isString = false;

    int topKey(const std::string &k)
    {
        if (k != "payload")
            return 0;
        text.clear();
        isString = false;
        return 1;
    }
    int metadataKey(const std::string &) { return 0; }
    void resetMetadata() {}
    void onString(int, std::string &s)
    {
        text = std::move(s);
        isString = true;
    }
    void onNumber(int, qint64) {}
};

FieldValue numberValue(qint64 number)
{
    FieldValue out;
    if (number < 0)
        return out;
    out.kind = FieldValue::Number;
    out.number = double(number);
    return out;
}

} // namespace

EventRecord::EventRecord(const QString &type, const QString &path, qint64 seq, qint64 tMs, QByteArrayView raw)
    : m_type(&type), m_path(&path), m_seq(seq), m_tMs(tMs), m_raw(raw), m_rawRead(true),
      m_kind(wire::kindOfType(type))
{
}

EventRecord::EventRecord(const QString &type, const QString &path, EventKind kind, qint64 seq, qint64 tMs,
                         RawLoader loader, const void *source, qint64 key)
    : m_type(&type), m_path(&path), m_seq(seq), m_tMs(tMs), m_loader(loader), m_source(source), m_key(key),
      m_kind(kind)
{
}

EventRecord EventRecord::fromEvent(const Event &event)
{
    EventRecord record(event.type, event.path, event.seq, event.tMs, event.raw);
    const bool stepEvent = record.m_kind == EventKind::StepStarted || record.m_kind == EventKind::StepFinished;
    if (event.type.isEmpty() || (event.path.isEmpty() && stepEvent)) {
        const Json &parsed = record.json();
        if (event.type.isEmpty()) {
            record.m_kind = wire::kindOf(event, parsed);
            record.m_ownType = wire::typeName(record.m_kind);
            record.m_ownsType = true;
        }
        const bool isStep = record.m_kind == EventKind::StepStarted || record.m_kind == EventKind::StepFinished;
        if (event.path.isEmpty() && isStep) {
            record.m_ownPath = stringField(wire::payloadOf(parsed), "key");
            record.m_ownsPath = true;
        }
    }
    return record;
}

QByteArrayView EventRecord::raw() const
{
    if (!m_rawRead) {
        m_raw = m_loader ? m_loader(m_source, m_key) : QByteArrayView();
        m_rawRead = true;
    }
    return m_raw;
}

const Json &EventRecord::json() const
{
    if (!m_json)
        m_json = parseJson(raw(), nullptr, kJsonMaxWireDepth);
    return *m_json;
}

FieldValue EventRecord::value(const FieldRef &field) const
{
    if (m_facts && m_facts->exact) {
        if (const int fact = EventFacts::fieldOf(field.id); fact >= 0) {
            FieldValue out;
            switch (m_facts->kinds[fact]) {
            case EventFacts::Missing: break;
            case EventFacts::String: {
                const std::string &word = m_words->word(quint32(m_facts->values[fact]));
                out.kind = FieldValue::String;
                out.isUtf8 = true;
                out.utf8 = word;
                break;
            }
            case EventFacts::Number:
                out.kind = FieldValue::Number;
                out.number = double(m_facts->values[fact]);
                break;
            }
            return out;
        }
    }
    const bool stepFinished = m_kind == EventKind::StepFinished;
    // Fields that only some kinds of event carry are missing on the others without a
    // parse: a filter on them skips the bulk of a run (its text deltas) at header cost.
    switch (field.id) {
    case FieldId::Type: return stringValue(type());
    case FieldId::Step: return stringValue(path());
    case FieldId::Seq: return numberValue(m_seq);
    case FieldId::TMs: return numberValue(m_tMs);
    case FieldId::Action:
        if (!stepFinished && m_kind != EventKind::StepStarted)
            return {};
        return fromJson(member(wire::payloadOf(json()), "action_type"));
    case FieldId::Source:
        if (!stepFinished)
            return {};
        return fromJson(member(wire::metadataOf(json()), "source"));
    case FieldId::Status: {
        if (m_kind == EventKind::InvocationFinished || m_kind == EventKind::Status)
            return fromJson(member(wire::payloadOf(json()), "status"));
        if (!stepFinished)
            return {};
        const Json &payload = wire::payloadOf(json());
        const Json *result = member(payload, "result");
        const Json *word = result ? member(*result, "status") : nullptr;
        if (word && word->is_string() && !word->get_ref<const std::string &>().empty())
            return fromJson(word);
        // No word: success unless the step has an error (core/model/invocation/runvalues.h).
        const Json *error = result ? member(*result, "error") : nullptr;
        const bool hasError = error && !error->is_null() && !(error->is_string() && error->get_ref<const std::string &>().empty());
        return wordValue(wireName(finishedStatusFromWire({}, hasError)));
    }
    case FieldId::DurationMs:
        if (!stepFinished)
            return {};
        return fromJson(member(wire::metadataOf(json()), "duration_ms"));
    case FieldId::TokensIn:
    case FieldId::TokensOut: {
        if (!stepFinished)
            return {};
        const Json *usage = member(wire::metadataOf(json()), "usage");
        return fromJson(usage ? member(*usage, field.id == FieldId::TokensIn ? "input_tokens" : "output_tokens")
                              : nullptr);
    }
    case FieldId::Text: {
        if (m_kind != EventKind::MessageContent)
            return {};
        if (m_json) { // parsed already for another field
            const Json &payload = wire::payloadOf(*m_json);
            return payload.is_string() ? fromJson(&payload) : FieldValue{};
        }
        if (!m_text) {
            PayloadTextReader reader;
            m_hasText = scanEvent(raw(), reader) && reader.topIsObject() && reader.isString;
            m_text = m_hasText ? std::move(reader.text) : std::string();
        }
        if (!m_hasText)
            return {};
        FieldValue out;
        out.kind = FieldValue::String;
        out.isUtf8 = true;
        out.utf8 = *m_text;
        return out;
    }
    case FieldId::Payload:
        if (!m_json)
            return scannedMember(field);
        return fromJson(walk(member(json(), "payload"), field.path));
    case FieldId::Metadata:
        if (!m_json)
            return scannedMember(field);
        return fromJson(walk(member(json(), "metadata"), field.path));
    }
    return {};
}

FieldValue EventRecord::scannedMember(const FieldRef &field) const
{
    for (const ScannedMember &known : m_members)
        if (known.id == field.id && known.path == field.path)
            return known.found ? fromJson(&known.value) : FieldValue{};
    MemberValue scanned =
        scanMember(raw(), field.id == FieldId::Payload ? std::string_view("payload") : std::string_view("metadata"),
                   field.path);
    const ScannedMember &kept =
        m_members.emplace_front(ScannedMember{field.id, field.path, scanned.found, std::move(scanned.value)});
    return kept.found ? fromJson(&kept.value) : FieldValue{};
}

} // namespace invoke::filter
