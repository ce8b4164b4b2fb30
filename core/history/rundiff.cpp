#include "core/history/rundiff.h"

#include <QtCore/QHash>
#include <QtCore/QRegularExpression>

#include <vector>

using namespace Qt::StringLiterals;

namespace invoke::history {

namespace {

StepSide sideOf(const StepRecord &step)
{
    return {step.status, step.source, step.durationMs,
            std::max<qint64>(step.inputTokens, 0) + std::max<qint64>(step.outputTokens, 0), step.output,
            step.replayMiss};
}

// Paths of `a` in order, with `b`'s own paths placed after the path that precedes them in b.
QStringList alignedPaths(const InvokeResult &a, const InvokeResult &b)
{
    QStringList paths;
    for (const StepRecord &s : a.steps)
        if (!paths.contains(s.path))
            paths.append(s.path);
    QString previous;
    for (const StepRecord &s : b.steps) {
        if (!paths.contains(s.path)) {
            const qsizetype at = previous.isEmpty() ? -1 : paths.indexOf(previous);
            paths.insert(at + 1, s.path);
        }
        previous = s.path;
    }
    return paths;
}

QStringList words(const QString &text)
{
    // A word and the space after it, so joining the pieces gives the text back.
    static const QRegularExpression word(u"\\S+\\s*|\\s+"_s);
    QStringList out;
    auto it = word.globalMatch(text);
    while (it.hasNext())
        out << it.next().captured();
    return out;
}

void push(QList<WordChange> &out, WordChange::Kind kind, const QString &text)
{
    if (!out.isEmpty() && out.last().kind == kind)
        out.last().text += text;
    else
        out.append({kind, text});
}

} // namespace

Json StepSide::toJson() const
{
    return Json{{"status", toStd(QString(wireName(status)))},
                {"source", source == Source::Unknown ? Json() : Json(toStd(QString(wireName(source))))},
                {"duration_ms", durationMs >= 0 ? Json(durationMs) : Json()},
                {"tokens", tokens},
                {"output", output}};
}

Json RunComparison::toJson() const
{
    Json list = Json::array();
    for (const StepComparison &s : steps)
        list.push_back(Json{{"path", toStd(s.path)},
                            {"same", s.same},
                            {"a", s.a ? s.a->toJson() : Json()},
                            {"b", s.b ? s.b->toJson() : Json()}});
    return Json{{"a", toStd(a)},
                {"b", toStd(b)},
                {"first_divergence", firstDivergence ? Json(toStd(*firstDivergence)) : Json()},
                {"steps", list},
                {"result", {{"a", toStd(resultA)}, {"b", toStd(resultB)}}}};
}

RunComparison compareRuns(const InvokeResult &a, const InvokeResult &b)
{
    RunComparison out;
    out.a = a.invocationId;
    out.b = b.invocationId;
    out.resultA = a.visibleText();
    out.resultB = b.visibleText();
    QHash<QString, const StepRecord *> inA, inB;
    for (const StepRecord &s : a.steps)
        inA.insert(s.path, &s); // the latest record of a path wins
    for (const StepRecord &s : b.steps)
        inB.insert(s.path, &s);
    for (const QString &path : alignedPaths(a, b)) {
        StepComparison c;
        c.path = path;
        if (const StepRecord *s = inA.value(path))
            c.a = sideOf(*s);
        if (const StepRecord *s = inB.value(path))
            c.b = sideOf(*s);
        c.same = c.a && c.b && c.a->status == c.b->status && c.a->output == c.b->output;
        if (!c.same && !out.firstDivergence)
            out.firstDivergence = path;
        out.steps.append(std::move(c));
    }
    if (!out.firstDivergence && out.resultA != out.resultB)
        out.firstDivergence = QString(); // the steps agree, the results do not: "" (no step)
    if (out.firstDivergence && out.firstDivergence->isEmpty())
        out.firstDivergence.reset();
    return out;
}

QList<WordChange> diffWords(const QString &a, const QString &b)
{
    const QStringList x = words(a), y = words(b);
    QList<WordChange> out;
    constexpr qsizetype kMaxWords = 4000;
    if (x.size() > kMaxWords || y.size() > kMaxWords) {
        if (a == b)
            return {{WordChange::Kept, a}};
        if (!a.isEmpty())
            out.append({WordChange::Removed, a});
        if (!b.isEmpty())
            out.append({WordChange::Added, b});
        return out;
    }
    // Longest common subsequence of the words, from the end, then walked from the start.
    const size_t n = size_t(x.size()), m = size_t(y.size());
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    const auto at = [&](size_t i, size_t j) -> std::uint32_t & { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            at(i, j) = x[qsizetype(i)] == y[qsizetype(j)] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    size_t i = 0, j = 0;
    while (i < n && j < m) {
        if (x[qsizetype(i)] == y[qsizetype(j)]) {
            push(out, WordChange::Kept, x[qsizetype(i)]);
            ++i, ++j;
        } else if (at(i + 1, j) >= at(i, j + 1)) {
            push(out, WordChange::Removed, x[qsizetype(i++)]);
        } else {
            push(out, WordChange::Added, y[qsizetype(j++)]);
        }
    }
    for (; i < n; ++i)
        push(out, WordChange::Removed, x[qsizetype(i)]);
    for (; j < m; ++j)
        push(out, WordChange::Added, y[qsizetype(j)]);
    return out;
}

QString wordDiffText(const QList<WordChange> &changes)
{
    QString out;
    for (const WordChange &c : changes) {
        switch (c.kind) {
        case WordChange::Kept: out += c.text; break;
        case WordChange::Removed: out += u"[-"_s + c.text + u"-]"_s; break;
        case WordChange::Added: out += u"{+"_s + c.text + u"+}"_s; break;
        }
    }
    return out;
}

} // namespace invoke::history
