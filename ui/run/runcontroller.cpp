#include "ui/run/runcontroller.h"
#include "ui/run/eventbatcher.h"
#include "ui/events/eventlistmodel.h"
#include "ui/steps/steptreemodel.h"
#include "ui/run/transcriptmodel.h"

#include "core/backend/backend.h"
#include "core/backend/invocation.h"

using namespace Qt::StringLiterals;

namespace invoke::ui {

RunController::RunController(Backend *backend, StepTreeModel *steps, EventListModel *events,
                             TranscriptModel *transcript, QObject *parent)
    : QObject(parent), m_backend(backend), m_steps(steps), m_events(events),
      m_transcript(transcript), m_batcher(new EventBatcher(this))
{
    connect(m_batcher, &EventBatcher::flushed, this, &RunController::apply);
}

void RunController::start(const InvokeRequest &request, const QString &userText, const QStringList &botFolders)
{
    if (m_running)
        return;
    reset();
    if (!userText.isEmpty())
        m_transcript->addUserTurn(userText);
    invoke(request, botFolders);
}

void RunController::startAgain(const InvokeRequest &request, const QStringList &botFolders)
{
    if (m_running)
        return;
    reset();
    showMessages(request);
    invoke(request, botFolders);
}

void RunController::reset()
{
    if (m_invocation)
        m_invocation->deleteLater();
    m_batcher->discard();
    m_steps->clear();
    m_events->clear();
    m_eventCount = 0;
    m_invocationId.clear();
}

void RunController::invoke(const InvokeRequest &request, const QStringList &botFolders)
{
    m_request = request;
    m_running = true;
    Invocation *invocation = botFolders.isEmpty() ? m_backend->invoke(request, this)
                                                  : m_backend->invokeWithBotFolders(request, botFolders, this);
    m_invocation = invocation;
    // Connected right away: nothing arrives before the event loop runs again.
    connect(invocation, &Invocation::eventsArrived, m_batcher, &EventBatcher::add);
    connect(invocation, &Invocation::finished, this, &RunController::onFinished);
    Q_EMIT started();
}

void RunController::showMessages(const InvokeRequest &request)
{
    TranscriptModel::Snapshot turns;
    for (const Message &message : request.messages) {
        if (message.role != u"user"_s && message.role != u"assistant"_s)
            continue;
        TranscriptModel::Turn turn;
        turn.speaker = message.role == u"user"_s ? TranscriptModel::Speaker::User : TranscriptModel::Speaker::Assistant;
        turn.text = message.content;
        turns.append(turn);
    }
    m_transcript->restore(turns);
}

Invocation *RunController::currentInvocation() const
{
    return m_invocation;
}

void RunController::stop()
{
    if (m_running && m_invocation)
        m_invocation->cancel();
}

bool RunController::showFinished(const InvokeRequest &request, const InvokeResult &result)
{
    if (m_running)
        return false;
    reset();
    showMessages(request);
    apply(result.events);
    if (result.cancelled)
        m_steps->markCancelled();
    else if (!result.success)
        m_steps->markFailed(result.error);
    if (m_invocationId.isEmpty() && !result.invocationId.isEmpty()) {
        m_invocationId = result.invocationId;
        Q_EMIT invocationIdKnown(m_invocationId);
    }
    m_transcript->finishTurn(result);
    Q_EMIT finished(result);
    return true;
}

void RunController::apply(const QList<Event> &batch)
{
    m_steps->addEvents(batch);
    m_events->addEvents(batch);
    m_transcript->addEvents(batch);
    m_eventCount += batch.size();

    if (m_invocationId.isEmpty()) {
        // The step tree's fold read it from invocation_started: no second look at the events.
        if (const QString id = m_steps->invocationId(); !id.isEmpty()) {
            m_invocationId = id;
            Q_EMIT invocationIdKnown(id);
        }
    }
    Q_EMIT eventsApplied(m_eventCount);
}

void RunController::onFinished(const InvokeResult &result)
{
    if (sender() != m_invocation)
        return;
    m_batcher->flushNow(); // the last batch goes in before the turn is closed
    if (result.cancelled)
        m_steps->markCancelled();
    else if (!result.success)
        m_steps->markFailed(result.error); // a stream cut off: steps still running failed with it
    if (m_invocationId.isEmpty() && !result.invocationId.isEmpty()) {
        m_invocationId = result.invocationId;
        Q_EMIT invocationIdKnown(m_invocationId);
    }
    m_transcript->finishTurn(result);
    m_running = false;
    Q_EMIT finished(result);
}

} // namespace invoke::ui
