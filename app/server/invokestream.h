#pragma once
// One invocation streamed to one client: the engine's event batches become SSE frames
// (core/wire) in HTTP chunks as they arrive. A client that goes away, or lags too far
// behind (QTcpSocket has no back-pressure: its unsent bytes would grow without bound),
// cancels the invocation. The last event always carries the result: when the engine
// sent none (a run that could not start), one is made from the result.
#include "app/server/http/requestlog.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <memory>

namespace invoke {
class Invocation;
struct Event;
struct InvokeResult;
}

namespace invoke::server {

class HttpReply;
class RemotePaths;

class InvokeStream : public QObject
{
    Q_OBJECT
public:
    // Takes `invocation` (reparented to the stream) and starts the event stream at once.
    // The errors the client reads name no file of the server's (`paths` scrubs them; it
    // outlives the stream).
    InvokeStream(std::shared_ptr<HttpReply> reply, Invocation *invocation, RequestLogLine log,
                 QElapsedTimer since, qint64 maxUnsentBytes, const RemotePaths *paths, QObject *parent = nullptr);
    ~InvokeStream() override;

    // Server shutdown: cancel the run; its final event and the last chunk still go out.
    void cancel(const QString &why);

Q_SIGNALS:
    // The run finished and the connection is closed (or gone): the stream deletes itself.
    void closed();

private:
    void onEvents(const QList<invoke::Event> &events);
    void onFinished(const invoke::InvokeResult &result);
    void onClientGone();
    void dropClient(const QString &why);
    void closeWhenDone();

    std::shared_ptr<HttpReply> m_reply;
    QPointer<Invocation> m_invocation;
    RequestLogLine m_log;
    QElapsedTimer m_since;
    qint64 m_maxUnsent;
    const RemotePaths *m_paths;
    qint64 m_events = 0;
    qint64 m_firstEventNs = -1; // since the request arrived, for the log
    qint64 m_lastSeq = -1;
    QString m_invocationId;
    bool m_sentFinal = false;
    bool m_finished = false;
    bool m_clientGone = false;
    bool m_closeTimerStarted = false;
    bool m_closed = false; // closed() was emitted
    QString m_endNote; // why it ended early (client gone, too slow, shutdown)
};

} // namespace invoke::server
