#pragma once
// Runs test cases on a Backend (the embedded engine or a server) in parallel and hands
// on each verdict as it comes (docs/tests.md). Nothing of a run is kept after its
// verdict unless asked (keepEvents), so memory stays flat however many cases run.
#include "core/agenttests/caseresult.h"

#include <QtCore/QObject>

namespace invoke {
class Backend;
}

namespace invoke::agenttests {

class RunQueue;
struct RunOutcome;

struct QueuedCase
{
    QString file; // the tests file the case came from
    TestCase testCase;
};

class TestRunner : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int jobs = 1;
        int timeoutSeconds = 120;
        bool refresh = false;    // replay cases run live and overwrite
        bool offline = false;    // live cases fail without running (the backend reads the cache only)
        bool keepEvents = false; // each CaseResult's run carries its events
    };

    TestRunner(Backend &backend, Options options, QObject *parent = nullptr);
    ~TestRunner() override;

    // Runs `cases`; caseFinished() comes once for each, then finished().
    void start(const QList<QueuedCase> &cases);
    // Drops the cases not started and cancels the running ones.
    void stop();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void caseStarted(int index);
    void caseFinished(int index, const invoke::agenttests::CaseResult &result);
    void finished();

private:
    void enqueueAll();
    // The request a case runs with, or the reason it cannot run.
    std::optional<InvokeRequest> requestFor(const TestCase &testCase, QString *whyNot) const;
    void onRunFinished(int index, const RunOutcome &outcome);
    void finishWithError(int index, const QString &reason);
    CaseResult blankResult(int index) const;
    void maybeFinish();

    Backend &m_backend;
    Options m_options;
    QList<QueuedCase> m_cases;
    QSet<QString> m_knownDatasets;
    QSet<int> m_started;
    QSet<int> m_done;
    RunQueue *m_queue = nullptr;
    int m_pending = 0;
    bool m_running = false;
};

// The bot's bundled example mock set (resources/mocks), which manual mode uses when a
// case or a batch names none: nullopt when there is none, an empty optional with `error`
// set when it does not load.
std::optional<MockSet> bundledMockSet(const QString &botKey, QString *error);

// Whether any assertion of the cases (negated ones included) is has_dataset.
bool needsDatasetListing(const QList<QueuedCase> &cases);

} // namespace invoke::agenttests
