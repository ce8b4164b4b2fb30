#include "ui/run/eventbatcher.h"

#include <chrono>

namespace invoke::ui {

EventBatcher::EventBatcher(QObject *parent)
    : QObject(parent),
      m_nowNs([] {
          return qint64(std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count());
      })
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

void EventBatcher::Fit::add(double count, double ns)
{
    constexpr double keep = 0.8; // older flushes fade: the views get slower as they grow
    weight = keep * weight + 1;
    n = keep * n + count;
    t = keep * t + ns;
    nn = keep * nn + count * count;
    nt = keep * nt + count * ns;
}

bool EventBatcher::Fit::estimate(double *fixedNs, double *perEventNs) const
{
    if (weight <= 0)
        return false;
    const double spread = weight * nn - n * n;
    double slope = spread > 1e-6 * weight * nn ? (weight * nt - n * t) / spread : -1;
    if (slope <= 0) // one share size so far, or noise: all of it per event
        slope = nn > 0 ? nt / nn : 0;
    if (slope <= 0)
        return false;
    *perEventNs = slope;
    *fixedNs = qMax(0.0, (t - slope * n) / weight);
    return true;
}

qsizetype EventBatcher::frameShare() const
{
    double fixed = 0, perEvent = 0;
    if (!m_cost.estimate(&fixed, &perEvent))
        return 2'000; // before anything is measured: a share small enough for any machine
    const double budget = double(m_budgetNs);
    // When the fixed part alone fills the budget, a smaller share only means more
    // frames paying it: take as much again per event, so throughput stays at half.
    const double forEvents = budget > 2 * fixed ? budget - fixed : fixed;
    return qMax<qsizetype>(256, qsizetype(forEvents / perEvent));
}

void EventBatcher::flushFrame()
{
    qsizetype count = pendingCount();
    if (m_budgetNs > 0)
        count = qMin(count, frameShare());
    if (m_maxBatch > 0)
        count = qMin(count, m_maxBatch);
    const qint64 start = m_nowNs();
    emitBatch(count);
    m_cost.add(double(count), double(m_nowNs() - start));
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
