#include "core/model/botinfo.h"

using namespace Qt::StringLiterals;

namespace invoke {

Json ParameterDefinition::toJson() const
{
    Json j{{"key", toStd(key)}, {"name", toStd(name)}, {"type", toStd(type)},
           {"required", required}, {"description", toStd(description)}};
    if (!defaultValue.is_null())
        j["default"] = defaultValue;
    return j;
}

ParameterDefinition ParameterDefinition::fromJson(const Json &value)
{
    ParameterDefinition p;
    p.key = stringField(value, "key");
    p.name = stringField(value, "name", p.key);
    p.type = stringField(value, "type", u"string"_s);
    p.required = boolField(value, "required");
    if (value.is_object() && value.contains("default"))
        p.defaultValue = value["default"];
    p.description = stringField(value, "description");
    return p;
}

QString BotInfo::updatedAtText() const
{
    return updatedAt.toUTC().toString(Qt::ISODateWithMs);
}

Json BotInfo::toJson() const
{
    Json params = Json::array();
    for (const ParameterDefinition &p : parameters)
        params.push_back(p.toJson());
    Json j{{"id", toStd(id)}, {"key", toStd(key)}, {"name", toStd(name)},
           {"description", toStd(description)}, {"updated_at", toStd(updatedAtText())},
           {"parameter_definitions", params}};
    if (!sourceFile.isEmpty())
        j["source_file"] = toStd(sourceFile);
    return j;
}

BotInfo BotInfo::fromJson(const Json &value)
{
    BotInfo b;
    b.key = stringField(value, "key");
    b.id = stringField(value, "id", b.key);
    b.name = stringField(value, "name");
    b.description = stringField(value, "description");
    b.updatedAt = QDateTime::fromString(stringField(value, "updated_at"), Qt::ISODateWithMs).toUTC();
    if (value.is_object() && value.contains("parameter_definitions") && value["parameter_definitions"].is_array())
        for (const Json &p : value["parameter_definitions"])
            b.parameters.append(ParameterDefinition::fromJson(p));
    b.sourceFile = stringField(value, "source_file");
    return b;
}

QString LoadProblem::toString() const
{
    return line > 0 ? u"%1:%2: %3"_s.arg(file).arg(line).arg(reason) : u"%1: %2"_s.arg(file, reason);
}

} // namespace invoke
