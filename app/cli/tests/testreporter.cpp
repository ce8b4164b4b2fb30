#include "app/cli/tests/testreporter.h"

#include "app/cli/console.h"
#include "core/agenttests/junitreport.h"
#include "core/format/labels.h"

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace invoke::cli {

using agenttests::CaseResult;
using agenttests::CaseStatus;

namespace {

QString stepMark(StepStatus status)
{
    switch (status) {
    case StepStatus::Success: return u"✓"_s;
    case StepStatus::Error: return u"✗"_s;
    case StepStatus::Skipped: return u"-"_s;
    case StepStatus::Cancelled: return u"■"_s;
    case StepStatus::Running: return u"…"_s;
    }
    return {};
}

QString indented(const QString &text, const QString &indent)
{
    QStringList lines = text.split(u'\n');
    for (QString &line : lines)
        line.prepend(indent);
    return lines.join(u'\n');
}

// Why a case could not run (the "actual" of its one failure).
QString errorReason(const agenttests::Failure &failure)
{
    return failure.actual.is_string() ? toQString(failure.actual.get<std::string>())
                                      : QString::fromUtf8(dumpJson(failure.actual));
}

} // namespace

QString describeSteps(const InvokeResult &run, const QString &indent)
{
    QString out;
    for (const StepRecord &step : run.steps) {
        QString line = u"%1%2 %3 (%4)"_s.arg(indent, stepMark(step.status), step.path, step.actionType);
        if (step.source != Source::Unknown)
            line += u' ' + format::label(step.source);
        if (step.durationMs >= 0)
            line += u" %1 ms"_s.arg(step.durationMs);
        if (!step.error.isEmpty())
            line += u": "_s + step.error;
        out += line + u'\n';
    }
    if (out.isEmpty())
        out = indent + u"(no steps ran)\n"_s;
    return out;
}

TestReporter::TestReporter(bool json, bool verbose, int total)
    : m_json(json), m_verbose(verbose), m_terminal(isatty(STDERR_FILENO) == 1), m_total(total)
{
    m_clock.start();
}

void TestReporter::clearProgress()
{
    if (m_progressShown)
        printErr(u"\r\x1b[2K"_s);
    m_progressShown = false;
}

void TestReporter::showProgress()
{
    if (!m_terminal)
        return;
    const int done = m_passed + m_failed + m_errors;
    printErr(u"\r\x1b[2K[%1/%2] %3 passed, %4 failed, %5 errors"_s.arg(done).arg(m_total).arg(m_passed).arg(m_failed).arg(m_errors));
    m_progressShown = true;
}

void TestReporter::caseFinished(const CaseResult &r)
{
    switch (r.status) {
    case CaseStatus::Passed: ++m_passed; break;
    case CaseStatus::Failed: ++m_failed; break;
    case CaseStatus::Error: ++m_errors; break;
    }
    clearProgress();
    if (m_json) {
        printOut(QString::fromUtf8(dumpJson(r.toJson())) + u'\n');
        showProgress();
        return;
    }
    const QString where = u"%1:%2 › %3"_s.arg(r.file).arg(r.line).arg(r.name);
    QString out;
    switch (r.status) {
    case CaseStatus::Passed:
        out = u"PASS  %1 (%2 ms)\n"_s.arg(where).arg(r.durationMs);
        break;
    case CaseStatus::Failed:
        out = u"FAIL  %1 (%2 ms)\n"_s.arg(where).arg(r.durationMs);
        for (const agenttests::Failure &f : r.failures)
            out += indented(agenttests::describeFailure(f), u"      "_s) + u'\n';
        break;
    case CaseStatus::Error:
        out = u"ERROR %1: %2\n"_s.arg(where, r.failures.isEmpty() ? QString() : errorReason(r.failures.first()));
        break;
    }
    if (m_verbose || (r.status == CaseStatus::Failed) || (r.status == CaseStatus::Error && !r.run.steps.isEmpty()))
        out += u"      steps of %1:\n"_s.arg(r.invocationId.isEmpty() ? u"the run"_s : r.invocationId)
               + describeSteps(r.run, u"        "_s);
    printOut(out);
    showProgress();
}

void TestReporter::finish(int files)
{
    clearProgress();
    const int total = m_passed + m_failed + m_errors;
    QString line = u"%1 %2 in %3 %4: %5 passed, %6 failed, %7 %8 (%9 s)\n"_s
                       .arg(total)
                       .arg(total == 1 ? u"case"_s : u"cases"_s)
                       .arg(files)
                       .arg(files == 1 ? u"file"_s : u"files"_s)
                       .arg(m_passed)
                       .arg(m_failed)
                       .arg(m_errors)
                       .arg(m_errors == 1 ? u"error"_s : u"errors"_s)
                       .arg(double(m_clock.elapsed()) / 1000.0, 0, 'f', 1);
    // With --json, stdout holds only the JSON Lines.
    if (m_json)
        printErr(line);
    else
        printOut(line);
}

} // namespace invoke::cli
