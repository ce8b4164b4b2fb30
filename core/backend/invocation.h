#pragma once
#include "core/model/invokeresult.h"

#include <QtCore/QObject>

namespace invoke {

// One running invocation. Created by Backend::invoke(); its signals start arriving
// from the event loop after invoke() returns, so connecting right away loses nothing.
// Events arrive in batches (one signal per batch, in order); finished() comes once,
// after the last batch, with every event in the result.
class Invocation : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Stops the run promptly; finished() still comes, with result().cancelled set and
    // the partial output kept.
    virtual void cancel() = 0;

    bool isFinished() const { return m_finished; }
    const InvokeResult &result() const { return m_result; }

Q_SIGNALS:
    void eventsArrived(const QList<invoke::Event> &events);
    void finished(const invoke::InvokeResult &result);

protected:
    // For implementations: records the result and emits finished() once.
    void finish(const InvokeResult &result);

private:
    bool m_finished = false;
    InvokeResult m_result;
};

} // namespace invoke
