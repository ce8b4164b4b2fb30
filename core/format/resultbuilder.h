#pragma once
// Folds a stream of events into an InvokeResult: steps (by path, nested for sub-bots),
// the messages of all steps, the final result. Every consumer uses this one fold:
// LocalBackend, RemoteBackend, invoke-cli and the studio's models.
#include "core/model/invokeresult.h"

#include <QtCore/QHash>

namespace invoke {

class ResultBuilder
{
public:
    // Appends events in arrival order; tolerates events without type or metadata.
    void add(const Event &event);
    void add(const QList<Event> &events);

    // Marks the run as cancelled (running steps become "cancelled") or cut off with an
    // error (when the stream ended without a final event).
    void markCancelled();
    void markFailed(const QString &error);

    bool hasFinalEvent() const { return m_finalSeen; }
    // The result so far; `success` is true only after a successful final event.
    const InvokeResult &result() const { return m_result; }
    // Index into result().steps of a step path, or -1.
    int stepIndex(const QString &path) const;

private:
    InvokeResult m_result;
    QHash<QString, int> m_stepByPath;
    QHash<QString, int> m_messageById;
    bool m_finalSeen = false;
};

} // namespace invoke
