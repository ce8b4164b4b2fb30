#include "ui/eventbatcher.h"

#include <QtCore/QElapsedTimer>

namespace invoke::ui {

EventBatcher::EventBatcher(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(m_interval);
    // A precise timer: a coarse one may wait up to 5% longer, and the point is the frame.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &EventBatcher::flushFrame);
}

void EventBatcher::setInterval(int milliseconds)
{
    m_interval = qMax(0, milliseconds);
    m_timer.setInterval(m_interval);
}

void EventBatcher::add(const QList<Event> &events)
{
    if (events.isEmpty())
        return;
    m_pending.append(events); // shares the sender's list
    m_pendingCount += events.size();
    if (!m_timer.isActive())
        m_timer.start(m_interval);
}

void EventBatcher::flushFrame()
{
    qsizetype count = pendingCount();
    if (m_budgetNs > 0) {
        // Before anything is measured, a share small enough for any machine.
        const double fits = m_nsPerEvent > 0 ? double(m_budgetNs) / m_nsPerEvent : 2'000.0;
        count = qMin(count, qMax<qsizetype>(256, qsizetype(fits)));
    }
    if (m_maxBatch > 0)
        count = qMin(count, m_maxBatch);
    QElapsedTimer clock;
    clock.start();
    emitBatch(count);
    if (count >= 256) { // small flushes are mostly fixed costs: they would mislead
        const double sample = double(clock.nsecsElapsed()) / double(count);
        m_nsPerEvent = m_nsPerEvent > 0 ? 0.7 * m_nsPerEvent + 0.3 * sample : sample;
    }
    // A backlog goes on as soon as the views have painted this frame's part.
    if (pendingCount() > 0 && !m_timer.isActive())
        m_timer.start(0);
}

void EventBatcher::flushNow()
{
    m_timer.stop();
    emitBatch(pendingCount());
}

void EventBatcher::emitBatch(qsizetype count)
{
    if (count <= 0)
        return;
    QList<Event> batch;
    if (m_taken == 0 && m_pending.first().size() == count) {
        batch = m_pending.takeFirst(); // the common case: one arrival, one frame
    } else {
        batch.reserve(count);
        while (batch.size() < count) {
            QList<Event> &first = m_pending.first();
            const qsizetype n = qMin(count - batch.size(), first.size() - m_taken);
            // Once the sender let go of its list (it has, for a queued or finished
            // emit), its events can be moved out: no reference counting on each
            // event's strings, which are cold in the cache by now.
            if (first.isDetached())
                std::move(first.begin() + m_taken, first.begin() + m_taken + n, std::back_inserter(batch));
            else
                batch.append(first.constBegin() + m_taken, first.constBegin() + m_taken + n);
            m_taken += n;
            if (m_taken == first.size()) {
                m_pending.removeFirst();
                m_taken = 0;
            }
        }
    }
    m_pendingCount -= count;
    Q_EMIT flushed(batch);
    batch.clear(); // releasing the events is part of the frame's cost: measure it too
}

void EventBatcher::discard()
{
    m_timer.stop();
    m_pending.clear();
    m_taken = 0;
    m_pendingCount = 0;
}

} // namespace invoke::ui
