#pragma once
#include "core/model/invocation/invokerequest.h"
#include "core/model/invocation/invokeresult.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>

namespace invoke {
class Backend;
class Invocation;
}

namespace invoke::ui {

class EventBatcher;
class EventListModel;
class StepTreeModel;
class TranscriptModel;

// Runs one invocation at a time for the window: starts it on the backend, feeds its
// events through an EventBatcher (one model insert per frame) into the step tree, the
// event list and the transcript, and finishes the turn when the run ends. Stop cancels;
// the partial output stays, marked cancelled.
class RunController : public QObject
{
    Q_OBJECT
public:
    RunController(Backend *backend, StepTreeModel *steps, EventListModel *events,
                  TranscriptModel *transcript, QObject *parent = nullptr);

    // Starts a run: clears the steps and events of the previous one, adds the user's
    // turn (when `userText` is not empty) and invokes. Ignored while a run is going.
    // `botFolders`: bot files of this run's own, read after the backend's
    // (Backend::invokeWithBotFolders: a run file's bots).
    void start(const InvokeRequest &request, const QString &userText, const QStringList &botFolders = {});
    // Starts a request made before (a recorded run's, a fork of it) again as it is sent:
    // the transcript shows its messages, the user's and the assistant's earlier turns (as
    // showFinished does), then the new answer, as after an Invoke of that conversation.
    // Ignored while a run is going.
    void startAgain(const InvokeRequest &request, const QStringList &botFolders = {});
    void stop();
    bool isRunning() const { return m_running; }
    // Shows a run that finished elsewhere (a test case's, run with its events kept) as if
    // it had just run here: the step tree and the events get its events, the transcript
    // its request's messages and then its answer; eventsApplied, invocationIdKnown and
    // finished follow as after a run. lastRequest() stays the last run started here.
    // False (nothing changes) while a run is going.
    bool showFinished(const InvokeRequest &request, const InvokeResult &result);

    // The invocation of the run going or last run (null before any): a recorder connects
    // to it on started().
    Invocation *currentInvocation() const;
    qint64 eventCount() const { return m_eventCount; }
    QString invocationId() const { return m_invocationId; }
    const InvokeRequest &lastRequest() const { return m_request; }
    EventBatcher *batcher() const { return m_batcher; }

Q_SIGNALS:
    void started();
    // A batch reached the models.
    void eventsApplied(qint64 totalEvents);
    void invocationIdKnown(const QString &id);
    void finished(const invoke::InvokeResult &result);

private:
    // Clears the previous run's steps, events and invocation.
    void reset();
    void invoke(const InvokeRequest &request, const QStringList &botFolders);
    // The transcript becomes `request`'s messages (system messages are not a turn).
    void showMessages(const InvokeRequest &request);
    void apply(const QList<Event> &batch);
    void onFinished(const InvokeResult &result);

    Backend *m_backend;
    StepTreeModel *m_steps;
    EventListModel *m_events;
    TranscriptModel *m_transcript;
    EventBatcher *m_batcher;
    QPointer<Invocation> m_invocation;
    InvokeRequest m_request;
    bool m_running = false;
    qint64 m_eventCount = 0;
    QString m_invocationId;
};

} // namespace invoke::ui
