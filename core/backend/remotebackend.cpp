#include "core/backend/remotebackend.h"

#include "core/backend/remoteinvocation.h"
#include "core/backend/remotehttp.h"
#include "core/config/profiles.h"
#include "core/wire/listingcodec.h"
#include "core/wire/plancodec.h"
#include "core/wire/planversion.h"

#include <QtCore/QPointer>

#include <algorithm>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>

using namespace Qt::StringLiterals;

namespace invoke {

RemoteBackend::RemoteBackend(Options options, QObject *parent)
    : Backend(parent), m_options(std::move(options)), m_network(new QNetworkAccessManager(this)),
      m_plans(m_options.planCacheFolder)
{
}

RemoteBackend::~RemoteBackend() = default;

QString RemoteBackend::displayName() const
{
    const QString endpoint = remote::endpointText(m_options);
    return m_options.name.isEmpty() ? endpoint : u"%1 (%2)"_s.arg(m_options.name, endpoint);
}

QString RemoteBackend::endpointProblem(const QUrl &endpoint)
{
    return ProfileStore::endpointProblem(endpoint);
}

void RemoteBackend::get(const QString &path, QObject *context, BodyCallback done, const QString &notFound)
{
    if (const QString problem = endpointProblem(m_options.endpoint); !problem.isEmpty()) {
        // Answered from the event loop, as every other outcome is.
        QMetaObject::invokeMethod(context, [done, problem] { done({}, u"The endpoint is unusable: "_s + problem); },
                                  Qt::QueuedConnection);
        return;
    }
    QNetworkRequest request = remote::requestFor(m_options, path);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(m_options.connectTimeoutMs);
    QNetworkReply *reply = m_network->get(request);
    const Options options = m_options;
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    connect(reply, &QNetworkReply::finished, context, [reply, options, path, done, notFound] {
        const QByteArray body = reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 0) {
            done({}, reply->error() == QNetworkReply::OperationCanceledError
                         ? remote::describeConnectTimeout(options)
                         : remote::describeNetworkError(options, reply->error(), reply->errorString()));
        } else if (status != 200) {
            done({}, notFound.isEmpty()
                         ? remote::describeStatus(options, status, body,
                                                  u"%1 has no %2"_s.arg(remote::endpointText(options), path),
                                                  u"check the endpoint URL (it is the server's address, e.g. "
                                                  "http://127.0.0.1:8642)."_s)
                         : remote::describeStatus(options, status, body, notFound,
                                                  u"check the key, or that the server is recent enough to "
                                                  "answer GET /bots/{key}/plan."_s));
        } else {
            done(body, {});
        }
    });
    // A context that goes away takes nothing with it but the answer it no longer wants.
    connect(context, &QObject::destroyed, reply, &QNetworkReply::abort);
}

void RemoteBackend::listBots(QObject *context, std::function<void(const BotListing &)> done)
{
    const QString endpoint = remote::endpointText(m_options);
    get(u"/bots"_s, context, [done, endpoint](const QByteArray &body, const QString &error) {
        BotListing listing;
        if (!error.isEmpty()) {
            listing.error = error;
            done(listing);
            return;
        }
        QString why;
        auto bots = wire::botsFromBody(body, &why);
        if (!bots) {
            listing.error = u"%1/bots answered something that is not a bot list: %2"_s.arg(endpoint, why);
            done(listing);
            return;
        }
        for (BotInfo &info : *bots)
            if (!info.key.isEmpty())
                listing.bots.append(std::move(info));
        done(listing);
    });
}

void RemoteBackend::listDatasets(QObject *context, std::function<void(const DatasetListing &)> done)
{
    const QString endpoint = remote::endpointText(m_options);
    get(u"/datasets"_s, context,
        [done, endpoint](const QByteArray &body, const QString &error) {
            DatasetListing listing;
            if (!error.isEmpty()) {
                listing.error = error;
                done(listing);
                return;
            }
            QString why;
            auto datasets = wire::datasetsFromBody(body, &why);
            if (!datasets) {
                listing.error = u"%1/datasets answered something that is not a dataset list: %2"_s.arg(endpoint, why);
                done(listing);
                return;
            }
            listing.datasets = std::move(*datasets);
            done(listing);
        });
}

void RemoteBackend::botPlan(const QString &key, QObject *context, std::function<void(const BotPlanResult &)> done)
{
    const QPointer<RemoteInvocation> running = m_latestRun.value(key);
    if (!running || running->isFinished() || !m_plans.holdsAny(remote::endpointText(m_options), key)) {
        fetchPlan(key, context, std::move(done));
        return;
    }
    // The run's answer names the version of the bot's plan as it starts: the plan kept for
    // that version when there is one, else the server's. Once, whichever comes first: the
    // version, or the run gone.
    auto answered = std::make_shared<bool>(false);
    const QPointer<RemoteBackend> self(this);
    const QPointer<QObject> alive(context);
    const auto decide = [self, alive, answered, key, context, done, running] {
        if (*answered || !alive)
            return;
        *answered = true;
        if (!self) {
            done(BotPlanResult{std::nullopt, u"the connection to the server was closed before the plan of bot \"%1\" was read"_s.arg(key)});
            return;
        }
        if (std::optional<BotPlan> kept = running ? self->keptPlanFor(key, *running) : std::nullopt) {
            BotPlanResult result;
            result.plan = std::move(kept);
            done(result);
            return;
        }
        self->fetchPlan(key, context, done);
    };
    if (running->botVersionKnown()) {
        QMetaObject::invokeMethod(context, decide, Qt::QueuedConnection);
        return;
    }
    connect(running, &RemoteInvocation::botVersionArrived, context, decide);
    connect(running, &QObject::destroyed, context, decide);
}

std::optional<BotPlan> RemoteBackend::keptPlanFor(const QString &key, const RemoteInvocation &run) const
{
    const QString endpoint = remote::endpointText(m_options);
    if (!run.planVersion().isEmpty())
        return m_plans.find(endpoint, key, run.planVersion());
    if (!run.botUpdatedAt().isValid())
        return std::nullopt;
    // An older server names the bot's own updated_at only, which says nothing of its
    // sub-bots: a kept plan is taken on it only when it calls no other bot.
    std::optional<BotPlan> plan = m_plans.find(endpoint, key, wire::planVersionOf(key, run.botUpdatedAt()));
    if (plan && std::any_of(plan->steps.cbegin(), plan->steps.cend(),
                            [](const PlannedStep &step) { return step.actionType == u"bot.invoke"_s; }))
        return std::nullopt;
    return plan;
}

void RemoteBackend::fetchPlan(const QString &key, QObject *context, std::function<void(const BotPlanResult &)> done)
{
    const QString path = u"/bots/"_s + QString::fromLatin1(QUrl::toPercentEncoding(key)) + u"/plan"_s;
    const QString url = remote::endpointText(m_options) + path;
    const QString notFound = u"The plan of bot \"%1\" was not found at %2"_s.arg(key, url);
    const QString endpoint = remote::endpointText(m_options);
    const RemotePlanCache plans = m_plans;
    get(path, context, [done, url, endpoint, key, plans](const QByteArray &body, const QString &error) {
        BotPlanResult result;
        if (!error.isEmpty()) {
            result.error = error;
            done(result);
            return;
        }
        QString why;
        result.plan = wire::planFromBody(body, &why);
        if (!result.plan)
            result.error = u"%1 answered something that is not a bot plan: %2"_s.arg(url, why);
        else if (result.plan->botKey == key)
            plans.store(endpoint, key, *result.plan, body); // for the next run of this version (botPlan())
        done(result);
    }, notFound);
}

QStringList RemoteBackend::secrets() const
{
    return m_options.token.isEmpty() ? QStringList() : QStringList{m_options.token};
}

Invocation *RemoteBackend::invoke(const InvokeRequest &request, QObject *parent)
{
    auto *invocation = new RemoteInvocation(m_options, request, parent);
    m_latestRun.insert(request.botKey, invocation);
    invocation->start();
    return invocation;
}

} // namespace invoke
