#pragma once
// The fields a display filter can name (docs/filters.md): what each reads from an event.
#include <QtCore/QLatin1StringView>
#include <QtCore/QList>
#include <QtCore/QStringList>

#include <optional>
#include <string>
#include <vector>

namespace invoke::filter {

enum class FieldId {
    Type,       // the event type (classified by shape when the server sent none)
    Step,       // the step path (metadata.path, else a step event's payload key)
    Action,     // step_started / step_finished: payload.action_type
    Source,     // step_finished: metadata.source
    Status,     // step_finished: result.status; invocation_finished and status: payload.status
    Seq,        // metadata.seq
    TMs,        // metadata.t_ms
    DurationMs, // step_finished: metadata.duration_ms
    TokensIn,   // step_finished: metadata.usage.input_tokens
    TokensOut,  // step_finished: metadata.usage.output_tokens
    Text,       // message_content: the text chunk
    Payload,    // payload, or a member of it by dot path
    Metadata,   // metadata, or a member of it by dot path
};

// A field as a filter names it: payload.result.status is {Payload, {"result", "status"}}.
struct FieldRef
{
    FieldId id = FieldId::Type;
    std::vector<std::string> path; // members below payload/metadata (UTF-8); digits index arrays
};

struct FieldInfo
{
    QLatin1StringView name;        // "duration_ms", "payload." for a prefix
    QLatin1StringView description; // one line for completion popups and docs
};

// Every field name, in the order docs/filters.md lists them; the two prefixes last.
const QList<FieldInfo> &fieldCatalog();
// The names a completer offers: the fields and the "payload." / "metadata." prefixes.
QStringList fieldNames();

// The field `name` means; nullopt for a name that is no field ("payload." with an empty
// member is no field either).
std::optional<FieldRef> fieldFromName(const QString &name);

// Whether reading the field needs only the event's header (type, step, seq, t_ms).
bool isHeaderField(FieldId id);

} // namespace invoke::filter
