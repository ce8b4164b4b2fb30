#pragma once
// A server behind the Backend interface (the API: docs/server.md): GET {endpoint}/bots,
// /datasets and /bots/{key}/plan, and POST {endpoint}/bots/{key}/invoke read as an event
// stream. The studio and invoke-cli cannot tell it from the embedded engine; every
// failure (refused connection, rejected token, unknown bot, a stream cut off) becomes a
// plain message.
#include "core/backend/backend.h"
#include "core/backend/remoteplancache.h"

#include <QtCore/QHash>
#include <QtCore/QPointer>

#include <QtCore/QUrl>

class QNetworkAccessManager;

namespace invoke {

class RemoteInvocation;

struct RemoteBackendOptions
{
    QUrl endpoint; // "http://127.0.0.1:8642"; a path prefix is kept ("https://host/api")
    QString token; // sent as "Authorization: Bearer <token>"; empty: no header
    QString name;  // the profile's name, for displayName()
    // How the user sets a token: ends the message of a 401/403 answer.
    QString tokenHint = QStringLiteral("set one in the profile");
    int connectTimeoutMs = 15000;     // no HTTP answer for this long
    int firstEventTimeoutMs = 120000; // answered, but no first event for this long
    int idleTimeoutMs = 300000;       // nothing at all for this long mid-stream
    qsizetype maxEventBytes = qsizetype(16) << 20; // a larger event fails the run
    // Where the bots' plans are kept between runs (remoteplancache.h); empty: the user's
    // cache folder.
    QString planCacheFolder;
};

class RemoteBackend final : public Backend
{
    Q_OBJECT
public:
    using Options = RemoteBackendOptions;

    explicit RemoteBackend(Options options, QObject *parent = nullptr);
    ~RemoteBackend() override;

    const Options &options() const { return m_options; }
    QString displayName() const override;

    void listBots(QObject *context, std::function<void(const BotListing &)> done) override;
    void listDatasets(QObject *context, std::function<void(const DatasetListing &)> done) override;
    // GET {endpoint}/bots/{key}/plan; while a run of the bot is starting (the run history
    // asks for its plan right after invoke()), the plan kept from an earlier answer instead
    // when the run's answer names its version (Invoke-Plan-Version, remoteplancache.h): no
    // request. Against an older server that names only Invoke-Bot-Updated-At, a kept plan
    // of that updated_at that calls no sub-bot.
    void botPlan(const QString &key, QObject *context, std::function<void(const BotPlanResult &)> done) override;
    // GET {endpoint}/datasets/{slug}/search?q=...&limit=... (core/backend/remotedatasetsearch.cpp).
    void searchDataset(const QString &slug, const QString &query, int limit, QObject *context,
                       std::function<void(const DatasetSearchResult &)> done) override;
    // Each invocation has its own connection (a stream holds one for its whole run), so
    // many can stream at once; it outlives the backend if it must.
    Invocation *invoke(const InvokeRequest &request, QObject *parent = nullptr) override;
    // The profile's token, when there is one.
    QStringList secrets() const override;

    // Why `endpoint` cannot be used ("... is not an http:// or https:// URL"); empty if fine.
    static QString endpointProblem(const QUrl &endpoint);

private:
    using BodyCallback = std::function<void(const QByteArray &body, const QString &error)>;
    // `notFound` says what a 404 means for this path; empty: the path itself is missing.
    void get(const QString &path, QObject *context, BodyCallback done, const QString &notFound = {});

    // The plan kept for the version `run`'s answer named, if any.
    std::optional<BotPlan> keptPlanFor(const QString &key, const RemoteInvocation &run) const;
    void fetchPlan(const QString &key, QObject *context, std::function<void(const BotPlanResult &)> done);

    Options m_options;
    QNetworkAccessManager *m_network;
    RemotePlanCache m_plans;
    QHash<QString, QPointer<RemoteInvocation>> m_latestRun; // by bot key
};

} // namespace invoke
