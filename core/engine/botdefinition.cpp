#include "core/engine/botdefinition.h"

#include "core/engine/dependencygraph.h"
#include "core/model/json/jsonlocator.h"

#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

QString inQuotes(const QString &text) { return u'"' + text + u'"'; }

// Step keys appear in step paths ("research/summarise") and templates
// ({{steps.KEY.field}}): no '/', no '.', no spaces.
bool isValidStepKey(const QString &key)
{
    if (key.isEmpty())
        return false;
    for (const QChar c : key)
        if (!c.isLetterOrNumber() && c != u'_' && c != u'-')
            return false;
    return true;
}

// Bot keys appear in URLs (/bots/{key}/invoke) and file names.
bool isValidBotKey(const QString &key)
{
    if (key.isEmpty())
        return false;
    for (const QChar c : key)
        if (!c.isLetterOrNumber() && c != u'_' && c != u'-' && c != u'.')
            return false;
    return true;
}

JsonPath operator/(JsonPath path, const char *member)
{
    path.emplace_back(std::string(member));
    return path;
}

JsonPath operator/(JsonPath path, size_t index)
{
    path.emplace_back(index);
    return path;
}

// A parse that stops at the first problem, remembering where it was.
class Parser
{
public:
    Parser(QByteArrayView bytes, const QString &file) : m_lines(bytes), m_file(file) {}

    std::optional<BotDefinition> parse(const Json &root);
    LoadProblem problem() const { return m_problem; }

private:
    bool fail(const JsonPath &at, const QString &reason)
    {
        m_problem = {m_file, m_lines.line(at), reason};
        return false;
    }
    int lineOf(const JsonPath &at) { return m_lines.line(at); }

    bool parseBot(const Json &root, BotInfo *info);
    bool parseParameters(const Json &root, QList<ParameterDefinition> *parameters);
    bool parseSteps(const Json &steps, const JsonPath &at, QList<StepDefinition> *out);
    bool parseStep(const Json &step, const JsonPath &at, StepDefinition *out);
    bool parseDependsOn(const Json &value, const JsonPath &at, const QString &step,
                        StepDefinition *out);
    bool parseHandler(const Json &handler, const JsonPath &at, const QString &step,
                      ResultHandler *out);
    bool parseCondition(const Json &condition, const JsonPath &at, const QString &step,
                        Condition *out);

    JsonIndex m_lines; // every step's line, from one scan of each array on its path
    QString m_file;
    LoadProblem m_problem;
    DependencyGraph m_graph; // every step of the bot, handler steps included
};

std::optional<BotDefinition> Parser::parse(const Json &root)
{
    if (!root.is_object()) {
        fail({}, u"a bot file must be a JSON object with \"bot\" and \"steps\""_s);
        return std::nullopt;
    }
    BotDefinition bot;
    if (!parseBot(root, &bot.info) || !parseParameters(root, &bot.info.parameters))
        return std::nullopt;

    const auto steps = root.find("steps");
    if (steps == root.end()) {
        fail({}, u"missing \"steps\": a bot needs at least one step"_s);
        return std::nullopt;
    }
    if (!steps->is_array()) {
        fail(JsonPath{} / "steps", u"\"steps\" must be an array of steps"_s);
        return std::nullopt;
    }
    if (steps->empty()) {
        fail(JsonPath{} / "steps", u"\"steps\" is empty: a bot needs at least one step"_s);
        return std::nullopt;
    }
    if (!parseSteps(*steps, JsonPath{} / "steps", &bot.steps))
        return std::nullopt;
    if (const auto problem = m_graph.check()) {
        fail(problem->at, problem->reason);
        return std::nullopt;
    }
    return bot;
}

bool Parser::parseBot(const Json &root, BotInfo *info)
{
    const auto bot = root.find("bot");
    if (bot == root.end())
        return fail({}, u"missing \"bot\": the file needs {\"bot\": {\"key\": ...}}"_s);
    const JsonPath at = JsonPath{} / "bot";
    if (!bot->is_object())
        return fail(at, u"\"bot\" must be an object"_s);
    const auto key = bot->find("key");
    if (key == bot->end())
        return fail(at, u"missing bot.key"_s);
    info->key = stringField(*bot, "key");
    if (!key->is_string() || !isValidBotKey(info->key))
        return fail(at / "key", u"bot.key must be a non-empty string of letters, digits, "
                                "'_', '-' and '.', not %1"_s.arg(toQString(key->dump())));
    for (const char *field : {"name", "description"}) {
        const auto it = bot->find(field);
        if (it != bot->end() && !it->is_string())
            return fail(at / field, u"bot.%1 must be a string"_s.arg(QLatin1String(field)));
    }
    info->id = info->key;
    info->name = stringField(*bot, "name");
    info->description = stringField(*bot, "description");
    return true;
}

bool Parser::parseParameters(const Json &root, QList<ParameterDefinition> *parameters)
{
    const auto defs = root.find("parameter_definitions");
    if (defs == root.end() || defs->is_null())
        return true;
    const JsonPath at = JsonPath{} / "parameter_definitions";
    if (!defs->is_array())
        return fail(at, u"\"parameter_definitions\" must be an array"_s);
    QSet<QString> seen;
    for (size_t i = 0; i < defs->size(); ++i) {
        const Json &def = (*defs)[i];
        const QString where = u"parameter_definitions[%1]"_s.arg(i);
        if (!def.is_object())
            return fail(at / i, where + u" must be an object"_s);
        const QString key = stringField(def, "key");
        if (key.isEmpty())
            return fail(at / i, where + u" has no \"key\""_s);
        if (seen.contains(key))
            return fail(at / i / "key", u"duplicate parameter key %1"_s.arg(inQuotes(key)));
        seen.insert(key);
        for (const char *field : {"name", "type", "description"}) {
            const auto it = def.find(field);
            if (it != def.end() && !it->is_string())
                return fail(at / i / field, u"parameter %1: \"%2\" must be a string"_s.arg(
                                                inQuotes(key), QLatin1String(field)));
        }
        const auto required = def.find("required");
        if (required != def.end() && !required->is_boolean())
            return fail(at / i / "required",
                        u"parameter %1: \"required\" must be true or false"_s.arg(inQuotes(key)));
        parameters->append(ParameterDefinition::fromJson(def));
    }
    return true;
}

bool Parser::parseSteps(const Json &steps, const JsonPath &at, QList<StepDefinition> *out)
{
    for (size_t i = 0; i < steps.size(); ++i) {
        StepDefinition step;
        if (!parseStep(steps[i], at / i, &step))
            return false;
        out->append(std::move(step));
    }
    return true;
}

bool Parser::parseStep(const Json &step, const JsonPath &at, StepDefinition *out)
{
    out->line = lineOf(at);
    if (!step.is_object())
        return fail(at, u"a step must be an object with \"key\" and \"action_type\""_s);
    const auto key = step.find("key");
    if (key == step.end())
        return fail(at, u"a step has no \"key\""_s);
    out->key = stringField(step, "key");
    if (!key->is_string() || !isValidStepKey(out->key))
        return fail(at / "key", u"step key %1 must be a non-empty string of letters, digits, "
                                "'_' and '-'"_s.arg(toQString(key->dump())));
    const QString name = u"step "_s + inQuotes(out->key);
    if (m_graph.contains(out->key))
        return fail(at / "key", u"duplicate step key %1 (first defined on line %2)"_s.arg(
                                    inQuotes(out->key)).arg(lineOf(m_graph.stepAt(out->key))));
    m_graph.addStep(out->key, at);

    const auto actionType = step.find("action_type");
    if (actionType == step.end())
        return fail(at, name + u" has no \"action_type\""_s);
    out->actionType = stringField(step, "action_type");
    if (out->actionType.isEmpty())
        return fail(at / "action_type", name + u": \"action_type\" must be a non-empty string"_s);

    const auto parameters = step.find("parameters");
    if (parameters != step.end() && !parameters->is_null()) {
        if (!parameters->is_object())
            return fail(at / "parameters", name + u": \"parameters\" must be an object"_s);
        out->parameters = *parameters;
    }

    const auto dependsOn = step.find("depends_on");
    if (dependsOn != step.end() && !parseDependsOn(*dependsOn, at / "depends_on", name, out))
        return false;

    const auto visibility = step.find("user_output_visibility");
    if (visibility != step.end() && !visibility->is_null()) {
        out->userOutputVisibility = stringField(step, "user_output_visibility");
        if (out->userOutputVisibility != u"visible"_s && out->userOutputVisibility != u"hidden"_s)
            return fail(at / "user_output_visibility",
                        name + u": user_output_visibility must be \"visible\" or \"hidden\", not "_s
                            + toQString(visibility->dump()));
    }

    const auto contentType = step.find("output_content_type");
    if (contentType != step.end() && !contentType->is_null()) {
        out->outputContentType = stringField(step, "output_content_type");
        if (out->outputContentType != u"text"_s && out->outputContentType != u"json"_s)
            return fail(at / "output_content_type",
                        name + u": output_content_type must be \"text\" or \"json\", not "_s
                            + toQString(contentType->dump()));
    }

    const auto handlers = step.find("result_handlers");
    if (handlers != step.end() && !handlers->is_null()) {
        if (!handlers->is_array())
            return fail(at / "result_handlers", name + u": \"result_handlers\" must be an array"_s);
        for (size_t i = 0; i < handlers->size(); ++i) {
            ResultHandler handler;
            if (!parseHandler((*handlers)[i], at / "result_handlers" / i, name, &handler))
                return false;
            out->resultHandlers.append(std::move(handler));
        }
    }
    return true;
}

bool Parser::parseDependsOn(const Json &value, const JsonPath &at, const QString &step,
                            StepDefinition *out)
{
    if (value.is_null())
        return true;
    const QString reason = step + u": \"depends_on\" must be a step key or a list of step keys"_s;
    if (value.is_string()) {
        out->dependsOn.append(toQString(value.get<std::string>()));
        m_graph.addDependency(out->key, out->dependsOn.last(), at);
        return true;
    }
    if (!value.is_array())
        return fail(at, reason);
    for (size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string())
            return fail(at / i, reason);
        out->dependsOn.append(toQString(value[i].get<std::string>()));
        m_graph.addDependency(out->key, out->dependsOn.last(), at / i);
    }
    return true;
}

bool Parser::parseHandler(const Json &handler, const JsonPath &at, const QString &step,
                          ResultHandler *out)
{
    if (!handler.is_object())
        return fail(at, step + u": a result handler must be an object"_s);
    const auto type = handler.find("type");
    if (type != handler.end() && !type->is_null()) {
        const QString text = stringField(handler, "type");
        if (text == u"intermediate"_s)
            out->type = ResultHandler::Intermediate;
        else if (text == u"final"_s)
            out->type = ResultHandler::Final;
        else
            return fail(at / "type", step + u": result handler type must be \"intermediate\" or "
                                            "\"final\", not "_s + toQString(type->dump()));
    }

    // One condition object, or a list of them that must all hold.
    const auto conditions = handler.find("if_conditions");
    if (conditions != handler.end() && !conditions->is_null()) {
        const JsonPath cat = at / "if_conditions";
        if (conditions->is_object()) {
            Condition condition;
            if (!parseCondition(*conditions, cat, step, &condition))
                return false;
            out->conditions.append(condition);
        } else if (conditions->is_array()) {
            for (size_t i = 0; i < conditions->size(); ++i) {
                Condition condition;
                if (!parseCondition((*conditions)[i], cat / i, step, &condition))
                    return false;
                out->conditions.append(condition);
            }
        } else {
            return fail(cat, step + u": \"if_conditions\" must be a condition or a list of them"_s);
        }
    }

    const auto steps = handler.find("steps");
    if (steps != handler.end() && !steps->is_null()) {
        if (!steps->is_array())
            return fail(at / "steps", step + u": a result handler's \"steps\" must be an array"_s);
        if (!parseSteps(*steps, at / "steps", &out->steps))
            return false;
    }
    return true;
}

bool Parser::parseCondition(const Json &condition, const JsonPath &at, const QString &step,
                            Condition *out)
{
    if (!condition.is_object())
        return fail(at, step + u": a condition must be an object with a \"type\""_s);
    const auto type = condition.find("type");
    if (type == condition.end())
        return fail(at, step + u": a condition has no \"type\""_s);
    const QString text = stringField(condition, "type");
    if (text == u"IsSuccess"_s)
        out->type = Condition::IsSuccess;
    else if (text == u"IsError"_s)
        out->type = Condition::IsError;
    else if (text == u"TextContains"_s)
        out->type = Condition::TextContains;
    else
        return fail(at / "type", step + u": unknown condition type %1 (known: IsSuccess, IsError, "
                                        "TextContains)"_s.arg(toQString(type->dump())));

    if (out->type == Condition::TextContains) {
        const auto needle = condition.find("text");
        if (needle == condition.end() || !needle->is_string())
            return fail(at, step + u": a TextContains condition needs a \"text\" string"_s);
        out->text = toQString(needle->get<std::string>());
    }
    for (const char *flag : {"case_sensitive", "not"}) {
        const auto it = condition.find(flag);
        if (it != condition.end() && !it->is_boolean())
            return fail(at / flag, step + u": \"%1\" in a condition must be true or false"_s.arg(
                                              QLatin1String(flag)));
    }
    out->caseSensitive = boolField(condition, "case_sensitive");
    out->negate = boolField(condition, "not");
    return true;
}

} // namespace

std::optional<BotDefinition> BotDefinition::parse(QByteArrayView bytes, const QString &sourceFile,
                                                  const QDateTime &updatedAt, LoadProblem *problem)
{
    QString syntaxError;
    const Json root = parseJson(bytes, &syntaxError);
    if (root.is_discarded()) {
        // parseJson says "line L, column C: what"; the line goes into the problem.
        int line = 0;
        QString reason = syntaxError;
        static const QString linePrefix = u"line "_s;
        if (syntaxError.startsWith(linePrefix)) {
            const qsizetype comma = syntaxError.indexOf(u',');
            line = syntaxError.mid(linePrefix.size(), comma - linePrefix.size()).toInt();
            reason = syntaxError.mid(comma + 2); // "column C: what"
        }
        if (problem)
            *problem = {sourceFile, line, u"invalid JSON at "_s + reason};
        return std::nullopt;
    }

    Parser parser(bytes, sourceFile);
    std::optional<BotDefinition> bot = parser.parse(root);
    if (!bot) {
        if (problem)
            *problem = parser.problem();
        return std::nullopt;
    }
    bot->info.updatedAt = updatedAt.toUTC();
    bot->info.sourceFile = sourceFile;
    return bot;
}

} // namespace invoke::engine
