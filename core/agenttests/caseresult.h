#pragma once
// The verdict of one test case, as `invoke-cli test --json` prints it and the Tests panel
// shows it (docs/tests.md).
#include "core/agenttests/assertions.h"

namespace invoke::agenttests {

enum class CaseStatus { Passed, Failed, Error };
QLatin1StringView caseStatusName(CaseStatus status); // "passed" | "failed" | "error"

struct CaseResult
{
    QString file; // the tests file, as found
    QString name;
    QString bot;
    int line = 0; // where the case starts in its file
    CaseStatus status = CaseStatus::Error;
    qint64 durationMs = 0;
    QString invocationId;
    QList<Failure> failures; // what failed; for an error, why the case could not run
    InvokeResult run;        // the run's steps and messages (events only when kept)

    // {"name", "file", "bot", "status", "duration_ms", "invocation_id", "failures"}
    Json toJson() const;
};

} // namespace invoke::agenttests
