#pragma once
// The one fold from a run's events to its result: steps (by path, nested for sub-bots),
// the messages of all steps, the outcome. Every consumer folds with it: the backends'
// invocations (core/backend/invocation.h), the studio's step tree, tests and benchmarks.
//
// It keeps what the result needs and not the events themselves: whoever wants the event
// list keeps it (docs/architecture.md, "Who keeps a run's events"). add() tells its
// caller what the event touched, so nobody reads an event again to find its step.
#include "core/model/invocation/invokeresult.h"

#include <QtCore/QHash>

namespace invoke {

// What one event did to the fold.
struct FoldChange
{
    EventKind kind = EventKind::Unknown;
    // Index into result().steps of the step record the event changed (step_started,
    // step_finished), or -1: a text chunk or a status note changes no step record.
    int step = -1;
    bool stepIsNew = false;    // that step was appended by this event
    int message = -1;          // index into result().messages of the message it touched, or -1
    bool messageIsNew = false; // that message was appended by this event (its first chunk)

    bool operator==(const FoldChange &) const = default;
};

class RunFold
{
public:
    // Folds one event (events arrive in order); tolerates events without type or
    // metadata, and events that are not JSON (kind Unknown, nothing touched).
    // A step_finished names its step by metadata.path, else by the payload's key; one
    // with neither closes the most recently started step still running (stack order,
    // as the public SDK reads it) and never opens a step: with none running it changes
    // nothing (step -1).
    FoldChange add(const Event &event);
    void add(const QList<Event> &events);

    // The run was stopped: running steps become cancelled. Returns the indexes of the
    // steps that changed.
    QList<int> markCancelled();
    // The stream ended without a final event: running steps fail with `error` (the run's
    // error too). Returns the indexes of the steps that changed.
    QList<int> markFailed(const QString &error);

    bool hasFinalEvent() const { return m_finalSeen; }
    // How many events were folded.
    qint64 eventCount() const { return m_eventCount; }
    // The result so far, without events; `success` is true only after a successful
    // final event. invocationId is known from the invocation_started event on.
    const InvokeResult &result() const { return m_result; }
    // Index into result().steps of the latest step with that path, or -1.
    int stepIndex(const QString &path) const;

private:
    // The step a finish without key or path closes (see add()), or -1.
    int innermostRunningStep() const;

    InvokeResult m_result;
    QHash<QString, int> m_stepByPath;
    // Indexes of the steps started and not yet finished, oldest first: a finish without
    // key or path (the public SDK's backend sends them) closes the last one still running.
    QList<int> m_open;
    QHash<QString, int> m_messageById;
    qint64 m_eventCount = 0;
    bool m_finalSeen = false;
};

} // namespace invoke
