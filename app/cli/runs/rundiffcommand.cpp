#include "app/cli/runs/rundiffcommand.h"

#include "app/cli/cliarguments.h"
#include "app/cli/console.h"
#include "core/format/labels.h"
#include "core/history/rundiff.h"

using namespace Qt::StringLiterals;

namespace invoke::cli {

using namespace history;

namespace {

QString outputText(const Json &output)
{
    if (output.is_string())
        return toQString(output.get<std::string>());
    if (output.is_object() && output.contains("content") && output["content"].is_string())
        return toQString(output["content"].get<std::string>());
    return output.is_null() ? QString() : QString::fromUtf8(dumpJson(output));
}

QString change(const QString &a, const QString &b, const QString &unit = {})
{
    return a == b ? a + unit : u"%1 → %2%3"_s.arg(a, b, unit);
}

QString describe(const StepComparison &c)
{
    if (!c.a)
        return u"  + %1: only in B (%2)\n"_s.arg(c.path, format::label(c.b->status));
    if (!c.b)
        return u"  - %1: only in A (%2)\n"_s.arg(c.path, format::label(c.a->status));
    QString line = u"  %1 %2: %3"_s.arg(c.same ? u"="_s : u"≠"_s, c.path,
                                        change(format::label(c.a->status), format::label(c.b->status)));
    if (c.a->source != c.b->source || c.a->source != Source::Unknown)
        line += u", "_s + change(format::label(c.a->source), format::label(c.b->source));
    line += u", "_s + change(QString::number(c.a->durationMs), QString::number(c.b->durationMs), u" ms"_s);
    if (c.a->tokens || c.b->tokens)
        line += u", "_s + change(QString::number(c.a->tokens), QString::number(c.b->tokens), u" tokens"_s);
    line += u'\n';
    if (c.a->output != c.b->output)
        line += u"      "_s + wordDiffText(diffWords(outputText(c.a->output), outputText(c.b->output))) + u'\n';
    // Why B (the later run) missed the replay cache, as its step recorded it.
    if (const QString why = stringField(c.b->replayMiss, "summary"); !why.isEmpty() && !c.same)
        line += u"      B's replay miss: "_s + why + u'\n';
    return line;
}

} // namespace

int runDiff(const QString &aName, const QString &bName, bool json)
{
    QString why;
    const auto a = loadRun(aName, &why);
    if (!a) {
        printErr(u"error: "_s + why + u'\n');
        return ExitFailed;
    }
    const auto b = loadRun(bName, &why);
    if (!b) {
        printErr(u"error: "_s + why + u'\n');
        return ExitFailed;
    }
    const RunComparison diff = compareRuns(a->result(), b->result());
    if (json) {
        printOut(QString::fromUtf8(dumpJson(diff.toJson(), 2)) + u'\n');
        return ExitOk;
    }
    QString out = u"A %1  %2  %3  %4\nB %5  %6  %7  %8\n\n"_s
                      .arg(a->summary.invocationId, a->summary.botKey, a->summary.mode,
                           a->summary.startedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s))
                      .arg(b->summary.invocationId, b->summary.botKey, b->summary.mode,
                           b->summary.startedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s));
    for (const StepComparison &c : diff.steps)
        out += describe(c);
    out += u"\nResult:\n"_s;
    out += diff.resultA == diff.resultB ? diff.resultA : wordDiffText(diffWords(diff.resultA, diff.resultB));
    out += u"\n\n"_s;
    out += diff.firstDivergence ? u"First divergence: %1\n"_s.arg(*diff.firstDivergence)
                                : (diff.resultA == diff.resultB ? u"The runs agree.\n"_s
                                                                 : u"The steps agree; the results differ.\n"_s);
    printOut(out);
    return ExitOk;
}

} // namespace invoke::cli
