#pragma once
#include "core/fold/runfold.h"
#include "core/model/invocation/invokeresult.h"

#include <QtCore/QObject>

namespace invoke {

// One running invocation. Created by Backend::invoke(); its signals start arriving
// from the event loop after invoke() returns, so connecting (and setKeepEvents) right
// away loses nothing. Events arrive in batches (one signal per batch, in order);
// finished() comes once, after the last batch.
//
// The invocation folds its events (core/fold/runfold.h) into the result's steps,
// messages and outcome; it keeps the events themselves only when asked
// (docs/architecture.md, "Who keeps a run's events").
class Invocation : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Stops the run promptly; finished() still comes, with result().cancelled set and
    // the partial output kept.
    virtual void cancel() = 0;

    // Keep every event in result().events, in arrival order (off by default: a caller
    // that shows or stores events as they arrive keeps its own). Set it before the
    // event loop runs again after invoke(); events already delivered are not kept.
    void setKeepEvents(bool keep) { m_keepEvents = keep; }
    bool keepsEvents() const { return m_keepEvents; }
    // How many events arrived so far (kept or not).
    qint64 eventCount() const { return m_fold.eventCount(); }

    bool isFinished() const { return m_finished; }
    // The result once finished() came; before that, the empty result.
    const InvokeResult &result() const { return m_result; }
    // The fold so far: steps, messages, invocation id, while the run goes on.
    const RunFold &fold() const { return m_fold; }

Q_SIGNALS:
    void eventsArrived(const QList<invoke::Event> &events);
    void finished(const invoke::InvokeResult &result);

protected:
    // For implementations: folds a batch, keeps it when asked and emits eventsArrived.
    // The invocation may be deleted by a receiver: check with a QPointer after it.
    void deliver(const QList<Event> &batch);
    // The fold, to mark the run cancelled or failed before finishing.
    RunFold &mutableFold() { return m_fold; }
    // Records the result (with the kept events) and emits finished() once.
    void finish(InvokeResult result);

private:
    bool m_finished = false;
    bool m_keepEvents = false;
    RunFold m_fold;
    QList<Event> m_kept;
    InvokeResult m_result;
};

} // namespace invoke
