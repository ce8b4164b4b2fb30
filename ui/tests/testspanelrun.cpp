// The Tests panel's runs: which cases Run All, Run Selected and Run Failed queue, the
// TestRunner that runs them through the Backend, its verdicts into the model, Stop
// (ui/tests/testspanel.h).
#include "ui/tests/testspanel.h"
#include "ui/tests/testsdocument.h"
#include "ui/tests/testsmodel.h"
#include "ui/common/banner.h"

#include "core/agenttests/testrunner.h"

#include <QtCore/QThread>

using namespace Qt::StringLiterals;

namespace invoke::ui {

using namespace agenttests;

void TestsPanel::runAll()
{
    QList<std::pair<TestsDocument *, int>> cases;
    for (int file = 0; file < m_model->documentCount(); ++file)
        for (int row = 0; row < m_model->document(file)->count(); ++row)
            cases.append({m_model->document(file), row});
    runCases(cases);
}

void TestsPanel::runSelected()
{
    TestsDocument *document = currentDocument();
    if (!document)
        return;
    QList<std::pair<TestsDocument *, int>> cases;
    if (const int row = currentCaseRow(); row >= 0)
        cases.append({document, row});
    else
        for (int i = 0; i < document->count(); ++i)
            cases.append({document, i});
    runCases(cases);
}

void TestsPanel::runFailed()
{
    QList<std::pair<TestsDocument *, int>> cases;
    for (int file = 0; file < m_model->documentCount(); ++file) {
        TestsDocument *document = m_model->document(file);
        for (int row = 0; row < document->count(); ++row) {
            const CaseState state = m_model->state(document, row);
            if (state == CaseState::Failed || state == CaseState::Error)
                cases.append({document, row});
        }
    }
    runCases(cases);
}

void TestsPanel::runCases(const QList<std::pair<TestsDocument *, int>> &cases)
{
    if (isRunning() || cases.isEmpty())
        return;
    TestRunner::Options options;
    options.jobs = std::max(1, QThread::idealThreadCount());
    options.keepEvents = true; // a case's run is shown with its events
    m_runner = new TestRunner(*m_backend, options, this);
    QList<QueuedCase> queued;
    m_targets.clear();
    for (const auto &[document, row] : cases) {
        queued.append({document->filePath(), document->testCase(row)});
        m_targets.append({document, document->testCase(row).name});
        m_model->setState(document, row, CaseState::Queued);
    }
    connect(m_runner, &TestRunner::caseStarted, this, [this](int index) {
        const Target &target = m_targets.at(index);
        if (target.document)
            m_model->setState(target.document, target.document->rowOf(target.name), CaseState::Running);
    });
    connect(m_runner, &TestRunner::caseFinished, this, &TestsPanel::onCaseFinished);
    connect(m_runner, &TestRunner::finished, this, &TestsPanel::onRunFinished);
    m_finishedCount = 0;
    m_clock.start();
    m_banner->clearMessage();
    m_runner->start(queued);
    updateActions();
    updateSummary();
    Q_EMIT runningChanged(true);
}

void TestsPanel::onCaseFinished(int index, const CaseResult &result)
{
    ++m_finishedCount;
    const Target &target = m_targets.at(index);
    if (!target.document)
        return;
    const int row = target.document->rowOf(target.name);
    if (row < 0)
        return;
    m_model->setResult(target.document, row, result);
}

void TestsPanel::onRunFinished()
{
    m_lastRunMs = m_clock.elapsed();
    m_runner->deleteLater();
    m_runner = nullptr;
    m_targets.clear();
    updateActions();
    updateSummary();
    Q_EMIT runningChanged(false);
}

void TestsPanel::stop()
{
    if (m_runner)
        m_runner->stop();
}

} // namespace invoke::ui
