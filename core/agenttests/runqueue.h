#pragma once
// Runs many invocations on one Backend, at most `jobs` at a time, each with a deadline:
// what `invoke-cli test`, `invoke-cli batch` and the studio's Tests panel share. A run's
// invocation (and its events) is let go as soon as its finished() has been handed on.
#include "core/model/invocation/invokeresult.h"
#include "core/model/invocation/invokerequest.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

#include <deque>

namespace invoke {
class Backend;
class Invocation;
}

namespace invoke::agenttests {

// How one queued run ended.
struct RunOutcome
{
    InvokeResult result;
    qint64 durationMs = 0;
    qint64 eventCount = 0;
    bool timedOut = false; // cancelled at its deadline (result.cancelled is set too)
};

class RunQueue : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int jobs = 1;
        int timeoutMs = 120'000; // per run; 0: none
        bool keepEvents = false; // result.events filled (the studio shows a run's events)
    };

    RunQueue(Backend &backend, Options options, QObject *parent = nullptr);
    ~RunQueue() override;

    // Queues a run; runs start from the event loop, in the order added.
    void add(int id, const InvokeRequest &request);
    // Drops the queued runs and cancels the running ones (their finished() still comes).
    void stop();

    int running() const { return int(m_running.size()); }
    int queued() const { return int(m_queue.size()); }

Q_SIGNALS:
    void runStarted(int id);
    void runFinished(int id, const invoke::agenttests::RunOutcome &outcome);
    // Nothing queued and nothing running any more.
    void drained();

private:
    struct Running;
    void scheduleFill();
    void fill();
    void onFinished(Invocation *invocation);

    Backend &m_backend;
    Options m_options;
    std::deque<std::pair<int, InvokeRequest>> m_queue;
    QHash<Invocation *, Running *> m_running;
    bool m_fillScheduled = false;
};

} // namespace invoke::agenttests
