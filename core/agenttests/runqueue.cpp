#include "core/agenttests/runqueue.h"

#include "core/backend/backend.h"
#include "core/backend/invocation.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtCore/QTimer>

namespace invoke::agenttests {

struct RunQueue::Running
{
    int id = 0;
    QElapsedTimer clock;
    QTimer deadline;
    bool timedOut = false;
};

RunQueue::RunQueue(Backend &backend, Options options, QObject *parent)
    : QObject(parent), m_backend(backend), m_options(options)
{
    m_options.jobs = std::max(1, m_options.jobs);
}

RunQueue::~RunQueue()
{
    // Invocations still running are children of this queue: cancel them before they go.
    for (auto it = m_running.begin(); it != m_running.end(); ++it) {
        it.key()->disconnect(this);
        it.key()->cancel();
        delete it.value();
    }
}

void RunQueue::add(int id, const InvokeRequest &request)
{
    m_queue.emplace_back(id, request);
    scheduleFill();
}

void RunQueue::stop()
{
    m_queue.clear();
    for (auto it = m_running.begin(); it != m_running.end(); ++it)
        it.key()->cancel();
    if (m_running.isEmpty())
        QTimer::singleShot(0, this, [this] { Q_EMIT drained(); });
}

void RunQueue::scheduleFill()
{
    if (m_fillScheduled)
        return;
    m_fillScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_fillScheduled = false;
        fill();
    });
}

void RunQueue::fill()
{
    while (!m_queue.empty() && m_running.size() < m_options.jobs) {
        auto [id, request] = std::move(m_queue.front());
        m_queue.pop_front();
        Invocation *invocation = m_backend.invoke(request, this);
        invocation->setKeepEvents(m_options.keepEvents);
        auto *run = new Running;
        run->id = id;
        run->clock.start();
        m_running.insert(invocation, run);
        if (m_options.timeoutMs > 0) {
            run->deadline.setSingleShot(true);
            connect(&run->deadline, &QTimer::timeout, invocation, [run, invocation] {
                run->timedOut = true;
                invocation->cancel();
            });
            run->deadline.start(m_options.timeoutMs);
        }
        connect(invocation, &Invocation::finished, this, [this, invocation] { onFinished(invocation); },
                Qt::QueuedConnection);
        Q_EMIT runStarted(id);
    }
}

void RunQueue::onFinished(Invocation *invocation)
{
    Running *run = m_running.take(invocation);
    if (!run)
        return;
    RunOutcome outcome;
    outcome.result = invocation->result();
    outcome.durationMs = run->clock.elapsed();
    outcome.eventCount = invocation->eventCount();
    outcome.timedOut = run->timedOut;
    const int id = run->id;
    delete run;
    invocation->deleteLater();
    QPointer<RunQueue> self(this);
    Q_EMIT runFinished(id, outcome);
    if (!self)
        return;
    if (!m_queue.empty())
        fill();
    else if (m_running.isEmpty())
        Q_EMIT drained();
}

} // namespace invoke::agenttests
