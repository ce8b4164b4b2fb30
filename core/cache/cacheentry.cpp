#include "core/cache/cacheentry.h"

using namespace Qt::StringLiterals;

namespace invoke::cache {

Json CacheEntry::toJson() const
{
    Json tokens = Json::object();
    if (usage.inputTokens >= 0)
        tokens["input_tokens"] = usage.inputTokens;
    if (usage.outputTokens >= 0)
        tokens["output_tokens"] = usage.outputTokens;
    return Json{{"key", toStd(key)},
                {"scope", toStd(parts.scope)},
                {"bot_key", toStd(parts.botKey)},
                {"bot_updated_at", toStd(parts.botUpdatedAt)},
                {"action_type", toStd(parts.actionType)},
                {"parameters", parts.parameters},
                {"output", output},
                {"usage", tokens},
                {"created_at", toStd(createdAt.toUTC().toString(Qt::ISODateWithMs))},
                {"hits", hits}};
}

std::optional<CacheEntry> CacheEntry::fromJson(const Json &value, QString *error)
{
    const auto fail = [&](const QString &message) -> std::optional<CacheEntry> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (!value.is_object())
        return fail(u"a cache entry is a JSON object"_s);
    CacheEntry e;
    const auto text = [&](const char *name, QString *out) {
        const auto it = value.find(name);
        if (it == value.end() || !it->is_string())
            return false;
        *out = toQString(it->get_ref<const std::string &>());
        return true;
    };
    for (const auto &[name, out] : {std::pair{"key", &e.key}, std::pair{"scope", &e.parts.scope},
                                    std::pair{"bot_key", &e.parts.botKey},
                                    std::pair{"bot_updated_at", &e.parts.botUpdatedAt},
                                    std::pair{"action_type", &e.parts.actionType}}) {
        if (!text(name, out))
            return fail(u"\"%1\" must be a string"_s.arg(QLatin1String(name)));
    }
    const auto params = value.find("parameters");
    if (params == value.end() || !params->is_object())
        return fail(u"\"parameters\" must be an object"_s);
    e.parts.parameters = *params;
    const auto output = value.find("output");
    if (output == value.end())
        return fail(u"\"output\" is missing"_s);
    e.output = *output;
    if (const auto usage = value.find("usage"); usage != value.end()) {
        if (!usage->is_object())
            return fail(u"\"usage\" must be an object"_s);
        e.usage.inputTokens = intField(*usage, "input_tokens", -1);
        e.usage.outputTokens = intField(*usage, "output_tokens", -1);
    }
    // Members that may be left out must still have their type when given: a "hits" of
    // "many" or a created_at of 5 is a damaged or forged entry, not a default.
    if (const auto hits = value.find("hits");
        hits != value.end() && !(hits->is_number_integer() && hits->get<qint64>() >= 0))
        return fail(u"\"hits\" must be a whole number, 0 or more"_s);
    if (const auto created = value.find("created_at"); created != value.end() && !created->is_string())
        return fail(u"\"created_at\" must be a string (an ISO 8601 time)"_s);
    QString created;
    if (text("created_at", &created)) {
        e.createdAt = QDateTime::fromString(created, Qt::ISODateWithMs);
        if (!e.createdAt.isValid())
            return fail(u"\"created_at\" is not an ISO 8601 time: %1"_s.arg(created));
        e.createdAt = e.createdAt.toUTC();
    } else {
        e.createdAt = QDateTime::currentDateTimeUtc();
    }
    e.hits = intField(value, "hits", 0);
    if (e.key != e.parts.key())
        return fail(u"\"key\" %1 is not the SHA-256 of the entry's parts (%2): the entry was changed "
                    "after it was made"_s.arg(e.key, e.parts.key()));
    return e;
}

bool CacheFilter::matches(const CacheKeyParts &parts) const
{
    return (scope.isEmpty() || parts.scope == scope) && (botKey.isEmpty() || parts.botKey == botKey)
        && (actionType.isEmpty() || parts.actionType == actionType);
}

} // namespace invoke::cache
