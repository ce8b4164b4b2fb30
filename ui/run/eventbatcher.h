#pragma once
#include "core/model/event.h"

#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <functional>

namespace invoke::ui {

// Coalesces the batches an Invocation emits and hands them on at most once per frame,
// so the models insert once per frame and the views follow the tail once per frame
// (one insert per event caps a view at ~25k events/s).
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
    int interval() const { return m_interval; }

    // How long the receivers of one timed flush may take (default 12 ms). The batcher
    // measures what its receivers cost (slots connected directly run inside the emit)
    // and hands on no more than fits, so a producer far faster than the window never
    // freezes it: a backlog goes out over the next frames, one share per frame, the
    // next share as soon as the views have painted. 0 turns the budget off.
    void setFrameBudget(int milliseconds) { m_budgetNs = qint64(qMax(0, milliseconds)) * 1'000'000; }
    // A hard cap on one timed flush, whatever the budget (default none: 0).
    void setMaxBatchSize(qsizetype events) { m_maxBatch = events; }
    qsizetype maxBatchSize() const { return m_maxBatch; }

    // The clock the receivers' cost is read from, in nanoseconds (default: the monotonic
    // clock). Tests give one that their receivers advance, so the fit sees exactly the
    // cost they stand for and a loaded machine's preemption cannot skew it.
    void setClock(std::function<qint64()> nowNs) { m_nowNs = std::move(nowNs); }

    // Events waiting for the next flush.
    qsizetype pendingCount() const { return m_pendingCount; }

public Q_SLOTS:
    void add(const QList<invoke::Event> &events);
    // Hands on everything pending right away, whatever the budget (end of a run, before
    // finishing the transcript); no signal when nothing is pending.
    void flushNow();
    // Drops what is pending without handing it on (a new run replaces the old one).
    void discard();

Q_SIGNALS:
    void flushed(const QList<invoke::Event> &events);

private:
    void flushFrame();
    qsizetype frameShare() const;
    void emitBatch(qsizetype count);

    // The batches as they came: kept whole (no copy of their events on arrival), split
    // only where a frame's share ends.
    QList<QList<Event>> m_pending;
    qsizetype m_taken = 0; // events of m_pending.first() already handed on
    qsizetype m_pendingCount = 0;
    qsizetype m_maxBatch = 0;
    qint64 m_budgetNs = 12'000'000;
    // What the receivers cost, fitted as fixed + perEvent * count over recent flushes
    // (decaying sums of a least-squares line): a view that relayouts all its rows on
    // every insert has a large fixed part, and shrinking its share would not help.
    struct Fit
    {
        double weight = 0, n = 0, t = 0, nn = 0, nt = 0;
        void add(double count, double ns);
        bool estimate(double *fixedNs, double *perEventNs) const;
    } m_cost;
    int m_interval = 16;
    QTimer m_timer;
    std::function<qint64()> m_nowNs;
};

} // namespace invoke::ui
