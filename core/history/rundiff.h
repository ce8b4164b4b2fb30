#pragma once
// Two runs side by side (docs/runs.md, "Comparing runs"): steps aligned by step path,
// each side's status, source, duration, tokens and output, the first step where the
// runs diverge, and word-level differences of outputs and results.
#include "core/history/runrecord.h"

namespace invoke::history {

struct StepSide
{
    StepStatus status = StepStatus::Running;
    Source source = Source::Unknown;
    qint64 durationMs = -1;
    qint64 tokens = 0;
    Json output;
    Json replayMiss; // why replay missed, as the step recorded it (docs/cache.md), or null

    Json toJson() const; // {"status", "source", "duration_ms", "tokens", "output"}
};

struct StepComparison
{
    QString path;
    bool same = false; // in both runs, same status and output
    std::optional<StepSide> a, b;
};

struct RunComparison
{
    QString a, b; // invocation ids
    std::optional<QString> firstDivergence;
    QList<StepComparison> steps;
    QString resultA, resultB;

    // {"a", "b", "first_divergence", "steps": [{"path", "same", "a", "b"}], "result": {"a", "b"}}
    Json toJson() const;
};

RunComparison compareRuns(const InvokeResult &a, const InvokeResult &b);

// A word-level difference: runs of words (with the spaces after them) kept, removed
// (only in the first text) or added (only in the second).
struct WordChange
{
    enum Kind { Kept, Removed, Added };
    Kind kind = Kept;
    QString text;
    bool operator==(const WordChange &) const = default;
};
// Texts of more than about 4,000 words each compare as one replacement.
QList<WordChange> diffWords(const QString &a, const QString &b);
// "kept [-removed-]{+added+} kept", as wdiff writes it.
QString wordDiffText(const QList<WordChange> &changes);

} // namespace invoke::history
