#include "core/model/event.h"
#include "core/model/json/eventscan.h"

using namespace Qt::StringLiterals;

namespace invoke {

static void readHeader(Event &event, const Json &value)
{
    event.type = stringField(value, "type");
    const auto meta = value.find("metadata");
    if (meta != value.end() && meta->is_object()) {
        event.path = stringField(*meta, "path");
        event.seq = intField(*meta, "seq", -1);
        event.tMs = intField(*meta, "t_ms", -1);
    }
}

namespace {

// Reads the header of an event while core/model/json/eventscan.h validates the whole text as
// nlohmann's parser would, without building a DOM: decoding a streamed event then costs
// about one pass over its bytes (a DOM costs ~2 KB of allocations per 400-byte event). The result is
// the one readHeader() gives on the parsed value, duplicate keys included.
class HeaderReader : public EventSaxReader<HeaderReader>
{
public:
    explicit HeaderReader(Event &event) : m_event(event) {}

    enum Slot { None, Type, Path, Seq, TMs };

    int topKey(const std::string &k)
    {
        if (k != "type")
            return None;
        m_event.type.clear();
        return Type;
    }
    int metadataKey(const std::string &k)
    {
        if (k == "path") {
            m_event.path.clear();
            return Path;
        }
        if (k == "seq") {
            m_event.seq = -1;
            return Seq;
        }
        if (k == "t_ms") {
            m_event.tMs = -1;
            return TMs;
        }
        return None;
    }
    void resetMetadata()
    {
        m_event.path.clear();
        m_event.seq = -1;
        m_event.tMs = -1;
    }
    void onString(int slot, std::string &s)
    {
        if (slot == Type)
            m_event.type = toQString(s);
        else if (slot == Path)
            m_event.path = toQString(s);
    }
    void onNumber(int slot, qint64 n)
    {
        if (slot == Seq)
            m_event.seq = n;
        else if (slot == TMs)
            m_event.tMs = n;
    }

private:
    Event &m_event;
};

} // namespace

Json Event::json() const
{
    return parseJson(raw, nullptr, kJsonMaxWireDepth);
}

Event Event::fromJson(const Json &value)
{
    Event event;
    event.raw = dumpJson(value);
    if (value.is_object())
        readHeader(event, value);
    return event;
}

std::optional<Event> Event::decode(QByteArrayView bytes, QString *error)
{
    Event event;
    HeaderReader reader(event);
    if (!scanEvent(bytes, reader)) {
        // Rare: parse again for parseJson's words (position and reason), kept in one place.
        if (error) {
            QString why;
            parseJson(bytes, &why, kJsonMaxWireDepth);
            *error = u"event is not JSON: "_s + why;
        }
        return std::nullopt;
    }
    if (!reader.topIsObject()) {
        if (error)
            *error = u"event is not a JSON object"_s;
        return std::nullopt;
    }
    event.raw = bytes.toByteArray();
    return event;
}

} // namespace invoke
