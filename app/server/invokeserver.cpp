#include "app/server/invokeserver.h"

#include "app/server/routes/botindex.h"
#include "app/server/http/guardedtcpserver.h"
#include "app/server/http/httpreply.h"
#include "app/server/invokestream.h"
#include "app/server/http/localaccess.h"
#include "app/server/routes/remotepaths.h"
#include "app/server/routes/replayentries.h"
#include "app/server/http/requestlog.h"
#include "app/server/routes/searchquery.h"
#include "app/server/tokenstore.h"
#include "core/backend/invocation.h"
#include "core/engine/botcatalog.h"
#include "core/wire/listingcodec.h"
#include "core/wire/plancodec.h"
#include "core/wire/requestcodec.h"
#include "core/wire/searchcodec.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QTimer>
#include <QtCore/QUrl>

using namespace Qt::StringLiterals;

namespace invoke::server {

struct InvokeServer::Incoming
{
    QByteArray method;
    QByteArray path;
    QString organisation;
    QByteArray tokenKey;
    QElapsedTimer since;
};

namespace {

const char kEndpoints[] = "POST /bots/{key}/invoke, GET /bots, GET /bots/{key}/plan, GET /datasets, "
                          "GET /datasets/{slug}/search, GET /healthz";

enum class Endpoint { Healthz, Bots, Datasets, DatasetSearch, Invoke, Plan, Unknown };

struct Route
{
    Endpoint endpoint = Endpoint::Unknown;
    QString botKey; // or the dataset's slug
    const char *method = ""; // the one method the endpoint takes
};

Route routeOf(const QByteArray &path)
{
    const QStringList parts = QUrl::fromPercentEncoding(path).split(u'/', Qt::SkipEmptyParts);
    if (parts == QStringList{u"healthz"_s})
        return {Endpoint::Healthz, {}, "GET"};
    if (parts == QStringList{u"bots"_s})
        return {Endpoint::Bots, {}, "GET"};
    if (parts == QStringList{u"datasets"_s})
        return {Endpoint::Datasets, {}, "GET"};
    if (parts.size() == 3 && parts[0] == u"bots"_s && parts[2] == u"invoke"_s)
        return {Endpoint::Invoke, parts[1], "POST"};
    if (parts.size() == 3 && parts[0] == u"bots"_s && parts[2] == u"plan"_s)
        return {Endpoint::Plan, parts[1], "GET"};
    if (parts.size() == 3 && parts[0] == u"datasets"_s && parts[2] == u"search"_s)
        return {Endpoint::DatasetSearch, parts[1], "GET"};
    return {};
}

} // namespace

InvokeServer::InvokeServer(ServerOptions options, TokenStore *tokens, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_tokens(tokens)
{
    // One parse of each bot file for the listing and every organisation's backend; the
    // replay scope stays each organisation's own (backendFor()).
    if (!m_options.engine.botFiles)
        m_options.engine.botFiles = std::make_shared<engine::BotFileCache>();
    LocalBackendOptions listing = m_options.engine;
    listing.cacheScope = u"listing"_s; // lists bots and datasets only, never runs one
    m_listing = new LocalBackend(listing, this);
    m_index = new BotIndex(m_listing, m_listing->botFolders(), m_options.engine.botFiles, this);
    QStringList files{m_options.engine.replayCacheFile, m_options.engine.datasetIndexFile};
    m_remotePaths = std::make_unique<RemotePaths>(m_listing->botFolders() + m_listing->datasetFolders(), files);
}

InvokeServer::~InvokeServer()
{
    // Streams own their invocations; they go before the backends that run them.
    qDeleteAll(std::exchange(m_streams, {}).keys());
}

bool InvokeServer::listen(const QHostAddress &host, quint16 port, QString *error)
{
    ConnectionLimits limits;
    limits.maxBodyBytes = m_options.maxBodyBytes;
    limits.idleTimeoutMs = m_options.idleTimeoutMs;
    limits.headTimeoutMs = m_options.headTimeoutMs;
    limits.bodyTimeoutMs = m_options.bodyTimeoutMs;
    limits.maxConnections = m_options.maxConnections;
    auto *tcp = new GuardedTcpServer(limits, this, this);
    if (!tcp->start(host, port)) {
        *error = u"cannot listen on %1:%2: %3"_s.arg(host.toString()).arg(port).arg(tcp->errorString());
        delete tcp;
        return false;
    }
    m_tcp = tcp;
    return true;
}

quint16 InvokeServer::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

void InvokeServer::answer(HttpReply &reply, Incoming &in, int status, const Json &body, const QString &note)
{
    reply.sendJson(status, body);
    writeLogLine({in.method, in.path, status, in.organisation, in.since.elapsed(), note});
}

void InvokeServer::fail(HttpReply &reply, Incoming &in, int status, const QString &message)
{
    // The client never learns a path of the server's; the log keeps the whole message.
    const QString told = m_remotePaths->scrub(message);
    reply.sendError(status, told);
    writeLogLine({in.method, in.path, status, in.organisation, in.since.elapsed(), told == message ? QString() : message});
}

Admission InvokeServer::admit(const HttpHead &head, quint16 localPort)
{
    Admission admission;
    auto refuse = [&admission](int status, const QString &message, HeaderList headers = {}) {
        admission.refusal = Refusal{status, message, std::move(headers)};
        return admission;
    };
    if (!m_tokens) {
        if (auto refusal = localOnlyRefusal(head, localPort)) {
            admission.refusal = std::move(refusal);
            return admission;
        }
    }
    if (m_stopping)
        return refuse(503, u"the server is shutting down"_s);

    const Route route = routeOf(head.path);
    const QString path = QString::fromUtf8(head.path);
    if (route.endpoint == Endpoint::Unknown)
        return refuse(404, u"no endpoint %1 %2 (the endpoints: %3)"_s
                               .arg(QString::fromLatin1(head.method), path, QLatin1String(kEndpoints)));
    if (head.method != route.method)
        return refuse(405, u"%1 takes %2 requests"_s.arg(path, QLatin1String(route.method)),
                      {{"Allow", route.method}});
    if (route.endpoint == Endpoint::Healthz)
        return admission;

    if (!m_tokens) {
        admission.organisation = u"local"_s;
        admission.tokenKey = "local";
        return admission;
    }
    const QByteArray header = head.header("authorization");
    const qsizetype space = header.indexOf(' ');
    if (header.isEmpty() || space < 0 || header.left(space).compare("Bearer", Qt::CaseInsensitive) != 0)
        return refuse(401, u"a bearer token is required: send \"Authorization: Bearer <token>\""_s,
                      {{"WWW-Authenticate", "Bearer"}});
    const QByteArray token = header.mid(space + 1).trimmed();
    const QString organisation = m_tokens->organisationOf(token);
    if (organisation.isEmpty())
        return refuse(401, u"the token is not recognised by this server"_s, {{"WWW-Authenticate", "Bearer"}});
    admission.organisation = organisation;
    admission.tokenKey = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
    return admission;
}

void InvokeServer::handle(HttpRequest request, std::shared_ptr<HttpReply> reply)
{
    Incoming in;
    in.since = request.since;
    in.method = request.head.method;
    in.path = request.head.path;
    in.organisation = request.admission.organisation;
    in.tokenKey = request.admission.tokenKey;
    if (m_stopping)
        return fail(*reply, in, 503, u"the server is shutting down"_s);
    const Route route = routeOf(request.head.path);
    switch (route.endpoint) {
    case Endpoint::Healthz: {
        Json body{{"status", "ok"}};
        if (m_options.cacheHealth) {
            Json health = m_options.cacheHealth();
            if (const auto why = health.find("error"); why != health.end() && why->is_string())
                *why = toStd(m_remotePaths->scrub(toQString(why->get<std::string>()))); // a socket's path, say
            body["replay_cache"] = std::move(health);
        }
        return answer(*reply, in, 200, body);
    }
    case Endpoint::Bots:
        return listBots(reply, in);
    case Endpoint::Datasets:
        return listDatasets(reply, in);
    case Endpoint::DatasetSearch:
        return searchDataset(route.botKey, request.head.target, reply, in);
    case Endpoint::Invoke:
        return invoke(route.botKey, request.body, reply, in);
    case Endpoint::Plan:
        return botPlan(route.botKey, reply, in);
    case Endpoint::Unknown:
        break;
    }
    fail(*reply, in, 404, u"no such endpoint"_s); // admit() refused it already
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

void InvokeServer::searchDataset(const QString &slug, const QByteArray &target, std::shared_ptr<HttpReply> reply,
                                 Incoming in)
{
    QString error;
    const auto query = parseSearchQuery(target, &error);
    if (!query)
        return fail(*reply, in, 400, error);
    // The listing backend's store is the one every organisation's runs search.
    m_listing->searchDataset(slug, query->text, query->limit, this,
                             [this, reply, in](const DatasetSearchResult &result) mutable {
        using Failure = DatasetSearchResult::Failure;
        switch (result.failure) {
        case Failure::None:
            return answer(*reply, in, 200, wire::datasetSearchBody(result.memories));
        case Failure::BadRequest:
            return fail(*reply, in, 400, result.error);
        case Failure::UnknownDataset:
            return fail(*reply, in, 404, result.error);
        case Failure::Failed:
            break;
        }
        fail(*reply, in, 500, result.error);
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

void InvokeServer::invoke(const QString &botKey, const QByteArray &body, std::shared_ptr<HttpReply> reply,
                          Incoming in)
{
    // The body is within --max-body: ConnectionGuard counted it as it was read.
    QString error;
    auto decoded = wire::decodeRequestBody(body, botKey, &error);
    if (!decoded)
        return fail(*reply, in, 400, error);
    if (const QString problem = replayEntriesProblem(*decoded); !problem.isEmpty())
        return fail(*reply, in, 400, problem);
    m_index->check(botKey, this, [this, request = std::move(*decoded), reply, in](bool found, const QString &why) mutable {
        if (!found)
            return fail(*reply, in, 404, why);
        if (m_stopping)
            return fail(*reply, in, 503, u"the server is shutting down"_s);
        // The bot's version as the run reads it, read now: the answer's head names it.
        const QString key = request.botKey;
        m_index->versionOf(key, this, [this, request = std::move(request), reply, in](
                                          const std::optional<BotIndex::Version> &version) mutable {
            if (m_stopping)
                return fail(*reply, in, 503, u"the server is shutting down"_s);
            startStream(std::move(request), version, reply, in);
        });
    });
}

void InvokeServer::startStream(InvokeRequest request, const std::optional<BotIndex::Version> &version,
                               std::shared_ptr<HttpReply> reply, Incoming in)
{
    // A client that never reads costs its unsent bytes (--max-unsent) per stream: the
    // streams of one token are counted too.
    const int open = m_streamsPerToken.value(in.tokenKey);
    if (open >= m_options.maxStreamsPerToken)
        return fail(*reply, in, 429, u"this token has %1 streams open, the most this server allows at once "
                                     "(--max-streams-per-token); wait for one to end"_s.arg(open));
    // The bot's version, so a client can tell whether the plan it holds is this run's
    // (core/backend/remoteplancache.h) without asking GET /bots/{key}/plan again. None for
    // a bot that no longer loads: the run says why.
    if (version) {
        reply->addStreamHeader("Invoke-Bot-Updated-At", version->updatedAt.toLatin1());
        reply->addStreamHeader("Invoke-Plan-Version", version->planVersion.toLatin1());
    }
    Invocation *invocation = backendFor(in.organisation)->invoke(request);
    auto *stream = new InvokeStream(reply, invocation, {in.method, in.path, 200, in.organisation, 0, {}},
                                    in.since, m_options.maxUnsentBytes, m_remotePaths.get(), this);
    m_streams.insert(stream, in.tokenKey);
    ++m_streamsPerToken[in.tokenKey];
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
    const auto it = m_streams.constFind(stream);
    if (it != m_streams.cend()) {
        if (--m_streamsPerToken[it.value()] <= 0)
            m_streamsPerToken.remove(it.value());
        m_streams.erase(it);
    }
    if (m_stopping && m_streams.isEmpty())
        Q_EMIT stopped();
}

void InvokeServer::shutdown()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_tcp)
        m_tcp->stop(); // no new connections
    writeLogNote(u"shutting down: %1 open stream(s)%2"_s.arg(m_streams.size())
                     .arg(m_streams.isEmpty() ? QString() : u", cancelled after %1 ms unless done"_s.arg(m_options.shutdownGraceMs)));
    if (m_streams.isEmpty()) {
        QTimer::singleShot(0, this, &InvokeServer::stopped);
        return;
    }
    QTimer::singleShot(m_options.shutdownGraceMs, this, [this] {
        for (InvokeStream *stream : m_streams.keys())
            stream->cancel(u"server shutting down"_s);
    });
}

} // namespace invoke::server
