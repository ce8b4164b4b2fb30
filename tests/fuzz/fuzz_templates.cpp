// libFuzzer target: the {{template}} renderer (core/engine/templates.h) that fills every
// step's parameters. The input is rendered as one string, and, when it is JSON, as a
// parameter value, against a scope with parameters, step outputs, messages and
// datasets. A failed render names the template.
#include "core/engine/templates.h"
#include "tests/fuzz/fuzzinput.h"

using namespace invoke;

namespace {

const engine::TemplateScope &scope()
{
    static const engine::TemplateScope s = [] {
        engine::TemplateScope scope;
        scope.parameters = parseJson(R"({"topic": "tea", "config": {"model": "m", "n": 3, "list": [1, {"a": null}]},
                                         "empty": null, "query": "why"})");
        scope.steps = parseJson(R"({"plan": {"title": "T", "items": ["x", {"y": [true, 2.5]}]}, "gather": "text"})");
        scope.messages = {Message{QStringLiteral("system"), QStringLiteral("be brief")},
                          Message{QStringLiteral("user"), QStringLiteral("hello")}};
        scope.invocationId = QStringLiteral("inv-1");
        scope.datasets = {QStringLiteral("solar-system")};
        return scope;
    }();
    return s;
}

void render(const Json &value)
{
    QString error;
    const std::optional<Json> rendered = engine::renderTemplates(value, scope(), &error);
    if (!rendered)
        fuzz::require(!error.isEmpty(), "a failed render says why");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = fuzz::bytesOf(data, size);
    render(Json(std::string(bytes.data(), size_t(bytes.size()))));
    QString error;
    const Json parsed = parseJson(bytes, &error);
    if (error.isEmpty())
        render(parsed);
    return 0;
}
