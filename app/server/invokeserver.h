#pragma once
// invoke-server's HTTP side: routes, bearer tokens, request validation, one LocalBackend
// per organisation (each with its own replay-cache scope, all in one cache file), the
// event streams, and a clean shutdown.
#include "core/backend/localbackend.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QSet>
#include <QtHttpServer/QAbstractHttpServer>

#include <map>
#include <memory>

namespace invoke::server {

class BotIndex;
class HttpReply;
class InvokeStream;
class TokenStore;

struct ServerOptions
{
    LocalBackendOptions engine; // folders, cache file, LLM settings; the scope is set per organisation
    qint64 maxBodyBytes = 1024 * 1024;
    qint64 maxUnsentBytes = 4 * 1024 * 1024;
    int shutdownGraceMs = 5000;
    int idleTimeoutMs = 60000;
};

class InvokeServer final : public QAbstractHttpServer
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

public Q_SLOTS:
    // Stops accepting; open streams may finish within the grace, then are cancelled;
    // stopped() comes when the last one has written its final chunk.
    void shutdown();

Q_SIGNALS:
    void stopped();

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Incoming;
    void answer(HttpReply &reply, Incoming &in, int status, const Json &body, const QString &note = {});
    void fail(HttpReply &reply, Incoming &in, int status, const QString &message);
    bool authenticate(const QHttpServerRequest &request, HttpReply &reply, Incoming &in);
    void listBots(std::shared_ptr<HttpReply> reply, Incoming in);
    void listDatasets(std::shared_ptr<HttpReply> reply, Incoming in);
    void botPlan(const QString &botKey, std::shared_ptr<HttpReply> reply, Incoming in);
    void invoke(const QString &botKey, const QHttpServerRequest &request, std::shared_ptr<HttpReply> reply,
                Incoming in);
    void startStream(InvokeRequest request, std::shared_ptr<HttpReply> reply, Incoming in);
    LocalBackend *backendFor(const QString &organisation);
    void streamClosed(InvokeStream *stream);

    ServerOptions m_options;
    TokenStore *m_tokens;
    LocalBackend *m_listing; // bots and datasets (the same for every organisation)
    BotIndex *m_index;
    std::map<QString, LocalBackend *> m_backends; // per organisation, children of this
    QSet<InvokeStream *> m_streams;
    bool m_stopping = false;
};

} // namespace invoke::server
