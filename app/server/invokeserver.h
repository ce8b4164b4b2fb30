#pragma once
// invoke-server's HTTP side: routes, bearer tokens, request validation, one LocalBackend
// per organisation (each with its own replay-cache scope, all in one cache file), the
// event streams, and a clean shutdown.
#include "app/server/requesthandler.h"
#include "app/server/routes/botindex.h"
#include "core/backend/localbackend.h"

#include <functional>

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtNetwork/QHostAddress>

#include <map>
#include <memory>

namespace invoke::server {

class GuardedTcpServer;
class HttpReply;
class InvokeStream;
class RemotePaths;
class TokenStore;

struct ServerOptions
{
    LocalBackendOptions engine; // folders, cache file, LLM settings; the scope is set per organisation
    qint64 maxBodyBytes = 1024 * 1024;
    qint64 maxUnsentBytes = 4 * 1024 * 1024;
    int shutdownGraceMs = 5000;
    int idleTimeoutMs = 60000;
    int headTimeoutMs = 10000;
    int bodyTimeoutMs = 30000;
    int maxConnections = 1024;
    int maxStreamsPerToken = 64;
    // GET /healthz adds this as "replay_cache" when set (a team cache's last known state,
    // app/server/routes/cachehealth.h); it must answer at once.
    std::function<Json()> cacheHealth;
};

class InvokeServer final : public QObject, public RequestHandler
{
    Q_OBJECT
public:
    // `tokens` null: no authentication (every request is organisation "local").
    InvokeServer(ServerOptions options, TokenStore *tokens, QObject *parent = nullptr);
    ~InvokeServer() override;

    // Listens with a large backlog; false with `error` when the address is taken or bad.
    bool listen(const QHostAddress &host, quint16 port, QString *error);
    quint16 port() const;

    qsizetype openStreams() const { return m_streams.size(); }

    // RequestHandler: the token, the route and (without tokens) the local-only checks,
    // before the body is read; then the request itself.
    Admission admit(const HttpHead &head, quint16 localPort) override;
    void handle(HttpRequest request, std::shared_ptr<HttpReply> reply) override;

public Q_SLOTS:
    // Stops accepting; open streams may finish within the grace, then are cancelled;
    // stopped() comes when the last one has written its final chunk.
    void shutdown();

Q_SIGNALS:
    void stopped();

private:
    struct Incoming;
    void answer(HttpReply &reply, Incoming &in, int status, const Json &body, const QString &note = {});
    void fail(HttpReply &reply, Incoming &in, int status, const QString &message);
    void listBots(std::shared_ptr<HttpReply> reply, Incoming in);
    void listDatasets(std::shared_ptr<HttpReply> reply, Incoming in);
    void searchDataset(const QString &slug, const QByteArray &target, std::shared_ptr<HttpReply> reply, Incoming in);
    void botPlan(const QString &botKey, std::shared_ptr<HttpReply> reply, Incoming in);
    void invoke(const QString &botKey, const QByteArray &body, std::shared_ptr<HttpReply> reply, Incoming in);
    void startStream(InvokeRequest request, const std::optional<BotIndex::Version> &version,
                     std::shared_ptr<HttpReply> reply, Incoming in);
    LocalBackend *backendFor(const QString &organisation);
    void streamClosed(InvokeStream *stream);

    ServerOptions m_options;
    TokenStore *m_tokens;
    GuardedTcpServer *m_tcp = nullptr;
    LocalBackend *m_listing; // bots and datasets (the same for every organisation)
    BotIndex *m_index;
    std::unique_ptr<RemotePaths> m_remotePaths; // what clients read instead of the server's paths
    std::map<QString, LocalBackend *> m_backends; // per organisation, children of this
    QHash<InvokeStream *, QByteArray> m_streams;  // open streams -> the key of their token
    QHash<QByteArray, int> m_streamsPerToken;
    bool m_stopping = false;
};

} // namespace invoke::server
