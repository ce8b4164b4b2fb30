#include "core/agenttests/testfileparser.h"

#include "core/model/json/jsonlocator.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QHash>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace invoke::agenttests {

namespace {

const QStringList kCaseKeys = {u"name"_s, u"bot"_s, u"messages"_s, u"parameters"_s, u"datasets"_s,
                               u"mode"_s, u"mocks"_s, u"expect"_s};
const QStringList kStepKeys = {u"step"_s, u"status"_s, u"source"_s, u"output_contains"_s, u"ran"_s};

QString typeName(const Json &value)
{
    return QString::fromUtf8(value.type_name());
}

// {"value": "x", "case_sensitive": false} or "x", for text_contains and text_equals.
bool readTextValue(const Json &value, Assertion &a, QString *error)
{
    if (value.is_string()) {
        a.text = toQString(value.get<std::string>());
        return true;
    }
    if (!value.is_object()) {
        *error = u"expects a string or {\"value\": …, \"case_sensitive\": false}, not %1"_s.arg(typeName(value));
        return false;
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (it.key() != "value" && it.key() != "case_sensitive") {
            *error = u"unknown key \"%1\" (expected \"value\" and \"case_sensitive\")"_s.arg(toQString(it.key()));
            return false;
        }
    }
    if (!value.contains("value") || !value["value"].is_string()) {
        *error = u"\"value\" must be a string"_s;
        return false;
    }
    a.text = toQString(value["value"].get<std::string>());
    if (value.contains("case_sensitive")) {
        if (!value["case_sensitive"].is_boolean()) {
            *error = u"\"case_sensitive\" must be true or false"_s;
            return false;
        }
        a.caseSensitive = value["case_sensitive"].get<bool>();
    }
    return true;
}

bool readString(const Json &value, const char *name, QString &out, QString *error)
{
    if (!value.is_string() || value.get_ref<const std::string &>().empty()) {
        *error = u"%1 expects a non-empty string"_s.arg(QLatin1StringView(name));
        return false;
    }
    out = toQString(value.get<std::string>());
    return true;
}

bool readLimit(const Json &value, const char *name, qint64 &out, QString *error)
{
    if (!value.is_number_integer() || value.get<qint64>() < 0) {
        *error = u"%1 expects a whole number of at least 0"_s.arg(QLatin1StringView(name));
        return false;
    }
    out = value.get<qint64>();
    return true;
}

bool readStep(const Json &value, Assertion &a, QString *error)
{
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (!kStepKeys.contains(toQString(it.key()))) {
            *error = u"step: unknown key \"%1\" (expected %2)"_s.arg(toQString(it.key()), kStepKeys.join(u", "_s));
            return false;
        }
    }
    if (!readString(value["step"], "step", a.path, error))
        return false;
    if (value.contains("status")) {
        const Json &s = value["status"];
        const auto status = s.is_string() ? stepStatusFromWire(toQString(s.get<std::string>())) : std::nullopt;
        if (!status || *status == StepStatus::Running) {
            *error = u"step: status must be one of success, error, skipped, cancelled"_s;
            return false;
        }
        a.status = status;
    }
    if (value.contains("source")) {
        const Json &s = value["source"];
        const Source source = s.is_string() ? sourceFromWire(toQString(s.get<std::string>())) : Source::Unknown;
        if (source == Source::Unknown) {
            *error = u"step: source must be one of live, replay_hit, replay_stored, refreshed, mock"_s;
            return false;
        }
        a.source = source;
    }
    if (value.contains("output_contains")) {
        if (!value["output_contains"].is_string()) {
            *error = u"step: output_contains expects a string"_s;
            return false;
        }
        a.outputContains = toQString(value["output_contains"].get<std::string>());
    }
    if (value.contains("ran")) {
        if (!value["ran"].is_boolean()) {
            *error = u"step: ran must be true or false"_s;
            return false;
        }
        a.ran = value["ran"].get<bool>();
    }
    if (a.ran == false && (a.status || a.source || a.outputContains)) {
        *error = u"step: a step that must not run (\"ran\": false) has no status, source or output to check"_s;
        return false;
    }
    return true;
}

// Reads the one assertion of `value` named `name`.
bool readNamed(const QString &name, const Json &arg, const Json &whole, Assertion &a, QString *error)
{
    if (name == u"text_contains"_s || name == u"text_equals"_s) {
        a.kind = name == u"text_contains"_s ? Assertion::TextContains : Assertion::TextEquals;
        if (!readTextValue(arg, a, error)) {
            *error = name + u": "_s + *error;
            return false;
        }
        return true;
    }
    if (name == u"text_matches"_s) {
        a.kind = Assertion::TextMatches;
        if (!readString(arg, "text_matches", a.text, error))
            return false;
        const QRegularExpression re(a.text);
        if (!re.isValid()) {
            *error = u"text_matches: not a valid regular expression: %1 at offset %2"_s.arg(
                re.errorString(), QString::number(re.patternErrorOffset()));
            return false;
        }
        return true;
    }
    if (name == u"json_path_equals"_s) {
        a.kind = Assertion::JsonPathEquals;
        if (!arg.is_object() || arg.size() != 2 || !arg.contains("path") || !arg.contains("value")) {
            *error = u"json_path_equals expects {\"path\": …, \"value\": …}"_s;
            return false;
        }
        a.value = arg["value"];
        return readString(arg["path"], "json_path_equals: path", a.path, error);
    }
    if (name == u"json_path_exists"_s) {
        a.kind = Assertion::JsonPathExists;
        return readString(arg, "json_path_exists", a.path, error);
    }
    if (name == u"has_dataset"_s) {
        a.kind = Assertion::HasDataset;
        return readString(arg, "has_dataset", a.text, error);
    }
    if (name == u"error_contains"_s) {
        a.kind = Assertion::ErrorContains;
        return readString(arg, "error_contains", a.text, error);
    }
    if (name == u"max_tokens"_s) {
        a.kind = Assertion::MaxTokens;
        return readLimit(arg, "max_tokens", a.limit, error);
    }
    if (name == u"max_duration_ms"_s) {
        a.kind = Assertion::MaxDurationMs;
        return readLimit(arg, "max_duration_ms", a.limit, error);
    }
    if (name == u"step"_s) {
        a.kind = Assertion::Step;
        return readStep(whole, a, error);
    }
    if (name == u"not"_s) {
        a.kind = Assertion::Not;
        QString why;
        auto inner = parseAssertion(arg, &why);
        if (!inner) {
            *error = u"not: "_s + why;
            return false;
        }
        a.inner = std::make_shared<const Assertion>(std::move(*inner));
        return true;
    }
    *error = u"unknown assertion \"%1\" (known: text_contains, text_equals, text_matches, json_path_equals, "
             "json_path_exists, has_dataset, step, error_contains, max_tokens, max_duration_ms, not)"_s.arg(name);
    return false;
}

class Parser
{
public:
    Parser(QByteArrayView bytes, const QString &displayPath, const QString &baseDir)
        : m_bytes(bytes), m_display(displayPath), m_baseDir(baseDir)
    {
    }

    TestFileResult run()
    {
        TestFileResult out;
        QString why;
        const Json doc = parseJson(m_bytes, &why);
        if (doc.is_discarded()) {
            // parseJson's reason starts with "line L, column C: ".
            static const QRegularExpression place(u"^line (\\d+), column \\d+: "_s);
            const auto m = place.match(why);
            out.problems << (m.hasMatch() ? u"%1:%2: %3"_s.arg(m_display, m.captured(1), why.mid(m.capturedLength()))
                                          : u"%1:1: %2"_s.arg(m_display, why));
            return out;
        }
        if (!doc.is_object() || !doc.contains("tests") || !doc["tests"].is_array()) {
            problem({}, u"expected an object {\"tests\": [...]}"_s);
            return finish(out);
        }
        for (auto it = doc.begin(); it != doc.end(); ++it)
            if (it.key() != "tests")
                problem({it.key()}, u"unknown key \"%1\" (a tests file holds only \"tests\")"_s.arg(toQString(it.key())));
        TestFile file;
        file.path = m_display;
        QHash<QString, int> names;
        const Json &tests = doc["tests"];
        for (size_t i = 0; i < tests.size(); ++i) {
            auto testCase = readCase(tests[i], i);
            if (!testCase)
                continue;
            if (const auto seen = names.constFind(testCase->name); seen != names.cend())
                problem({"tests", i, "name"}, u"a case named \"%1\" is already at line %2"_s.arg(testCase->name).arg(*seen));
            else
                names.insert(testCase->name, testCase->line);
            file.cases.append(std::move(*testCase));
        }
        if (m_problems.isEmpty())
            out.file = std::move(file);
        return finish(out);
    }

private:
    TestFileResult &finish(TestFileResult &out)
    {
        std::stable_sort(m_problems.begin(), m_problems.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        for (const auto &[line, text] : std::as_const(m_problems))
            out.problems << u"%1:%2: %3"_s.arg(m_display).arg(line).arg(text);
        return out;
    }

    void problem(const JsonPath &path, const QString &what) { m_problems.append({lineOfJson(m_bytes, path), what}); }

    std::optional<TestCase> readCase(const Json &value, size_t i)
    {
        const JsonPath at{"tests", i};
        if (!value.is_object()) {
            problem(at, u"tests[%1]: a test case is an object, not %2"_s.arg(i).arg(typeName(value)));
            return std::nullopt;
        }
        const int before = m_problems.size();
        TestCase c;
        c.line = lineOfJson(m_bytes, at);
        for (auto it = value.begin(); it != value.end(); ++it)
            if (!kCaseKeys.contains(toQString(it.key())))
                problem({"tests", i, it.key()}, u"unknown key \"%1\" (expected %2)"_s.arg(toQString(it.key()), kCaseKeys.join(u", "_s)));
        const auto field = [&](const char *key) { return JsonPath{"tests", i, key}; };
        if (!value.contains("name") || !value["name"].is_string() || value["name"].get_ref<const std::string &>().empty())
            problem(value.contains("name") ? field("name") : at, u"every test case needs a \"name\" (a non-empty string)"_s);
        else
            c.name = toQString(value["name"].get<std::string>());
        const QString label = c.name.isEmpty() ? u"tests[%1]"_s.arg(i) : u"\"%1\""_s.arg(c.name);
        if (!value.contains("bot") || !value["bot"].is_string() || value["bot"].get_ref<const std::string &>().empty())
            problem(value.contains("bot") ? field("bot") : at, label + u": needs a \"bot\" (the bot's key)"_s);
        else
            c.request.botKey = toQString(value["bot"].get<std::string>());
        QString why;
        if (value.contains("messages")) {
            if (auto messages = messagesFromJson(value["messages"], &why))
                c.request.messages = *messages;
            else
                problem(field("messages"), label + u": messages: "_s + why);
        }
        if (value.contains("parameters")) {
            if (value["parameters"].is_object())
                c.request.parameters = value["parameters"];
            else
                problem(field("parameters"), label + u": parameters must be an object"_s);
        }
        if (value.contains("datasets")) {
            const Json &d = value["datasets"];
            if (!d.is_array() || !std::all_of(d.begin(), d.end(), [](const Json &s) { return s.is_string(); }))
                problem(field("datasets"), label + u": datasets must be an array of dataset slugs"_s);
            else
                c.request.datasets = stringListFromJson(d);
        }
        c.request.mode = Mode::replay();
        if (value.contains("mode")) {
            const Json &m = value["mode"];
            const auto mode = m.is_string() ? Mode::fromName(toQString(m.get<std::string>()), &why) : std::nullopt;
            if (!mode)
                problem(field("mode"), label + u": mode must be \"live\", \"replay\" or \"manual\""_s);
            else
                c.request.mode = *mode;
        }
        if (value.contains("mocks"))
            readMocks(value["mocks"], field("mocks"), label, c);
        if (value.contains("expect")) {
            const Json &expect = value["expect"];
            if (!expect.is_array()) {
                problem(field("expect"), label + u": expect must be an array of assertions"_s);
            } else {
                for (size_t j = 0; j < expect.size(); ++j) {
                    auto assertion = parseAssertion(expect[j], &why);
                    if (assertion)
                        c.expect.append(std::move(*assertion));
                    else
                        problem({"tests", i, "expect", j}, label + u": expect[%1]: "_s.arg(j) + why);
                }
            }
        }
        if (m_problems.size() != before)
            return std::nullopt;
        return c;
    }

    void readMocks(const Json &value, const JsonPath &at, const QString &label, TestCase &c)
    {
        c.mocksGiven = true;
        if (value.is_string()) {
            c.mocksFile = toQString(value.get<std::string>());
            const QString file = QDir(m_baseDir).filePath(c.mocksFile);
            QString why;
            if (auto set = MockSet::load(file, &why))
                c.request.manualMocks = std::move(*set);
            else
                problem(at, label + u": mocks: "_s + why);
            return;
        }
        if (!value.is_object()) {
            problem(at, label + u": mocks is a mock set file (relative to this file) or an inline mock set"_s);
            return;
        }
        QList<MockProblem> problems;
        if (auto set = MockSet::fromJson(value, &problems)) {
            c.request.manualMocks = std::move(*set);
            return;
        }
        for (const MockProblem &p : std::as_const(problems)) {
            JsonPath where = at;
            if (!p.key.isEmpty())
                where.push_back(toStd(p.key));
            problem(where, label + u": mocks: "_s + p.toString());
        }
    }

    QByteArrayView m_bytes;
    QString m_display;
    QString m_baseDir;
    QList<std::pair<int, QString>> m_problems;
};

} // namespace

std::optional<Assertion> parseAssertion(const Json &value, QString *error)
{
    QString why;
    if (!value.is_object() || value.empty()) {
        if (error)
            *error = u"an assertion is an object such as {\"text_contains\": \"…\"}, not %1"_s.arg(typeName(value));
        return std::nullopt;
    }
    Assertion a;
    a.spec = value;
    QString name;
    if (value.contains("step")) {
        name = u"step"_s;
    } else if (value.size() != 1) {
        if (error)
            *error = u"an assertion names one check, this one has %1 keys"_s.arg(value.size());
        return std::nullopt;
    } else {
        name = toQString(value.begin().key());
    }
    if (!readNamed(name, value.begin().value(), value, a, &why)) {
        if (error)
            *error = why;
        return std::nullopt;
    }
    return a;
}

TestFileResult parseTestFile(QByteArrayView bytes, const QString &displayPath, const QString &baseDir)
{
    return Parser(bytes, displayPath, baseDir).run();
}

TestFileResult loadTestFile(const QString &filePath)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly))
        return {std::nullopt, {u"%1: cannot read: %2"_s.arg(filePath, file.errorString())}};
    if (file.size() > kMaxTestFileBytes)
        return {std::nullopt, {u"%1: %2 bytes, more than a tests file may hold (%3)"_s.arg(filePath).arg(file.size()).arg(kMaxTestFileBytes)}};
    const QByteArray bytes = file.readAll();
    return parseTestFile(bytes, filePath, QFileInfo(filePath).absolutePath());
}

} // namespace invoke::agenttests
