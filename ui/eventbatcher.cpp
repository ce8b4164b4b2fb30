#include "ui/eventbatcher.h"

namespace invoke::ui {

EventBatcher::EventBatcher(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(16);
    // A precise timer: a coarse one may wait up to 5% longer, and the point is the frame.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &EventBatcher::flushNow);
}

void EventBatcher::setInterval(int milliseconds)
{
    m_timer.setInterval(qMax(0, milliseconds));
}

void EventBatcher::add(const QList<Event> &events)
{
    if (events.isEmpty())
        return;
    if (m_pending.isEmpty())
        m_pending = events; // shares the sender's list: no copy for the common case
    else
        m_pending.append(events);
    if (!m_timer.isActive())
        m_timer.start();
}

void EventBatcher::flushNow()
{
    m_timer.stop();
    if (m_pending.isEmpty())
        return;
    const QList<Event> batch = std::exchange(m_pending, {});
    Q_EMIT flushed(batch);
}

void EventBatcher::discard()
{
    m_timer.stop();
    m_pending.clear();
}

} // namespace invoke::ui
