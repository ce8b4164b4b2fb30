#include "core/model/event.h"

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
    QString why;
    const Json value = parseJson(bytes, &why);
    if (value.is_discarded()) {
        if (error)
            *error = u"event is not JSON: "_s + why;
        return std::nullopt;
    }
    if (!value.is_object()) {
        if (error)
            *error = u"event is not a JSON object"_s;
        return std::nullopt;
    }
    Event event;
    event.raw = bytes.toByteArray();
    readHeader(event, value);
    return event;
}

} // namespace invoke
