#pragma once
#include "core/model/event.h"

#include <QtCore/QObject>
#include <QtCore/QTimer>

namespace invoke::ui {

// Coalesces the batches an Invocation emits and hands them on at most once per frame,
// so the models insert once per frame and the views follow the tail once per frame
// (DESIGN.md §3: one insert per event caps a view at ~25k events/s).
//
// The timer is single-shot and starts with the first event after a flush, so an idle
// stream costs nothing and the first event of a burst waits at most one interval.
class EventBatcher : public QObject
{
    Q_OBJECT
public:
    explicit EventBatcher(QObject *parent = nullptr);

    // The longest an event waits before flushed() hands it on; ~16 ms (one frame).
    void setInterval(int milliseconds);
    int interval() const { return m_timer.interval(); }

    // Events waiting for the next flush.
    qsizetype pendingCount() const { return m_pending.size(); }

public Q_SLOTS:
    void add(const QList<invoke::Event> &events);
    // Hands on what is pending right away (end of a run); no signal when nothing is.
    void flushNow();
    // Drops what is pending without handing it on (a new run replaces the old one).
    void discard();

Q_SIGNALS:
    void flushed(const QList<invoke::Event> &events);

private:
    QList<Event> m_pending;
    QTimer m_timer;
};

} // namespace invoke::ui
