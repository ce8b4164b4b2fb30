#include "core/backend/remoteinvocation.h"

#include "core/backend/remotehttp.h"
#include "core/wire/planversion.h"
#include "core/wire/requestcodec.h"

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>

using namespace Qt::StringLiterals;

namespace invoke {

namespace {

constexpr qsizetype kMaxBodyBytes = 64 * 1024; // of an error answer: enough for its message

QString seconds(int ms)
{
    return QString::number(ms / 1000.0);
}

} // namespace

RemoteInvocation::RemoteInvocation(RemoteBackendOptions options, InvokeRequest request, QObject *parent)
    : Invocation(parent), m_options(std::move(options)), m_request(std::move(request)),
      m_network(new QNetworkAccessManager(this))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &RemoteInvocation::onTimeout);
}

RemoteInvocation::~RemoteInvocation()
{
    dropReply();
}

void RemoteInvocation::start()
{
    if (const QString problem = RemoteBackend::endpointProblem(m_options.endpoint); !problem.isEmpty()) {
        m_failure = u"The endpoint is unusable: "_s + problem;
        QMetaObject::invokeMethod(this, &RemoteInvocation::complete, Qt::QueuedConnection);
        return;
    }
    const QString path = u"/bots/"_s + QString::fromLatin1(QUrl::toPercentEncoding(m_request.botKey)) + u"/invoke"_s;
    QNetworkRequest request = remote::requestFor(m_options, path);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setRawHeader("Accept", "text/event-stream");
    request.setRawHeader("Cache-Control", "no-cache");
    m_reply = m_network->post(request, wire::encodeRequestBody(m_request));
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &RemoteInvocation::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &RemoteInvocation::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &RemoteInvocation::onReplyFinished);
    m_timer.start(m_options.connectTimeoutMs);
}

void RemoteInvocation::cancel()
{
    if (isFinished() || m_phase == Phase::Done || m_cancelled)
        return;
    m_cancelled = true;
    dropReply();
    QMetaObject::invokeMethod(this, &RemoteInvocation::complete, Qt::QueuedConnection);
}

void RemoteInvocation::onMetaData()
{
    if (m_phase != Phase::Connecting || !m_reply)
        return;
    m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_status == 0)
        return; // not the answer's headers yet
    m_contentType = m_reply->header(QNetworkRequest::ContentTypeHeader).toByteArray().trimmed().toLower();
    if (m_status == 200 && m_contentType.startsWith("text/event-stream")) {
        m_phase = Phase::WaitingForEvent;
        m_timer.start(m_options.firstEventTimeoutMs);
        const QByteArray updatedAt = m_reply->rawHeader("Invoke-Bot-Updated-At").trimmed();
        const QString planVersion = QString::fromLatin1(m_reply->rawHeader("Invoke-Plan-Version").trimmed());
        setBotVersion(QDateTime::fromString(QString::fromLatin1(updatedAt), Qt::ISODateWithMs).toUTC(),
                      wire::isPlanVersion(planVersion) ? planVersion : QString());
    } else {
        m_phase = Phase::Body;
        m_timer.start(m_options.connectTimeoutMs);
    }
}

void RemoteInvocation::setBotVersion(const QDateTime &updatedAt, const QString &planVersion)
{
    if (m_botVersionKnown)
        return;
    m_botVersionKnown = true;
    m_botUpdatedAt = updatedAt.isValid() ? updatedAt : QDateTime();
    m_planVersion = planVersion;
    Q_EMIT botVersionArrived();
}

void RemoteInvocation::onReadyRead()
{
    onMetaData();
    if (!m_reply || !m_reply->isOpen()) // a failed reply may be closed already
        return;
    if (m_phase == Phase::Body || m_phase == Phase::Connecting) {
        m_body += m_reply->read(qMax<qint64>(0, kMaxBodyBytes - m_body.size()));
        m_reply->readAll(); // past the cap: dropped
        return;
    }
    if (!m_drainPending)
        drain();
}

void RemoteInvocation::drain()
{
    m_drainPending = false;
    if (!m_reply || m_phase == Phase::Done)
        return;
    const QByteArray bytes = m_reply->isOpen() ? m_reply->read(kSliceBytes) : QByteArray();
    if (!bytes.isEmpty()) {
        QList<Event> batch;
        m_decoder.feed(bytes, batch);
        m_decoder.takeProblems(); // a non-event message (a keep-alive, "[DONE]") is skipped
        if (m_phase == Phase::Streaming)
            m_timer.start(m_options.idleTimeoutMs); // any byte shows the stream is alive
        if (!batch.isEmpty()) {
            if (m_phase == Phase::WaitingForEvent) {
                m_phase = Phase::Streaming;
                m_timer.start(m_options.idleTimeoutMs);
            }
            const QPointer<RemoteInvocation> alive(this);
            deliver(batch);
            if (!alive || m_phase == Phase::Done || m_cancelled)
                return;
        }
        if (m_decoder.parser().pendingMessageBytes() > m_options.maxEventBytes) {
            stop(u"%1 sent an event larger than %2 MiB; the run was stopped there (what arrived before it is "
                 "kept)."_s.arg(remote::endpointText(m_options))
                     .arg(m_options.maxEventBytes / (1024.0 * 1024.0)));
            return;
        }
    }
    if (m_reply && m_reply->isOpen() && m_reply->bytesAvailable() > 0) {
        // The rest in the next turn of the event loop: input and painting go first.
        m_drainPending = true;
        QMetaObject::invokeMethod(this, &RemoteInvocation::drain, Qt::QueuedConnection);
    } else if (m_replyDone) {
        complete();
    }
}

void RemoteInvocation::onReplyFinished()
{
    if (!m_reply)
        return;
    onMetaData();
    m_replyDone = true;
    m_timer.stop();
    m_networkError = m_reply->error();
    m_networkErrorString = m_reply->errorString();
    if (m_phase == Phase::Body || m_phase == Phase::Connecting) {
        onReadyRead();
        complete();
    } else if (!m_drainPending) {
        drain(); // reads what is left, then completes
    }
}

void RemoteInvocation::onTimeout()
{
    const QString endpoint = remote::endpointText(m_options);
    switch (m_phase) {
    case Phase::Connecting:
    case Phase::Body:
        stop(remote::describeConnectTimeout(m_options));
        break;
    case Phase::WaitingForEvent:
        stop(u"%1 accepted the run but sent no event within %2 s. The bot may be waiting on a slow model or "
             "tool: replay mode answers from the cache, manual mode from mocks."_s
                 .arg(endpoint, seconds(m_options.firstEventTimeoutMs)));
        break;
    case Phase::Streaming:
        stop(u"The stream from %1 stalled: nothing arrived for %2 s after %3 events. What arrived is kept."_s
                 .arg(endpoint, seconds(m_options.idleTimeoutMs))
                 .arg(eventCount()));
        break;
    case Phase::Done:
        break;
    }
}

void RemoteInvocation::stop(const QString &failure)
{
    m_failure = failure;
    dropReply();
    complete();
}

void RemoteInvocation::dropReply()
{
    m_timer.stop();
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void RemoteInvocation::complete()
{
    if (isFinished())
        return;
    m_phase = Phase::Done;
    m_timer.stop();
    setBotVersion({}, {}); // no answer named it: whoever waits for it stops waiting
    RunFold &fold = mutableFold();
    if (m_cancelled) {
        fold.markCancelled();
    } else if (!m_failure.isEmpty()) {
        fold.markFailed(m_failure);
    } else if (m_status == 200 && m_contentType.startsWith("text/event-stream")) {
        if (!fold.hasFinalEvent())
            fold.markFailed(describeCut());
    } else {
        fold.markFailed(describeAnswer());
    }
    InvokeResult result = fold.result();
    if (result.botKey.isEmpty())
        result.botKey = m_request.botKey;
    if (!result.success && result.result.is_null())
        result.result = Json{{"status", result.cancelled ? "cancelled" : "error"},
                             {"output", Json{{"content", Json::array()}}},
                             {"error", toStd(result.error)}};
    dropReply();
    finish(result);
}

QString RemoteInvocation::describeAnswer() const
{
    const QString endpoint = remote::endpointText(m_options);
    if (m_status == 0) {
        if (m_networkError == QNetworkReply::NoError)
            return u"%1 closed the connection without answering."_s.arg(endpoint);
        return remote::describeNetworkError(m_options, m_networkError, m_networkErrorString);
    }
    if (m_status != 200)
        return remote::describeStatus(m_options, m_status, m_body,
                                      u"The bot \"%1\" was not found at %2"_s.arg(m_request.botKey, endpoint),
                                      u"check the key, and that the bot is synced to that server."_s);
    if (const QString detail = remote::errorDetail(m_body); !detail.isEmpty())
        return u"%1 answered with an error: %2"_s.arg(endpoint, detail);
    return u"%1 answered with %2 instead of an event stream (text/event-stream): is it an invoke server?"_s
        .arg(endpoint, m_contentType.isEmpty() ? u"no content type"_s : QString::fromLatin1(m_contentType));
}

QString RemoteInvocation::describeCut() const
{
    const QString endpoint = remote::endpointText(m_options);
    const QString how = m_networkError == QNetworkReply::NoError
        ? u"the connection ended"_s
        : m_networkErrorString;
    const qint64 events = eventCount();
    if (events == 0) {
        QString text = u"The stream from %1 ended before its first event (%2)."_s.arg(endpoint, how);
        if (m_decoder.skippedCount() > 0)
            text += u" It sent %1 message(s) that are not events: is it an invoke server?"_s.arg(m_decoder.skippedCount());
        return text;
    }
    return u"The stream from %1 was cut off after %2 events, before the run finished (%3). What arrived is "
           "kept and marked as cut off."_s
        .arg(endpoint)
        .arg(events)
        .arg(how);
}

} // namespace invoke
