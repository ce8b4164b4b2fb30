#include "core/agenttests/testrunner.h"

#include "core/agenttests/runqueue.h"
#include "core/backend/backend.h"
#include "core/config/paths.h"

#include <QtCore/QFileInfo>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace invoke::agenttests {

namespace {

bool usesDataset(const Assertion &a)
{
    return a.kind == Assertion::HasDataset || (a.kind == Assertion::Not && a.inner && usesDataset(*a.inner));
}

} // namespace

std::optional<MockSet> bundledMockSet(const QString &botKey, QString *error)
{
    const QString file = paths::bundledMocks() + u'/' + botKey + u".mocks.json"_s;
    if (!QFileInfo::exists(file))
        return std::nullopt;
    return MockSet::load(file, error);
}

bool needsDatasetListing(const QList<QueuedCase> &cases)
{
    for (const QueuedCase &c : cases)
        for (const Assertion &a : c.testCase.expect)
            if (usesDataset(a))
                return true;
    return false;
}

TestRunner::TestRunner(Backend &backend, Options options, QObject *parent)
    : QObject(parent), m_backend(backend), m_options(options)
{
}

TestRunner::~TestRunner() = default;

void TestRunner::start(const QList<QueuedCase> &cases)
{
    Q_ASSERT(!m_running);
    m_cases = cases;
    m_pending = int(cases.size());
    m_running = true;
    delete m_queue;
    m_queue = new RunQueue(m_backend, {m_options.jobs, m_options.timeoutSeconds * 1000, m_options.keepEvents}, this);
    m_started.clear();
    m_done.clear();
    connect(m_queue, &RunQueue::runStarted, this, [this](int index) {
        m_started.insert(index);
        Q_EMIT caseStarted(index);
    });
    connect(m_queue, &RunQueue::runFinished, this, &TestRunner::onRunFinished);
    if (m_cases.isEmpty()) {
        QTimer::singleShot(0, this, &TestRunner::maybeFinish);
        return;
    }
    if (!needsDatasetListing(m_cases)) {
        enqueueAll();
        return;
    }
    m_backend.listDatasets(this, [this](const DatasetListing &listing) {
        for (const DatasetInfo &d : listing.datasets)
            m_knownDatasets.insert(d.slug);
        enqueueAll();
    });
}

void TestRunner::stop()
{
    if (!m_running)
        return;
    m_queue->stop(); // the running ones finish cancelled
    for (int i = 0; i < m_cases.size(); ++i)
        if (!m_started.contains(i) && !m_done.contains(i))
            finishWithError(i, u"stopped before it ran"_s);
}

void TestRunner::enqueueAll()
{
    for (int i = 0; i < m_cases.size(); ++i) {
        QString whyNot;
        if (auto request = requestFor(m_cases[i].testCase, &whyNot))
            m_queue->add(i, *request);
        else
            QTimer::singleShot(0, this, [this, i, whyNot] { finishWithError(i, whyNot); });
    }
}

std::optional<InvokeRequest> TestRunner::requestFor(const TestCase &testCase, QString *whyNot) const
{
    InvokeRequest request = testCase.request;
    if (request.mode.kind == Mode::Live && m_options.offline) {
        *whyNot = u"a live case does not run offline (--offline): give it mode \"replay\" or \"manual\""_s;
        return std::nullopt;
    }
    if (request.mode.kind == Mode::Replay && m_options.refresh)
        request.mode = Mode::replay(true);
    if (request.mode.kind == Mode::Manual && !testCase.mocksGiven) {
        // As `invoke-cli invoke --mode manual`: the bot's bundled mock set, when it has one.
        QString error;
        if (auto mocks = bundledMockSet(request.botKey, &error))
            request.manualMocks = std::move(*mocks);
        else if (!error.isEmpty()) {
            *whyNot = error;
            return std::nullopt;
        }
    }
    return request;
}

CaseResult TestRunner::blankResult(int index) const
{
    const QueuedCase &c = m_cases.at(index);
    CaseResult r;
    r.file = c.file;
    r.name = c.testCase.name;
    r.bot = c.testCase.request.botKey;
    r.line = c.testCase.line;
    return r;
}

void TestRunner::finishWithError(int index, const QString &reason)
{
    if (m_done.contains(index))
        return;
    m_done.insert(index);
    CaseResult r = blankResult(index);
    r.status = CaseStatus::Error;
    r.failures.append({u"the case runs"_s, true, Json(toStd(reason))});
    --m_pending;
    Q_EMIT caseFinished(index, r);
    maybeFinish();
}

void TestRunner::onRunFinished(int index, const RunOutcome &outcome)
{
    m_done.insert(index);
    CaseResult r = blankResult(index);
    r.durationMs = outcome.durationMs;
    r.invocationId = outcome.result.invocationId;
    r.run = outcome.result;
    const TestCase &testCase = m_cases.at(index).testCase;
    if (outcome.timedOut) {
        r.status = CaseStatus::Error;
        r.failures.append({u"the case runs"_s, true,
                           Json(toStd(u"timed out after %1 s (--timeout)"_s.arg(m_options.timeoutSeconds)))});
    } else if (outcome.result.cancelled) {
        r.status = CaseStatus::Error;
        r.failures.append({u"the case runs"_s, true, Json("cancelled")});
    } else if (outcome.eventCount == 0 && !outcome.result.success) {
        // The run never started: an unknown bot, a server that refused the request.
        r.status = CaseStatus::Error;
        const QString why = outcome.result.error.isEmpty() ? u"the run did not start"_s : outcome.result.error;
        r.failures.append({u"the case runs"_s, true, Json(toStd(why))});
    } else {
        const RunFacts facts = RunFacts::of(outcome.result, outcome.durationMs, testCase.request.datasets,
                                            m_knownDatasets);
        r.failures = checkCase(testCase, facts);
        r.status = r.failures.isEmpty() ? CaseStatus::Passed : CaseStatus::Failed;
    }
    --m_pending;
    Q_EMIT caseFinished(index, r);
    maybeFinish();
}

void TestRunner::maybeFinish()
{
    if (!m_running || m_pending > 0 || (m_queue && (m_queue->running() > 0 || m_queue->queued() > 0)))
        return;
    m_running = false;
    Q_EMIT finished();
}

} // namespace invoke::agenttests
