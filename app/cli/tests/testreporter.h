#pragma once
// What `invoke-cli test` prints while cases finish: a line per case (or a JSON object
// per case with --json), each failure with expected against actual and the run's steps,
// a progress line on a terminal, and the summary at the end.
#include "core/agenttests/caseresult.h"

#include <QtCore/QElapsedTimer>

namespace invoke::cli {

class TestReporter
{
public:
    TestReporter(bool json, bool verbose, int total);

    void caseFinished(const agenttests::CaseResult &result);
    // The summary line; call once, after the last case.
    void finish(int files);

    int passed() const { return m_passed; }
    int failed() const { return m_failed; }
    int errors() const { return m_errors; }

private:
    void clearProgress();
    void showProgress();

    bool m_json;
    bool m_verbose;
    bool m_terminal; // stderr is a terminal: a progress line that rewrites itself
    int m_total;
    int m_passed = 0;
    int m_failed = 0;
    int m_errors = 0;
    bool m_progressShown = false;
    QElapsedTimer m_clock;
};

// The steps of a run, one per line, indented: "✓ classify (llm.message) mock 12 ms".
QString describeSteps(const InvokeResult &run, const QString &indent);

} // namespace invoke::cli
