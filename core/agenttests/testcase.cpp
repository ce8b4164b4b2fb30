#include "core/agenttests/testcase.h"

using namespace Qt::StringLiterals;

namespace invoke::agenttests {

QString Assertion::name() const
{
    switch (kind) {
    case TextContains: return u"text_contains"_s;
    case TextEquals: return u"text_equals"_s;
    case TextMatches: return u"text_matches"_s;
    case JsonPathEquals: return u"json_path_equals"_s;
    case JsonPathExists: return u"json_path_exists"_s;
    case HasDataset: return u"has_dataset"_s;
    case Step: return u"step "_s + path;
    case ErrorContains: return u"error_contains"_s;
    case MaxTokens: return u"max_tokens"_s;
    case MaxDurationMs: return u"max_duration_ms"_s;
    case Not: return u"not "_s + (inner ? inner->name() : QString());
    }
    return {};
}

QString Assertion::quoted() const
{
    return QString::fromUtf8(dumpJson(spec));
}

Json TestCase::toJson() const
{
    Json out = Json::object();
    out["name"] = toStd(name);
    out["bot"] = toStd(request.botKey);
    out["messages"] = invoke::toJson(request.messages);
    out["parameters"] = request.parameters.is_object() ? request.parameters : Json::object();
    out["datasets"] = invoke::toJson(request.datasets);
    out["mode"] = toStd(request.mode.name());
    if (!mocksFile.isEmpty())
        out["mocks"] = toStd(mocksFile);
    else if (mocksGiven)
        out["mocks"] = request.manualMocks.toJson();
    Json expectations = Json::array();
    for (const Assertion &a : expect)
        expectations.push_back(a.spec);
    out["expect"] = expectations;
    return out;
}

Json TestFile::toJson() const
{
    Json tests = Json::array();
    for (const TestCase &c : cases)
        tests.push_back(c.toJson());
    return Json{{"tests", tests}};
}

} // namespace invoke::agenttests
