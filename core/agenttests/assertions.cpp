#include "core/agenttests/assertions.h"

#include "core/agenttests/summarypath.h"
#include "core/model/invocation/invocationsummary.h"

#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

namespace invoke::agenttests {

namespace {

Json text(const QString &s)
{
    return Json(toStd(s));
}

const StepRecord *findStep(const InvokeResult &result, const QString &path)
{
    for (const StepRecord &step : result.steps)
        if (step.path == path)
            return &step;
    return nullptr;
}

QString outputText(const Json &output)
{
    return output.is_string() ? toQString(output.get<std::string>()) : QString::fromUtf8(dumpJson(output));
}

Verdict checkStep(const Assertion &a, const InvokeResult &result)
{
    const StepRecord *step = findStep(result, a.path);
    const bool ran = step && step->status != StepStatus::Skipped;
    if (a.ran.has_value() && !a.status && !a.source && !a.outputContains)
        return {ran == *a.ran, Json{{"ran", *a.ran}}, Json{{"ran", ran}}};
    Json expected = Json::object();
    Json actual = Json::object();
    bool passed = step != nullptr;
    if (a.ran) {
        expected["ran"] = *a.ran;
        actual["ran"] = ran;
        passed = passed && ran == *a.ran;
    }
    if (a.status) {
        expected["status"] = toStd(QString(wireName(*a.status)));
        actual["status"] = step ? Json(toStd(QString(wireName(step->status)))) : Json();
        passed = passed && step->status == *a.status;
    }
    if (a.source) {
        expected["source"] = toStd(QString(wireName(*a.source)));
        actual["source"] = step ? Json(toStd(QString(wireName(step->source)))) : Json();
        passed = passed && step->source == *a.source;
    }
    if (a.outputContains) {
        expected["output_contains"] = toStd(*a.outputContains);
        const QString output = step ? outputText(step->output) : QString();
        actual["output"] = step ? Json(toStd(output)) : Json();
        passed = passed && output.contains(*a.outputContains);
    }
    if (!step)
        actual = Json{{"step", "did not run"}};
    else if (expected.empty()) // {"step": "x"} alone: the step ran
        return {ran, Json{{"ran", true}}, Json{{"ran", ran}}};
    return {passed, expected, actual};
}

qint64 totalTokens(const InvokeResult &result)
{
    qint64 total = 0;
    for (const StepRecord &step : result.steps)
        total += std::max<qint64>(step.inputTokens, 0) + std::max<qint64>(step.outputTokens, 0);
    return total;
}

} // namespace

RunFacts RunFacts::of(const InvokeResult &result, qint64 durationMs, const QStringList &requestDatasets,
                      const QSet<QString> &knownDatasets)
{
    return {&result, InvocationSummary::from(result).toJson(), durationMs, requestDatasets, knownDatasets};
}

Verdict evaluate(const Assertion &a, const RunFacts &facts)
{
    const InvokeResult &result = *facts.result;
    const QString visible = result.visibleText();
    const Qt::CaseSensitivity cs = a.caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive;
    switch (a.kind) {
    case Assertion::TextContains:
        return {visible.contains(a.text, cs), text(a.text), text(visible)};
    case Assertion::TextEquals:
        return {visible.compare(a.text, cs) == 0, text(a.text), text(visible)};
    case Assertion::TextMatches: {
        const QRegularExpression re(a.text);
        return {re.match(visible).hasMatch(), text(a.text), text(visible)};
    }
    case Assertion::JsonPathEquals: {
        const Json *found = findSummaryPath(facts.summary, a.path);
        return {found && *found == a.value, a.value, found ? *found : Json(toStd(u"(no value at "_s + a.path + u')'))};
    }
    case Assertion::JsonPathExists: {
        const Json *found = findSummaryPath(facts.summary, a.path);
        return {found != nullptr, text(a.path), found ? *found : Json(toStd(u"(no value at "_s + a.path + u')'))};
    }
    case Assertion::HasDataset: {
        const bool given = facts.requestDatasets.contains(a.text);
        const bool exists = facts.knownDatasets.contains(a.text);
        QString actual = given ? (exists ? u"given, exists"_s : u"given, but no such dataset"_s)
                               : u"not given to the run (datasets: %1)"_s.arg(facts.requestDatasets.join(u", "_s));
        return {given && exists, text(a.text), text(actual)};
    }
    case Assertion::Step:
        return checkStep(a, result);
    case Assertion::ErrorContains:
        return {!result.success && result.error.contains(a.text), text(a.text),
                result.success ? Json("(the run succeeded)") : text(result.error)};
    case Assertion::MaxTokens: {
        const qint64 total = totalTokens(result);
        return {total <= a.limit, Json{{"at_most", a.limit}}, total};
    }
    case Assertion::MaxDurationMs:
        return {facts.durationMs <= a.limit, Json{{"at_most", a.limit}}, facts.durationMs};
    case Assertion::Not: {
        const Verdict inner = evaluate(*a.inner, facts);
        return {!inner.passed, Json{{"not", inner.expected}}, inner.actual};
    }
    }
    return {};
}

Json Failure::toJson() const
{
    return Json{{"assertion", toStd(assertion)}, {"expected", expected}, {"actual", actual}};
}

Failure Failure::fromJson(const Json &value)
{
    return {stringField(value, "assertion"), value.value("expected", Json()), value.value("actual", Json())};
}

QList<Failure> checkCase(const TestCase &testCase, const RunFacts &facts)
{
    QList<Failure> failures;
    const bool expectsError = std::any_of(testCase.expect.cbegin(), testCase.expect.cend(),
                                          [](const Assertion &a) { return a.kind == Assertion::ErrorContains; });
    const InvokeResult &result = *facts.result;
    if (!result.success && !expectsError)
        failures.append({u"the run succeeds"_s, true,
                         text(result.error.isEmpty() ? u"the run failed"_s : result.error)});
    for (const Assertion &a : testCase.expect) {
        Verdict v = evaluate(a, facts);
        if (!v.passed)
            failures.append({a.quoted(), std::move(v.expected), std::move(v.actual)});
    }
    return failures;
}

} // namespace invoke::agenttests
