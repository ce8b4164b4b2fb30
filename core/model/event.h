#pragma once
#include "core/model/json/json.h"

#include <QtCore/QList>
#include <QtCore/QMetaType>

#include <optional>

namespace invoke {

// One streamed event, kept compact: the raw JSON bytes plus a small
// decoded header. The rest is decoded on demand with json().
//
// The JSON is {"type": ..., "payload": ..., "metadata": {...}}; the shapes of each
// type live in core/wire/events.h. `type` is empty for events from servers that do
// not send one; `path` is empty when the server sends none.
struct Event
{
    QByteArray raw;  // compact JSON of the whole event
    QString type;    // see wire::EventType
    QString path;    // metadata.path: step path, "a/b" for nested steps
    qint64 seq = -1; // metadata.seq, -1 when absent
    qint64 tMs = -1; // metadata.t_ms, -1 when absent

    // The parsed event; a discarded value when raw is not JSON.
    Json json() const;

    // Serialises `value` compactly and reads the header from it.
    static Event fromJson(const Json &value);
    // Reads an event from bytes (e.g. an SSE data field); nullopt if not a JSON object.
    static std::optional<Event> decode(QByteArrayView bytes, QString *error = nullptr);

    bool operator==(const Event &) const = default;
};

using EventList = QList<Event>;

} // namespace invoke

Q_DECLARE_METATYPE(invoke::Event)
