#include "core/agenttests/proposedassertions.h"

#include "core/agenttests/testfileparser.h"

#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace invoke::agenttests {

namespace {

void propose(QList<Assertion> &out, const Json &spec)
{
    QString error;
    if (std::optional<Assertion> a = parseAssertion(spec, &error))
        out.append(std::move(*a));
    else
        qWarning("proposeAssertions: %s is not an assertion: %s", dumpJson(spec).constData(), qPrintable(error));
}

} // namespace

QString distinctivePart(const QString &text, int maxLength)
{
    QString best;
    for (const QString &line : text.split(u'\n')) {
        const QString trimmed = line.trimmed();
        if (trimmed.size() > best.size())
            best = trimmed;
    }
    if (best.size() <= maxLength)
        return best;
    // Whole words from the start of the line: a cut word reads as a typo in the file.
    const qsizetype space = best.lastIndexOf(u' ', maxLength);
    const QString cut = best.left(space > maxLength / 3 ? space : maxLength).trimmed();
    return cut;
}

QList<Assertion> proposeAssertions(const InvokeResult &result, const Mode &mode)
{
    QList<Assertion> out;
    if (const QString part = distinctivePart(result.visibleText()); !part.isEmpty())
        propose(out, Json{{"text_contains", toStd(part)}});

    QSet<QString> seen;
    for (const StepRecord &step : result.steps) {
        if (step.path.isEmpty() || seen.contains(step.path))
            continue; // a step that ran twice is checked by its first run, as the assertion reads it
        seen.insert(step.path);
        if (step.status == StepStatus::Skipped) {
            propose(out, Json{{"step", toStd(step.path)}, {"ran", false}});
            continue;
        }
        if (step.status == StepStatus::Running || step.status == StepStatus::Cancelled)
            continue; // a stopped run says nothing a later run should repeat
        Json spec{{"step", toStd(step.path)}, {"status", toStd(QString(wireName(step.status)))}};
        if (mode.kind == Mode::Manual && step.source == Source::Mock)
            spec["source"] = "mock";
        propose(out, spec);
    }

    if (!result.success && !result.cancelled) {
        if (const QString part = distinctivePart(result.error); !part.isEmpty())
            propose(out, Json{{"error_contains", toStd(part)}});
    }
    return out;
}

} // namespace invoke::agenttests
