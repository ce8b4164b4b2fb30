#include "core/mocks/mockschema.h"

#include "core/model/actiontypes.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace invoke::mocks {

namespace {

enum Kind { String = 1, Integer = 2, Number = 4, Object = 8, Array = 16, Null = 32, Boolean = 64 };

QString kindName(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::string: return u"a string"_s;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return u"an integer"_s;
    case Json::value_t::number_float: return u"a number"_s;
    case Json::value_t::object: return u"an object"_s;
    case Json::value_t::array: return u"an array"_s;
    case Json::value_t::boolean: return u"a boolean"_s;
    default: return u"null"_s;
    }
}

bool fits(const Json &value, int kinds)
{
    if (value.is_string()) return kinds & String;
    if (value.is_number_integer()) return kinds & (Integer | Number);
    if (value.is_number_float()) return (kinds & Number) || ((kinds & Integer) && value.get<double>() == std::floor(value.get<double>()));
    if (value.is_object()) return kinds & Object;
    if (value.is_array()) return kinds & Array;
    if (value.is_boolean()) return kinds & Boolean;
    return kinds & Null;
}

QString kindsText(int kinds)
{
    QStringList names;
    if (kinds & String) names.append(u"a string"_s);
    if (kinds & Integer) names.append(u"an integer"_s);
    if (kinds & Number) names.append(u"a number"_s);
    if (kinds & Object) names.append(u"an object"_s);
    if (kinds & Array) names.append(u"an array"_s);
    if (kinds & Boolean) names.append(u"a boolean"_s);
    if (kinds & Null) names.append(u"null"_s);
    if (names.size() == 1)
        return names.first();
    const QString last = names.takeLast();
    return names.join(u", "_s) + u" or "_s + last;
}

struct Member
{
    const char *name;
    int kinds;
    bool required;
    const char *what; // said when it is missing
};

class Checker
{
public:
    QList<SchemaProblem> problems;

    void add(const JsonPath &path, const QString &message) { problems.append({fieldText(path), path, message}); }

    // false when `value` is not an object (reported).
    bool object(const Json &value, const JsonPath &path, std::initializer_list<Member> members)
    {
        if (!value.is_object()) {
            add(path, u"must be an object, not %1"_s.arg(kindName(value)));
            return false;
        }
        for (const Member &m : members) {
            JsonPath at = path;
            at.emplace_back(std::string(m.name));
            const auto it = value.find(m.name);
            if (it == value.end()) {
                if (m.required)
                    add(at, u"is required (%1)"_s.arg(QString::fromUtf8(m.what)));
            } else if (!fits(*it, m.kinds)) {
                add(at, u"must be %1, not %2"_s.arg(kindsText(m.kinds), kindName(*it)));
            }
        }
        return true;
    }
};

const QStringList &governedTypes()
{
    static const QStringList types = {ActionType::CodeExecExecute, ActionType::CodeExecRun, ActionType::LlmMessage,
                                      ActionType::MemorySearch};
    return types;
}

const QStringList &anyJsonTypes()
{
    static const QStringList types = {ActionType::BotInvoke, ActionType::UtilsEcho, ActionType::UtilsParseJson};
    return types;
}

} // namespace

QStringList knownActionTypes()
{
    QStringList types = governedTypes() + anyJsonTypes();
    types += {ActionType::UtilsRaise, ActionType::UtilsSendStatus, ActionType::UtilsWrite};
    std::sort(types.begin(), types.end());
    return types;
}

bool isKnownActionType(const QString &actionType)
{
    return knownActionTypes().contains(actionType);
}

bool hasOutputSchema(const QString &actionType)
{
    return isKnownActionType(actionType) && !anyJsonTypes().contains(actionType);
}

QString outputSchemaText(const QString &actionType)
{
    if (actionType == ActionType::LlmMessage)
        return u"{\"content\": string, \"finish_reason\"?: string, \"usage\"?: {\"input_tokens\"?: integer, "
               "\"output_tokens\"?: integer}}"_s;
    if (actionType == ActionType::MemorySearch)
        return u"{\"memories\": [{\"id\": string|integer, \"dataset\": string, \"content\": string, "
               "\"score\": number, \"metadata\"?: object}]}"_s;
    if (actionType == ActionType::CodeExecExecute || actionType == ActionType::CodeExecRun)
        return u"{\"output\": string, \"exit_code\": integer, \"error\"?: string, \"files\"?: array|object}"_s;
    if (actionType == ActionType::UtilsSendStatus)
        return u"{\"status\": string, \"message\": string}"_s;
    if (actionType == ActionType::UtilsWrite)
        return u"{\"content\": string}"_s;
    if (actionType == ActionType::UtilsRaise)
        return u"{\"message\": string, \"status\"?: string}"_s;
    return {};
}

Json exampleOutput(const QString &actionType)
{
    if (actionType == ActionType::LlmMessage)
        return Json{{"content", ""}};
    if (actionType == ActionType::MemorySearch)
        return Json{{"memories", Json::array()}};
    if (actionType == ActionType::CodeExecExecute || actionType == ActionType::CodeExecRun)
        return Json{{"output", ""}, {"exit_code", 0}};
    if (actionType == ActionType::UtilsSendStatus)
        return Json{{"status", ""}, {"message", ""}};
    if (actionType == ActionType::UtilsWrite)
        return Json{{"content", ""}};
    if (actionType == ActionType::UtilsRaise)
        return Json{{"message", ""}};
    if (anyJsonTypes().contains(actionType))
        return Json::object();
    return Json();
}

QList<SchemaProblem> checkOutput(const QString &actionType, const Json &output)
{
    Checker c;
    const JsonPath root{std::string("output")};
    if (actionType == ActionType::LlmMessage) {
        if (c.object(output, root, {{"content", String, true, "the answer's text, a string"},
                                    {"finish_reason", String | Null, false, ""},
                                    {"usage", Object | Null, false, ""}})) {
            if (const auto usage = output.find("usage"); usage != output.end() && usage->is_object()) {
                JsonPath at = root;
                at.emplace_back(std::string("usage"));
                c.object(*usage, at, {{"input_tokens", Integer | Null, false, ""},
                                      {"output_tokens", Integer | Null, false, ""}});
            }
        }
    } else if (actionType == ActionType::MemorySearch) {
        if (c.object(output, root, {{"memories", Array, true, "an array of {id, dataset, content, score, metadata}"}})) {
            const auto memories = output.find("memories");
            if (memories != output.end() && memories->is_array()) {
                for (size_t i = 0; i < memories->size(); ++i) {
                    JsonPath at = root;
                    at.emplace_back(std::string("memories"));
                    at.emplace_back(i);
                    c.object((*memories)[i], at, {{"id", String | Integer, true, "a string or an integer"},
                                                  {"dataset", String, true, "the dataset's slug"},
                                                  {"content", String, true, "the memory's text"},
                                                  {"score", Number, true, "a number"},
                                                  {"metadata", Object | Null, false, ""}});
                }
            }
        }
    } else if (actionType == ActionType::CodeExecExecute || actionType == ActionType::CodeExecRun) {
        c.object(output, root, {{"output", String, true, "the program's standard output, a string"},
                                {"exit_code", Integer, true, "the program's exit code, an integer"},
                                {"error", String | Null, false, ""},
                                {"files", Array | Object | Null, false, ""}});
    } else if (actionType == ActionType::UtilsSendStatus) {
        c.object(output, root, {{"status", String, true, "a string"}, {"message", String, true, "a string"}});
    } else if (actionType == ActionType::UtilsWrite) {
        c.object(output, root, {{"content", String, true, "the written text, a string"}});
    } else if (actionType == ActionType::UtilsRaise) {
        c.object(output, root, {{"message", String, true, "a string"}, {"status", String, false, ""}});
    }
    return c.problems;
}

QString fieldText(const JsonPath &path)
{
    QString text;
    for (const auto &part : path) {
        if (const auto *name = std::get_if<std::string>(&part)) {
            if (!text.isEmpty())
                text += u'.';
            text += toQString(*name);
        } else {
            text += u"[%1]"_s.arg(std::get<size_t>(part));
        }
    }
    return text;
}

} // namespace invoke::mocks
