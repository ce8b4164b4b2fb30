#pragma once
// One invocation on a server: POST {endpoint}/bots/{key}/invoke, its text/event-stream
// read as the bytes arrive and folded by the core's RunFold. Reading is sliced
// (kSliceBytes per turn of the event loop), so a burst of megabytes never holds the
// GUI thread for long.
#include "core/backend/invocation.h"
#include "core/backend/remotebackend.h"
#include "core/wire/eventcodec.h"

#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkReply>

class QNetworkAccessManager;

namespace invoke {

class RemoteInvocation final : public Invocation
{
    Q_OBJECT
public:
    static constexpr qint64 kSliceBytes = 256 * 1024;

    RemoteInvocation(RemoteBackendOptions options, InvokeRequest request, QObject *parent = nullptr);
    // Aborts the request; nothing is delivered afterwards.
    ~RemoteInvocation() override;

    void start();
    // Aborts the reply; finished() follows from the event loop with the events so far.
    void cancel() override;

    // The bot's version the server named in its answer's head (docs/server.md), once that
    // head has arrived: its updated_at (Invoke-Bot-Updated-At) and its plan's version, which
    // covers the sub-bots too (Invoke-Plan-Version, core/wire/planversion.h). Each invalid
    // or empty when the head did not name it (an older server names no plan version), or
    // when the run ended without an answer. botVersionArrived() says when, once.
    bool botVersionKnown() const { return m_botVersionKnown; }
    QDateTime botUpdatedAt() const { return m_botUpdatedAt; }
    QString planVersion() const { return m_planVersion; }

Q_SIGNALS:
    void botVersionArrived();

private:
    void setBotVersion(const QDateTime &updatedAt, const QString &planVersion);
    // Where the answer is: each phase has its own timeout and its own words for it.
    enum class Phase { Connecting, WaitingForEvent, Streaming, Body, Done };

    void onMetaData();
    void onReadyRead();
    void drain();
    void onReplyFinished();
    void onTimeout();
    void stop(const QString &failure);
    void dropReply();
    void complete();
    QString describeAnswer() const;
    QString describeCut() const;

    const RemoteBackendOptions m_options;
    const InvokeRequest m_request;
    QNetworkAccessManager *m_network; // one per invocation: a stream holds its connection
    QPointer<QNetworkReply> m_reply;
    QTimer m_timer;
    Phase m_phase = Phase::Connecting;
    wire::EventStreamDecoder m_decoder;

    int m_status = 0;
    QByteArray m_contentType;
    QByteArray m_body; // the answer when it is not an event stream (an error), capped
    bool m_replyDone = false;
    bool m_drainPending = false;
    bool m_cancelled = false;
    QNetworkReply::NetworkError m_networkError = QNetworkReply::NoError;
    QString m_networkErrorString;
    QString m_failure; // what ended the run early: a timeout, an oversized event
    bool m_botVersionKnown = false;
    QDateTime m_botUpdatedAt;
    QString m_planVersion;
};

} // namespace invoke
