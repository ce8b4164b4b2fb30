#include "core/model/event.h"

#include <cmath>

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

// Reads the header of an event while nlohmann's SAX parser validates the whole text,
// without building a DOM: decoding a streamed event then costs about one lexing pass
// (a DOM costs ~2 KB of allocations per 400-byte event, DESIGN.md §3). The result is
// the one readHeader() gives on the parsed value, duplicate keys included (the last
// one wins, as in the DOM).
class HeaderReader
{
public:
    using number_integer_t = Json::number_integer_t;
    using number_unsigned_t = Json::number_unsigned_t;
    using number_float_t = Json::number_float_t;
    using string_t = Json::string_t;
    using binary_t = Json::binary_t;

    explicit HeaderReader(Event &event) : m_event(event) {}

    bool topIsObject() const { return m_topIsObject; }

    bool null() { return value(); }
    bool boolean(bool) { return value(); }
    bool number_integer(number_integer_t n) { return number(qint64(n)); }
    bool number_unsigned(number_unsigned_t n) { return number(qint64(n)); }
    bool number_float(number_float_t n, const string_t &)
    {
        // As get<qint64>() on the DOM: truncated; out of range counts as absent.
        return number(std::isfinite(n) && std::abs(n) < 9.2e18 ? qint64(n) : -1);
    }
    bool string(string_t &s)
    {
        if (m_pending == Pending::Type)
            m_event.type = toQString(s);
        else if (m_pending == Pending::Path)
            m_event.path = toQString(s);
        return value();
    }
    bool binary(binary_t &) { return value(); }

    bool start_object(std::size_t)
    {
        if (m_depth == 0)
            m_topIsObject = true;
        else if (m_depth == 1 && m_pending == Pending::Metadata)
            m_inMetadata = true;
        m_pending = Pending::None;
        ++m_depth;
        return true;
    }
    bool end_object()
    {
        if (--m_depth == 1)
            m_inMetadata = false;
        return true;
    }
    bool start_array(std::size_t)
    {
        m_pending = Pending::None;
        ++m_depth;
        return true;
    }
    bool end_array()
    {
        --m_depth;
        return true;
    }

    bool key(string_t &k)
    {
        m_pending = Pending::None;
        if (m_depth == 1) {
            if (k == "type") {
                m_event.type.clear();
                m_pending = Pending::Type;
            } else if (k == "metadata") {
                // A later "metadata" replaces an earlier one, whatever its shape.
                m_event.path.clear();
                m_event.seq = -1;
                m_event.tMs = -1;
                m_pending = Pending::Metadata;
            }
        } else if (m_depth == 2 && m_inMetadata) {
            if (k == "path") {
                m_event.path.clear();
                m_pending = Pending::Path;
            } else if (k == "seq") {
                m_event.seq = -1;
                m_pending = Pending::Seq;
            } else if (k == "t_ms") {
                m_event.tMs = -1;
                m_pending = Pending::TMs;
            }
        }
        return true;
    }

    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) { return false; }

private:
    enum class Pending { None, Type, Metadata, Path, Seq, TMs };

    bool value()
    {
        m_pending = Pending::None;
        return true;
    }
    bool number(qint64 n)
    {
        if (m_pending == Pending::Seq)
            m_event.seq = n;
        else if (m_pending == Pending::TMs)
            m_event.tMs = n;
        return value();
    }

    Event &m_event;
    int m_depth = 0;
    bool m_topIsObject = false;
    bool m_inMetadata = false;
    Pending m_pending = Pending::None;
};

} // namespace

Json Event::json() const
{
    return parseJson(raw);
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
    if (!Json::sax_parse(bytes.begin(), bytes.end(), &reader)) {
        // Rare: parse again for parseJson's words (position and reason), kept in one place.
        if (error) {
            QString why;
            parseJson(bytes, &why);
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
