#include "app/server/invokeserver.h"

#include "app/server/botindex.h"
#include "app/server/connectionguard.h"
#include "app/server/httpreply.h"
#include "app/server/invokestream.h"
#include "app/server/requestlog.h"
#include "app/server/tokenstore.h"
#include "core/backend/invocation.h"
#include "core/wire/listingcodec.h"
#include "core/wire/plancodec.h"
#include "core/wire/requestcodec.h"

#include <QtCore/QMetaEnum>
#include <QtCore/QTimer>
#include <QtHttpServer/QHttpServerRequest>
#include <QtHttpServer/QHttpServerResponder>
#include <QtNetwork/QTcpSocket>

using namespace Qt::StringLiterals;

namespace invoke::server {

struct InvokeServer::Incoming
{
    QByteArray method;
    QByteArray path;
    QString organisation;
    QElapsedTimer since;
};

namespace {

const char kEndpoints[] = "POST /bots/{key}/invoke, GET /bots, GET /bots/{key}/plan, GET /datasets, GET /healthz";

QByteArray methodName(QHttpServerRequest::Method method)
{
    const char *key = QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(method));
    return key ? QByteArray(key).toUpper() : QByteArrayLiteral("?");
}

QByteArray headerValue(const QHttpServerRequest &request, QByteArrayView name)
{
    for (const auto &header : request.headers())
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    return {};
}

} // namespace

InvokeServer::InvokeServer(ServerOptions options, TokenStore *tokens, QObject *parent)
    : QAbstractHttpServer(parent), m_options(std::move(options)), m_tokens(tokens)
{
    LocalBackendOptions listing = m_options.engine;
    listing.cacheScope = u"listing"_s; // lists bots and datasets only, never runs one
    m_listing = new LocalBackend(listing, this);
    m_index = new BotIndex(m_listing, this);
}

InvokeServer::~InvokeServer()
{
    // Streams own their invocations; they go before the backends that run them.
    qDeleteAll(std::exchange(m_streams, {}));
}

bool InvokeServer::listen(const QHostAddress &host, quint16 port, QString *error)
{
    auto *tcp = new GuardedTcpServer(m_options.maxBodyBytes, m_options.idleTimeoutMs, [](const QByteArray &method, const QByteArray &path,
                                                                 int status, const QString &note) {
        writeLogLine({method, path, status, {}, 0, note});
    });
    if (!tcp->listen(host, port)) {
        *error = u"cannot listen on %1:%2: %3"_s.arg(host.toString()).arg(port).arg(tcp->errorString());
        delete tcp;
        return false;
    }
    bind(tcp);
    return true;
}

quint16 InvokeServer::port() const
{
    const auto tcp = servers();
    return tcp.isEmpty() ? 0 : tcp.first()->serverPort();
}

void InvokeServer::answer(HttpReply &reply, Incoming &in, int status, const Json &body, const QString &note)
{
    reply.sendJson(status, body);
    writeLogLine({in.method, in.path, status, in.organisation, in.since.elapsed(), note});
}

void InvokeServer::fail(HttpReply &reply, Incoming &in, int status, const QString &message)
{
    if (status == 401)
        reply.sendJson(status, Json{{"error", toStd(message)}}, "WWW-Authenticate", "Bearer");
    else if (status == 405)
        reply.sendJson(status, Json{{"error", toStd(message)}}, "Allow",
                       in.path.endsWith("/invoke") ? "POST" : "GET");
    else
        reply.sendError(status, message);
    writeLogLine({in.method, in.path, status, in.organisation, in.since.elapsed(), {}});
}

bool InvokeServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    Incoming in;
    in.since.start();
    in.method = methodName(request.method());
    in.path = request.url().path(QUrl::FullyEncoded).toUtf8();
    auto reply = std::make_shared<HttpReply>(makeResponder(request, socket));
    if (m_stopping) {
        fail(*reply, in, 503, u"the server is shutting down"_s);
        return true;
    }

    const QStringList parts = request.url().path().split(u'/', Qt::SkipEmptyParts);
    const bool get = request.method() == QHttpServerRequest::Method::Get;
    const bool post = request.method() == QHttpServerRequest::Method::Post;
    auto wrongMethod = [&](const char *allowed) {
        fail(*reply, in, 405, u"%1 takes %2 requests"_s.arg(QString::fromUtf8(in.path), QLatin1String(allowed)));
    };
    if (parts == QStringList{u"healthz"_s}) {
        if (get)
            answer(*reply, in, 200, Json{{"status", "ok"}});
        else
            wrongMethod("GET");
    } else if (parts == QStringList{u"bots"_s} || parts == QStringList{u"datasets"_s}) {
        if (!get)
            wrongMethod("GET");
        else if (authenticate(request, *reply, in))
            parts.first() == u"bots"_s ? listBots(reply, in) : listDatasets(reply, in);
    } else if (parts.size() == 3 && parts[0] == u"bots"_s && parts[2] == u"invoke"_s) {
        if (!post)
            wrongMethod("POST");
        else if (authenticate(request, *reply, in))
            invoke(parts[1], request, reply, in);
    } else if (parts.size() == 3 && parts[0] == u"bots"_s && parts[2] == u"plan"_s) {
        if (!get)
            wrongMethod("GET");
        else if (authenticate(request, *reply, in))
            botPlan(parts[1], reply, in);
    } else {
        fail(*reply, in, 404, u"no endpoint %1 %2 (the endpoints: %3)"_s
                                  .arg(QString::fromLatin1(in.method), QString::fromUtf8(in.path),
                                       QLatin1String(kEndpoints)));
    }
    return true;
}

void InvokeServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // handleRequest() answers everything; kept for the interface.
    Incoming in;
    in.since.start();
    in.method = methodName(request.method());
    in.path = request.url().path(QUrl::FullyEncoded).toUtf8();
    HttpReply reply(makeResponder(request, socket));
    fail(reply, in, 404, u"no such endpoint"_s);
}

bool InvokeServer::authenticate(const QHttpServerRequest &request, HttpReply &reply, Incoming &in)
{
    if (!m_tokens) {
        in.organisation = u"local"_s;
        return true;
    }
    const QByteArray header = headerValue(request, "Authorization").trimmed();
    const qsizetype space = header.indexOf(' ');
    if (header.isEmpty() || space < 0 || header.left(space).compare("Bearer", Qt::CaseInsensitive) != 0) {
        fail(reply, in, 401, u"a bearer token is required: send \"Authorization: Bearer <token>\""_s);
        return false;
    }
    const QString organisation = m_tokens->organisationOf(header.mid(space + 1).trimmed());
    if (organisation.isEmpty()) {
        fail(reply, in, 401, u"the token is not recognised by this server"_s);
        return false;
    }
    in.organisation = organisation;
    return true;
}

void InvokeServer::listBots(std::shared_ptr<HttpReply> reply, Incoming in)
{
    m_listing->listBots(this, [this, reply, in](const BotListing &listing) mutable {
        if (!listing.error.isEmpty())
            return fail(*reply, in, 500, listing.error);
        answer(*reply, in, 200, wire::botListingBody(listing.bots));
    });
}

void InvokeServer::listDatasets(std::shared_ptr<HttpReply> reply, Incoming in)
{
    m_listing->listDatasets(this, [this, reply, in](const DatasetListing &listing) mutable {
        if (!listing.error.isEmpty())
            return fail(*reply, in, 500, listing.error);
        answer(*reply, in, 200, wire::datasetListingBody(listing.datasets));
    });
}

void InvokeServer::botPlan(const QString &botKey, std::shared_ptr<HttpReply> reply, Incoming in)
{
    // The index answers 404 as POST /bots/{key}/invoke does (file names only, never the
    // server's folders); the plan is then read from the same folders a run reads.
    m_index->check(botKey, this, [this, botKey, reply, in](bool found, const QString &why) mutable {
        if (!found)
            return fail(*reply, in, 404, why);
        m_listing->botPlan(botKey, this, [this, botKey, reply, in](const BotPlanResult &result) mutable {
            if (!result.plan) // gone since the index saw it
                return fail(*reply, in, 404, u"bot \"%1\" not found"_s.arg(botKey));
            answer(*reply, in, 200, wire::planBody(*result.plan));
        });
    });
}

void InvokeServer::invoke(const QString &botKey, const QHttpServerRequest &request,
                          std::shared_ptr<HttpReply> reply, Incoming in)
{
    // The guard refuses a declared Content-Length over the limit before the body is
    // read; a chunked body is only known once it is in.
    const QByteArray body = request.body();
    if (body.size() > m_options.maxBodyBytes)
        return fail(*reply, in, 413, u"the body is %1 bytes; this server takes at most %2 (--max-body)"_s
                                         .arg(body.size()).arg(m_options.maxBodyBytes));
    QString error;
    auto decoded = wire::decodeRequestBody(body, botKey, &error);
    if (!decoded)
        return fail(*reply, in, 400, error);
    m_index->check(botKey, this, [this, request = std::move(*decoded), reply, in](bool found, const QString &why) mutable {
        if (!found)
            return fail(*reply, in, 404, why);
        if (m_stopping)
            return fail(*reply, in, 503, u"the server is shutting down"_s);
        startStream(std::move(request), reply, in);
    });
}

void InvokeServer::startStream(InvokeRequest request, std::shared_ptr<HttpReply> reply, Incoming in)
{
    if (ConnectionGuard *guard = ConnectionGuard::of(reply->socket()))
        guard->beginStreaming(this); // no request after this one on the connection
    Invocation *invocation = backendFor(in.organisation)->invoke(request);
    auto *stream = new InvokeStream(reply, invocation, {in.method, in.path, 200, in.organisation, 0, {}},
                                    in.since, m_options.maxUnsentBytes, this);
    m_streams.insert(stream);
    connect(stream, &InvokeStream::closed, this, [this, stream] { streamClosed(stream); });
}

LocalBackend *InvokeServer::backendFor(const QString &organisation)
{
    auto it = m_backends.find(organisation);
    if (it == m_backends.end()) {
        LocalBackendOptions options = m_options.engine;
        options.cacheScope = u"org:"_s + organisation; // never "local", the embedded engine's
        it = m_backends.emplace(organisation, new LocalBackend(options, this)).first;
    }
    return it->second;
}

void InvokeServer::streamClosed(InvokeStream *stream)
{
    m_streams.remove(stream);
    if (m_stopping && m_streams.isEmpty())
        Q_EMIT stopped();
}

void InvokeServer::shutdown()
{
    if (m_stopping)
        return;
    m_stopping = true;
    for (QTcpServer *tcp : servers())
        tcp->close(); // no new connections
    writeLogNote(u"shutting down: %1 open stream(s)%2"_s.arg(m_streams.size())
                     .arg(m_streams.isEmpty() ? QString() : u", cancelled after %1 ms unless done"_s.arg(m_options.shutdownGraceMs)));
    if (m_streams.isEmpty()) {
        QTimer::singleShot(0, this, &InvokeServer::stopped);
        return;
    }
    QTimer::singleShot(m_options.shutdownGraceMs, this, [this] {
        for (InvokeStream *stream : std::as_const(m_streams))
            stream->cancel(u"server shutting down"_s);
    });
}

} // namespace invoke::server
