#include "core/model/invocation/mode.h"

using namespace Qt::StringLiterals;

namespace invoke {

QString Mode::name() const
{
    switch (kind) {
    case Live: return u"live"_s;
    case Replay: return u"replay"_s;
    case Manual: return u"manual"_s;
    }
    return u"live"_s;
}

QString Mode::displayName() const
{
    return kind == Replay && refresh ? u"replay (refresh)"_s : name();
}

Json Mode::toJson() const
{
    if (kind == Replay && refresh)
        return Json{{"mode", "replay"}, {"refresh", true}};
    return toStd(name());
}

std::optional<Mode> Mode::fromName(const QString &name, QString *error)
{
    if (name == u"live"_s)
        return live();
    if (name == u"replay"_s)
        return replay();
    if (name == u"manual"_s)
        return manual();
    if (error)
        *error = u"unknown mode \"%1\" (expected live, replay or manual)"_s.arg(name);
    return std::nullopt;
}

std::optional<Mode> Mode::fromJson(const Json &value, QString *error)
{
    if (value.is_null())
        return live();
    if (value.is_string())
        return fromName(toQString(value.get<std::string>()), error);
    if (value.is_object() && value.contains("mode")) {
        auto mode = fromJson(value["mode"], error);
        if (!mode)
            return std::nullopt;
        const bool refresh = boolField(value, "refresh");
        if (refresh && mode->kind != Replay) {
            if (error)
                *error = u"\"refresh\" applies only to replay mode"_s;
            return std::nullopt;
        }
        mode->refresh = refresh;
        return mode;
    }
    if (error)
        *error = u"mode must be \"live\", \"replay\", \"manual\" or {\"mode\": \"replay\", \"refresh\": true}"_s;
    return std::nullopt;
}

} // namespace invoke
