#pragma once
// Checks a test case's assertions against what its run did (docs/tests.md).
#include "core/agenttests/testcase.h"
#include "core/model/invocation/invokeresult.h"

#include <QtCore/QSet>

namespace invoke::agenttests {

// What a run showed, as the assertions read it.
struct RunFacts
{
    const InvokeResult *result = nullptr;
    Json summary;          // InvocationSummary::from(result).toJson(): json_path_* read it
    qint64 durationMs = 0; // wall time of the run
    QStringList requestDatasets;
    QSet<QString> knownDatasets; // the backend's datasets, for has_dataset

    static RunFacts of(const InvokeResult &result, qint64 durationMs, const QStringList &requestDatasets,
                       const QSet<QString> &knownDatasets);
};

// One assertion's outcome, with what it wanted and what the run gave (for the report).
struct Verdict
{
    bool passed = false;
    Json expected;
    Json actual;
};

Verdict evaluate(const Assertion &assertion, const RunFacts &facts);

// A failed expectation as reports show it: the assertion as written, expected, actual.
struct Failure
{
    QString assertion;
    Json expected;
    Json actual;

    Json toJson() const;
    static Failure fromJson(const Json &value);
    bool operator==(const Failure &) const = default;
};

// Every failed expectation of a case. A run that failed fails the case too unless an
// error_contains expects it to.
QList<Failure> checkCase(const TestCase &testCase, const RunFacts &facts);

} // namespace invoke::agenttests
