#include "core/backend/invocation.h"

namespace invoke {

void Invocation::deliver(const QList<Event> &batch)
{
    m_fold.add(batch);
    if (m_keepEvents)
        m_kept.append(batch); // shares each event's bytes with the batch: no copy
    Q_EMIT eventsArrived(batch);
}

void Invocation::finish(InvokeResult result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_result = std::move(result);
    m_result.events = std::move(m_kept);
    m_kept = {};
    Q_EMIT finished(m_result);
}

} // namespace invoke
