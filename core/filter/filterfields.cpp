#include "core/filter/filterfields.h"

using namespace Qt::StringLiterals;

namespace invoke::filter {

namespace {

struct Named
{
    QLatin1StringView name;
    FieldId id;
};

constexpr Named kNamed[] = {
    {"type"_L1, FieldId::Type},
    {"step"_L1, FieldId::Step},
    {"action"_L1, FieldId::Action},
    {"source"_L1, FieldId::Source},
    {"status"_L1, FieldId::Status},
    {"seq"_L1, FieldId::Seq},
    {"t_ms"_L1, FieldId::TMs},
    {"duration_ms"_L1, FieldId::DurationMs},
    {"tokens.in"_L1, FieldId::TokensIn},
    {"tokens.out"_L1, FieldId::TokensOut},
    {"text"_L1, FieldId::Text},
    {"payload"_L1, FieldId::Payload},
    {"metadata"_L1, FieldId::Metadata},
};

} // namespace

const QList<FieldInfo> &fieldCatalog()
{
    static const QList<FieldInfo> catalog{
        {"type"_L1, "the event type: step_started, message_content, step_finished, ..."_L1},
        {"step"_L1, "the step path (research/summarise) of any event of a step"_L1},
        {"action"_L1, "a step event's action type (llm.message, utils.send_status, ...)"_L1},
        {"source"_L1, "where a finished step's answer came from (live, replay_hit, mock, ...)"_L1},
        {"status"_L1, "a finished step's status (success, error, skipped, cancelled), the run's, or a status event's"_L1},
        {"seq"_L1, "the event's sequence number, from 0"_L1},
        {"t_ms"_L1, "milliseconds since the run started"_L1},
        {"duration_ms"_L1, "how long a finished step took"_L1},
        {"tokens.in"_L1, "a finished step's input tokens"_L1},
        {"tokens.out"_L1, "a finished step's output tokens"_L1},
        {"text"_L1, "a message_content event's text chunk"_L1},
        {"payload"_L1, "the whole payload, as JSON text"_L1},
        {"metadata"_L1, "the whole metadata, as JSON text"_L1},
        {"payload."_L1, "a payload member by dot path: payload.result.status"_L1},
        {"metadata."_L1, "a metadata member by dot path: metadata.message_content_id"_L1},
    };
    return catalog;
}

QStringList fieldNames()
{
    QStringList names;
    for (const FieldInfo &field : fieldCatalog())
        names.append(field.name);
    return names;
}

std::optional<FieldRef> fieldFromName(const QString &name)
{
    for (const Named &named : kNamed)
        if (name == named.name)
            return FieldRef{named.id, {}};
    for (const FieldId id : {FieldId::Payload, FieldId::Metadata}) {
        const QString prefix = (id == FieldId::Payload ? u"payload."_s : u"metadata."_s);
        if (!name.startsWith(prefix))
            continue;
        FieldRef ref{id, {}};
        for (const QString &member : name.mid(prefix.size()).split(u'.')) {
            if (member.isEmpty())
                return std::nullopt; // "payload.", "payload..x"
            ref.path.push_back(member.toStdString());
        }
        return ref;
    }
    return std::nullopt;
}

bool isHeaderField(FieldId id)
{
    return id == FieldId::Type || id == FieldId::Step || id == FieldId::Seq || id == FieldId::TMs;
}

} // namespace invoke::filter
