#include "core/mocks/mockvalidation.h"

#include "core/mocks/mockschema.h"
#include "core/model/actiontypes.h"
#include "core/model/json/jsonlocator.h"

#include <QtCore/QHash>
#include <QtCore/QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::mocks {

namespace {

class Validator
{
public:
    Validator(const BotPlan *plan, QByteArrayView bytes)
        : m_lines(bytes), m_noBytes(bytes.isEmpty())
    {
        if (plan) {
            m_botKey = plan->botKey;
            for (const PlannedStep &step : plan->steps)
                m_stepTypes.insert(step.path, step.actionType);
        }
    }

    QList<MockProblem> problems;

    // Checks the mock `entry` of `key`; `base` is where the entry is in m_bytes.
    void entry(const QString &key, const Json &value, const JsonPath &base)
    {
        const auto add = [&](const JsonPath &sub, const QString &message) {
            JsonPath full = base;
            full.insert(full.end(), sub.begin(), sub.end());
            problems.append(MockProblem{key, fieldText(sub), message, lineOf(full)});
        };
        const auto member = [](const char *name) { return JsonPath{std::string(name)}; };

        QString actionType;
        if (key.trimmed().isEmpty())
            add({}, u"an empty key names no step or action type"_s);
        else
            actionType = actionTypeOf(key, [&](const QString &message) { add({}, message); });

        if (!value.is_object()) {
            add({}, u"must be an object: {\"status\": \"success\", \"output\": ...} or "
                    "{\"status\": \"error\", \"error\": \"...\"}"_s);
            return;
        }
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (it.key() != "status" && it.key() != "output" && it.key() != "error")
                add({it.key()}, u"is not a field of a mock (it has \"status\", \"output\" and \"error\"); "
                                "it would be dropped on save"_s);
        }
        const auto status = value.find("status");
        if (status == value.end()) {
            add(member("status"), u"is missing (\"success\" or \"error\")"_s);
            return;
        }
        if (*status == "success") {
            const auto output = value.find("output");
            if (output == value.end())
                add(member("output"), u"is missing (required when status is \"success\")"_s);
            else if (!actionType.isEmpty())
                for (const SchemaProblem &p : checkOutput(actionType, *output))
                    add(p.path, p.message + u" (%1 output: %2)"_s.arg(actionType, outputSchemaText(actionType)));
            if (const auto error = value.find("error");
                error != value.end() && !(error->is_string() && error->get_ref<const std::string &>().empty())
                && !error->is_null())
                add(member("error"), u"is ignored when status is \"success\" (it would be dropped on save)"_s);
        } else if (*status == "error") {
            const auto error = value.find("error");
            if (error == value.end())
                add(member("error"), u"is missing (required when status is \"error\")"_s);
            else if (!error->is_string())
                add(member("error"), u"must be a string, the error's text"_s);
        } else {
            add(member("status"), u"must be \"success\" or \"error\", not %1"_s.arg(QString::fromUtf8(dumpJson(*status))));
        }
    }

private:
    // The action type whose schema the key's output must fit; empty when none is known.
    template<typename Report>
    QString actionTypeOf(const QString &key, const Report &report) const
    {
        if (const auto step = m_stepTypes.constFind(key); step != m_stepTypes.cend())
            return *step; // a step path (even one that looks like an action type)
        if (isKnownActionType(key)) {
            if (!isGovernedActionType(key))
                report(u"an action-type key answers only llm.message, memory.search and codeexec.* steps; "
                       "%1 steps are always computed, so key the mock by a step path"_s.arg(key));
            return key;
        }
        if (!m_botKey.isEmpty()) {
            report(u"unknown step: \"%1\" is neither a step path of bot \"%2\" nor an action type"_s.arg(
                key, m_botKey));
        } else if (looksLikeActionType(key)) {
            report(u"unknown action type \"%1\" (known: %2)"_s.arg(key, knownActionTypes().join(u", "_s)));
        }
        return {};
    }

    static bool looksLikeActionType(const QString &key)
    {
        for (const char *family : {"utils.", "llm.", "memory.", "codeexec.", "bot."})
            if (key.startsWith(QLatin1String(family)) && !key.contains(u'/'))
                return true;
        return false;
    }

    // Lines of problems in a large file, found fast: each container on a problem's path
    // is scanned once (lineOfJson over the whole file for each problem took 28 s for
    // 5,000 problems in a 2 MB file).
    int lineOf(const JsonPath &path) const { return m_noBytes ? 0 : m_lines.line(path); }

    mutable JsonIndex m_lines;
    bool m_noBytes; // a document given without its text has no lines
    QString m_botKey;
    QHash<QString, QString> m_stepTypes; // step path -> action type, when the bot is known
};

// Counts the keys of the top-level object: nlohmann keeps only the last of a repeated
// key, so a mock written twice would silently lose its first version.
class TopLevelKeys : public nlohmann::json_sax<Json>
{
public:
    QHash<QString, int> counts;
    QStringList order; // first appearance

    bool key(string_t &name) override
    {
        if (m_depth == 1) {
            const QString k = toQString(name);
            if (counts[k]++ == 0)
                order.append(k);
        }
        return true;
    }
    bool start_object(std::size_t) override { ++m_depth; return true; }
    bool end_object() override { --m_depth; return true; }
    bool start_array(std::size_t) override { ++m_depth; return true; }
    bool end_array() override { --m_depth; return true; }
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t &) override { return true; }
    bool string(string_t &) override { return true; }
    bool binary(binary_t &) override { return true; }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) override { return false; }

private:
    int m_depth = 0;
};

QList<MockProblem> repeatedKeys(QByteArrayView bytes)
{
    TopLevelKeys keys;
    Json::sax_parse(bytes.begin(), bytes.end(), &keys);
    QList<MockProblem> problems;
    JsonIndex lines(bytes);
    for (const QString &key : std::as_const(keys.order)) {
        if (const int n = keys.counts.value(key); n > 1)
            problems.append(MockProblem{key, {}, u"is written %1 times; only this last one is kept, the earlier ones are lost"_s.arg(n),
                                        lines.line(JsonPath{toStd(key)})});
    }
    return problems;
}

QList<MockProblem> validateDocument(const Json &document, const BotPlan *plan, QByteArrayView bytes)
{
    if (!document.is_object())
        return {MockProblem{{}, {}, u"a mock set must be a JSON object mapping keys to mocks"_s, bytes.isEmpty() ? 0 : 1}};
    Validator v(plan, bytes);
    for (auto it = document.begin(); it != document.end(); ++it)
        v.entry(toQString(it.key()), it.value(), JsonPath{it.key()});
    std::stable_sort(v.problems.begin(), v.problems.end(),
                     [](const MockProblem &a, const MockProblem &b) { return a.line < b.line; });
    return v.problems;
}

} // namespace

MockValidation validateMockBytes(QByteArrayView bytes, const BotPlan *plan)
{
    MockValidation result;
    if (bytes.trimmed().isEmpty()) {
        result.problems.append(MockProblem{{}, {}, u"the file is empty (a mock set is a JSON object, e.g. {})"_s, 0});
        return result;
    }
    QString error;
    const Json document = parseJson(bytes, &error);
    if (document.is_discarded()) {
        // parseJson's message starts with "line L, column C".
        static const QRegularExpression lineRe(u"^line (\\d+)"_s);
        const auto m = lineRe.match(error);
        result.problems.append(MockProblem{{}, {}, u"not valid JSON: "_s + error, m.hasMatch() ? m.captured(1).toInt() : 0});
        return result;
    }
    result.problems = repeatedKeys(bytes) + validateDocument(document, plan, bytes);
    std::stable_sort(result.problems.begin(), result.problems.end(),
                     [](const MockProblem &a, const MockProblem &b) { return a.line < b.line; });
    result.mocks = MockSet::fromJson(document);
    return result;
}

QList<MockProblem> validateMockJson(const Json &document, const BotPlan *plan)
{
    return validateDocument(document, plan, {});
}

QList<MockProblem> validateMockEntry(const QString &key, const Json &entry, const BotPlan *plan,
                                     QByteArrayView entryBytes)
{
    Validator v(plan, entryBytes);
    v.entry(key, entry, {});
    return v.problems;
}

QString problemLine(const QString &file, const MockProblem &problem)
{
    QStringList parts;
    if (!file.isEmpty())
        parts.append(problem.line > 0 ? u"%1:%2"_s.arg(file).arg(problem.line) : file);
    else if (problem.line > 0)
        parts.append(u"line %1"_s.arg(problem.line));
    if (!problem.key.isEmpty())
        parts.append(problem.key);
    if (!problem.field.isEmpty())
        parts.append(problem.field);
    parts.append(problem.message);
    return parts.join(u": "_s);
}

} // namespace invoke::mocks
