#include "core/model/mockset.h"

#include "core/model/json/jsonlocator.h"

#include <QtCore/QFile>

using namespace Qt::StringLiterals;

namespace invoke {

Json MockResponse::toJson() const
{
    Json j = Json::object();
    j["status"] = success ? "success" : "error";
    if (success || !output.is_null())
        j["output"] = output;
    if (!success || !error.isEmpty())
        j["error"] = toStd(error);
    return j;
}

QString MockProblem::toString() const
{
    QString text;
    if (line > 0)
        text += u"line %1: "_s.arg(line);
    if (!key.isEmpty())
        text += u"key \"%1\": "_s.arg(key);
    return text + message;
}

std::optional<MockResponse> MockSet::value(const QString &key) const
{
    const auto it = m_entries.constFind(key);
    if (it == m_entries.cend())
        return std::nullopt;
    return *it;
}

std::optional<MockResponse> MockSet::find(const QString &stepPath, const QString &actionType) const
{
    if (auto byPath = value(stepPath))
        return byPath;
    return value(actionType);
}

Json MockSet::toJson() const
{
    Json j = Json::object();
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
        j[toStd(it.key())] = it.value().toJson();
    return j;
}

static std::optional<MockResponse> readEntry(const QString &key, const Json &value,
                                             QList<MockProblem> *problems)
{
    auto problem = [&](const QString &field, const QString &message) {
        if (problems)
            problems->append(MockProblem{key, field, message, 0});
        return std::nullopt;
    };
    if (!value.is_object())
        return problem({}, u"must be an object {\"status\", \"output\"} or {\"status\": \"error\", \"error\"}"_s);
    if (!value.contains("status"))
        return problem(u"status"_s, u"field \"status\" is missing (\"success\" or \"error\")"_s);
    const QString status = stringField(value, "status");
    MockResponse response;
    if (status == u"success"_s) {
        if (!value.contains("output"))
            return problem(u"output"_s, u"field \"output\" is missing (required when status is \"success\")"_s);
        response.output = value["output"];
    } else if (status == u"error"_s) {
        if (!value.contains("error") || !value["error"].is_string())
            return problem(u"error"_s, u"field \"error\" is missing or not a string (required when status is \"error\")"_s);
        response.success = false;
        response.error = stringField(value, "error");
        if (value.contains("output"))
            response.output = value["output"];
    } else {
        return problem(u"status"_s, u"field \"status\" must be \"success\" or \"error\""_s);
    }
    return response;
}

std::optional<MockSet> MockSet::fromJson(const Json &value, QList<MockProblem> *problems)
{
    if (!value.is_object()) {
        if (problems)
            problems->append(MockProblem{{}, {}, u"a mock set must be a JSON object mapping keys to mocks"_s, 0});
        return std::nullopt;
    }
    MockSet set;
    bool ok = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
        const QString key = toQString(it.key());
        if (key.trimmed().isEmpty()) {
            if (problems)
                problems->append(MockProblem{key, {}, u"an empty key names no step or action type"_s, 0});
            ok = false;
            continue;
        }
        auto entry = readEntry(key, it.value(), problems);
        if (!entry) {
            ok = false;
            continue;
        }
        set.insert(key, *entry);
    }
    if (!ok)
        return std::nullopt;
    return set;
}

std::optional<MockSet> MockSet::parse(QByteArrayView bytes, QList<MockProblem> *problems)
{
    QString error;
    const Json value = parseJson(bytes, &error);
    if (value.is_discarded()) {
        if (problems)
            problems->append(MockProblem{{}, {}, u"not valid JSON: "_s + error, 0});
        return std::nullopt;
    }
    QList<MockProblem> found;
    auto set = fromJson(value, &found);
    JsonIndex lines(bytes); // one scan of the top-level object for every problem's line
    for (MockProblem &p : found)
        if (!p.key.isEmpty())
            p.line = lines.line({toStd(p.key)});
    if (problems)
        problems->append(found);
    return set;
}

std::optional<MockSet> MockSet::load(const QString &filePath, QString *error)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"%1: cannot open the mock set: %2"_s.arg(filePath, file.errorString());
        return std::nullopt;
    }
    QList<MockProblem> problems;
    auto set = parse(file.readAll(), &problems);
    if (!set && error) {
        QStringList lines;
        for (const MockProblem &p : problems)
            lines.append(filePath + u": "_s + p.toString());
        *error = lines.join(u'\n');
    }
    return set;
}

} // namespace invoke
