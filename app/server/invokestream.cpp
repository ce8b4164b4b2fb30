#include "app/server/invokestream.h"

#include "app/server/http/httpreply.h"
#include "app/server/routes/remotepaths.h"
#include "core/backend/invocation.h"
#include "core/cache/cacheurl.h"
#include "core/config/environmentsecret.h"
#include "core/model/redaction.h"
#include "core/wire/eventcodec.h"
#include "core/wire/events.h"

#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>

using namespace Qt::StringLiterals;

namespace invoke::server {

namespace {
constexpr int kCloseTimeoutMs = 10000; // a client that never takes the last bytes
constexpr qsizetype kLoggedErrorChars = 2000; // a code step's error quotes its stderr

// The secrets this server was given (core/config/environmentsecret.h keeps what it took
// from the environment at start): masked wherever a run's error quotes them.
const QStringList &serverSecrets()
{
    static const QStringList secrets = [] {
        QStringList found;
        for (const char *name : {"INVOKE_LLM_API_KEY", "INVOKE_AUTH_TOKEN"})
            if (const auto value = takeSecretFromEnvironment(name); value && !value->isEmpty())
                found.append(*value);
        if (const auto url = takeSecretFromEnvironment("INVOKE_CACHE_URL")) {
            if (const auto parsed = cache::CacheUrl::parse(url->trimmed()); parsed && !parsed->password.isEmpty())
                found.append(parsed->password);
        }
        return found;
    }();
    return secrets;
}

// A run's error for the operator's log: whole (the server's paths included, as the log
// keeps them for a route's 500), but no secret (the server's own, any API key or bearer
// token core/model/redaction.h knows, a URL's password) and at most kLoggedErrorChars,
// its start and end kept. Quoted, so the line still reads as fields; emitLine writes
// the control characters (a traceback's new lines) as \xNN.
QString loggedError(const QString &error)
{
    QString text = redactText(cache::maskCacheUrlPassword(error), serverSecrets());
    if (text.size() > kLoggedErrorChars)
        text = text.left(kLoggedErrorChars / 2) + u" … "_s + text.right(kLoggedErrorChars / 2);
    return u"error=\""_s + text.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s) + u'"';
}
}

InvokeStream::InvokeStream(std::shared_ptr<HttpReply> reply, Invocation *invocation, RequestLogLine log,
                           QElapsedTimer since, qint64 maxUnsentBytes, const RemotePaths *paths, QObject *parent)
    : QObject(parent), m_reply(std::move(reply)), m_invocation(invocation), m_log(std::move(log)),
      m_since(since), m_maxUnsent(maxUnsentBytes), m_paths(paths)
{
    invocation->setParent(this);
    connect(invocation, &Invocation::eventsArrived, this, &InvokeStream::onEvents);
    connect(invocation, &Invocation::finished, this, &InvokeStream::onFinished);
    if (QTcpSocket *socket = m_reply->socket())
        connect(socket, &QTcpSocket::disconnected, this, &InvokeStream::onClientGone);
    m_reply->beginEventStream();
    if (!m_reply->connected())
        onClientGone();
}

InvokeStream::~InvokeStream() = default;

void InvokeStream::cancel(const QString &why)
{
    if (m_finished || !m_invocation)
        return;
    if (m_endNote.isEmpty())
        m_endNote = why;
    m_invocation->cancel();
}

void InvokeStream::onEvents(const QList<Event> &events)
{
    m_events += events.size();
    for (const Event &event : events) {
        if (event.seq >= 0)
            m_lastSeq = event.seq;
        if (wire::kindOfType(event.type) == EventKind::InvocationFinished)
            m_sentFinal = true;
    }
    if (m_invocationId.isEmpty() && m_invocation) // the fold read it from invocation_started
        m_invocationId = m_invocation->fold().result().invocationId;
    if (m_clientGone)
        return;
    if (m_firstEventNs < 0)
        m_firstEventNs = m_since.nsecsElapsed();
    QList<Event> sent = events; // shared: copied only when an event named a path of the server
    for (qsizetype i = 0; i < events.size(); ++i)
        if (auto scrubbed = m_paths->scrubbed(events[i]))
            sent[i] = std::move(*scrubbed);
    m_reply->writeChunk(wire::encodeSseFrames(sent));
    if (m_reply->pendingBytes() > m_maxUnsent)
        dropClient(u"client too slow (over %1 bytes unsent)"_s.arg(m_maxUnsent));
}

void InvokeStream::onFinished(const InvokeResult &result)
{
    m_finished = true;
    if (!m_sentFinal && !m_clientGone) {
        // The run ended without a final event (it could not start, or it stopped
        // abruptly): the client still learns how it ended.
        wire::Stamp stamp;
        stamp.invocationId = result.invocationId.isEmpty() ? m_invocationId : result.invocationId;
        stamp.seq = m_lastSeq + 1;
        stamp.tMs = m_since.elapsed();
        const QString status = result.cancelled ? u"cancelled"_s : u"error"_s;
        const QString error = result.error.isEmpty() ? u"the run ended without a result"_s
                                                     : m_paths->scrub(result.error);
        const Event last = wire::invocationFinished(stamp, status, Json::array(), error);
        m_reply->writeChunk(wire::encodeSseFrame(last));
        ++m_events;
    }
    const QString outcome = result.cancelled ? u"cancelled"_s : result.success ? u"success"_s : u"error"_s;
    m_log.durationMs = m_since.elapsed();
    m_log.note = u"events=%1 %2"_s.arg(m_events).arg(outcome);
    if (!m_endNote.isEmpty())
        m_log.note += u" ("_s + m_endNote + u')';
    if (m_firstEventNs >= 0)
        m_log.note += u" first=%1ms"_s.arg(double(m_firstEventNs) / 1e6, 0, 'f', 2);
    if (!result.success && !result.error.isEmpty())
        m_log.note += u' ' + loggedError(result.error);
    writeLogLine(m_log);

    if (m_invocation)
        m_invocation->deleteLater();
    m_reply->endEventStream(); // the socket may close at once: closeWhenDone() runs from there
    closeWhenDone();
}

void InvokeStream::onClientGone()
{
    if (m_clientGone)
        return;
    m_clientGone = true;
    if (m_endNote.isEmpty())
        m_endNote = u"client disconnected"_s;
    if (!m_finished) {
        if (m_invocation)
            m_invocation->cancel();
        return; // finished() comes promptly and closes
    }
    closeWhenDone();
}

void InvokeStream::dropClient(const QString &why)
{
    m_endNote = why;
    if (QTcpSocket *socket = m_reply->socket())
        socket->abort(); // emits disconnected: onClientGone cancels the run
    else
        onClientGone();
}

void InvokeStream::closeWhenDone()
{
    if (!m_finished || m_closed)
        return;
    QTcpSocket *socket = m_reply->socket();
    if (m_clientGone || !socket || socket->state() == QAbstractSocket::UnconnectedState) {
        m_closed = true;
        Q_EMIT closed();
        deleteLater();
        return;
    }
    // The last bytes are on their way; disconnected() brings us back here.
    if (m_closeTimerStarted)
        return;
    m_closeTimerStarted = true;
    QTimer::singleShot(kCloseTimeoutMs, this, [this] {
        if (QTcpSocket *s = m_reply->socket())
            s->abort();
        else
            onClientGone();
    });
}

} // namespace invoke::server
