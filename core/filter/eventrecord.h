#pragma once
// An event as a display filter reads it: the header a list already knows (type, step
// path, seq, t_ms) and the raw JSON, parsed only when a field needs more than the header
// (and then once, however many fields read it).
#include "core/filter/filterfields.h"
#include "core/model/event.h"
#include "core/model/runvalues.h"

#include <QtCore/QByteArrayView>
#include <QtCore/QString>

#include <optional>
#include <string_view>

namespace invoke::filter {

// A field's value in one event. Missing when the event has no such field.
struct FieldValue
{
    enum Kind { Missing, String, Number, Bool, Null, Compound };
    Kind kind = Missing;
    // A string: one of the two, whichever the event holds (no conversion on the way).
    QString qstring;
    std::string_view utf8;
    bool isUtf8 = false;
    double number = 0;
    bool boolean = false;
    const Json *json = nullptr; // the JSON value it was read from, if any
};

class EventRecord
{
public:
    // `type` already classified (the event list keeps it so), `path` already resolved
    // (a step event's key when it had no metadata.path). `raw` must outlive the record.
    EventRecord(const QString &type, const QString &path, qint64 seq, qint64 tMs, QByteArrayView raw);
    // From a decoded event: classifies it when the server sent no type and takes a step
    // event's key as its path, as the studio's event list does. `event` must outlive it.
    static EventRecord fromEvent(const Event &event);

    EventKind kind() const { return m_kind; }
    const QString &type() const { return m_type; }
    const QString &path() const { return m_path; }
    qint64 seq() const { return m_seq; }
    qint64 tMs() const { return m_tMs; }
    QByteArrayView raw() const { return m_raw; }

    // The parsed event (discarded when the bytes are not JSON), parsed on first use.
    const Json &json() const;
    bool isParsed() const { return m_json.has_value(); }

    // The value of `field` in this event (Missing when it has none).
    FieldValue value(const FieldRef &field) const;

private:
    QString m_type;
    QString m_path;
    qint64 m_seq = -1;
    qint64 m_tMs = -1;
    QByteArrayView m_raw;
    EventKind m_kind = EventKind::Unknown;
    mutable std::optional<Json> m_json;
};

} // namespace invoke::filter
