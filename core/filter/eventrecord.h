#pragma once
// An event as a display filter reads it: the header a list already knows (type, step
// path, seq, t_ms) and the raw JSON, parsed only when a field needs more than the header
// (and then once, however many fields read it).
#include "core/filter/eventfacts.h"
#include "core/filter/filterfields.h"
#include "core/model/event.h"
#include "core/model/invocation/runvalues.h"

#include <QtCore/QByteArrayView>
#include <QtCore/QString>

#include <forward_list>
#include <optional>
#include <string_view>

namespace invoke::filter {

// A field's value in one event. Missing when the event has no such field.
struct FieldValue
{
    enum Kind { Missing, String, Number, Bool, Null, Compound };
    Kind kind = Missing;
    // A string: one of the two, whichever the event holds (no conversion on the way);
    // both point into the record (or static text), valid while it lives.
    QStringView qstring;
    std::string_view utf8;
    bool isUtf8 = false;
    double number = 0;
    bool boolean = false;
    const Json *json = nullptr; // the JSON value it was read from, if any
};

class EventRecord
{
public:
    // Reads an event's bytes only when a field needs them: a list that keeps its events
    // compressed (ui/events/eventstore.h) inflates nothing for a filter on the header.
    using RawLoader = QByteArrayView (*)(const void *source, qint64 key);

    // `type` already classified (the event list keeps it so), `path` already resolved
    // (a step event's key when it had no metadata.path). `type`, `path` and `raw` must
    // outlive the record: it keeps no copies.
    EventRecord(const QString &type, const QString &path, qint64 seq, qint64 tMs, QByteArrayView raw);
    // The same with the kind known (wire::kindOfType(type)) and the bytes read on demand
    // with loader(source, key).
    EventRecord(const QString &type, const QString &path, EventKind kind, qint64 seq, qint64 tMs,
                RawLoader loader, const void *source, qint64 key);
    // From a decoded event: classifies it when the server sent no type and takes a step
    // event's key as its path, as the studio's event list does. `event` must outlive it.
    static EventRecord fromEvent(const Event &event);

    EventKind kind() const { return m_kind; }
    const QString &type() const { return m_ownsType ? m_ownType : *m_type; }
    const QString &path() const { return m_ownsPath ? m_ownPath : *m_path; }
    qint64 seq() const { return m_seq; }
    qint64 tMs() const { return m_tMs; }
    QByteArrayView raw() const;

    // The parsed event (discarded when the bytes are not JSON), parsed on first use.
    const Json &json() const;
    bool isParsed() const { return m_json.has_value(); }

    // The value of `field` in this event (Missing when it has none). A payload or
    // metadata member is read from the bytes without parsing the event, unless json()
    // was parsed already; both ways give the same value (tests/core/tst_filtermembers.cpp).
    FieldValue value(const FieldRef &field) const;

    // The event's facts, read when a list took it in (core/filter/eventfacts.h): the fields
    // they hold are read from them, never from the JSON. Both must outlive the record.
    void setFacts(const EventFacts *facts, const FactWords *words)
    {
        m_facts = facts;
        m_words = words;
    }

private:
    FieldValue scannedMember(const FieldRef &field) const;

    const QString *m_type;
    const QString *m_path;
    QString m_ownType; // fromEvent(): a classified type, a step's key as its path
    QString m_ownPath;
    bool m_ownsType = false;
    bool m_ownsPath = false;
    qint64 m_seq = -1;
    qint64 m_tMs = -1;
    RawLoader m_loader = nullptr;
    const void *m_source = nullptr;
    qint64 m_key = 0;
    mutable QByteArrayView m_raw;
    mutable bool m_rawRead = false;
    EventKind m_kind = EventKind::Unknown;
    mutable std::optional<Json> m_json;
    mutable std::optional<std::string> m_text; // a text chunk read without the DOM
    // payload…/metadata… members read without the DOM (core/filter/memberscan.h), each
    // field once; a list whose nodes never move, as a FieldValue points into them.
    struct ScannedMember
    {
        FieldId id;
        std::vector<std::string> path;
        bool found;
        Json value;
    };
    mutable std::forward_list<ScannedMember> m_members;
    mutable bool m_hasText = false;
    const EventFacts *m_facts = nullptr;
    const FactWords *m_words = nullptr;
};

} // namespace invoke::filter
