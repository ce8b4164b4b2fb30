#include "core/backend/remotebackend.h"

#include "core/backend/remoteinvocation.h"
#include "core/backend/remotehttp.h"
#include "core/config/profiles.h"
#include "core/wire/listingcodec.h"
#include "core/wire/plancodec.h"

#include <QtCore/QPointer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>

using namespace Qt::StringLiterals;

namespace invoke {

RemoteBackend::RemoteBackend(Options options, QObject *parent)
    : Backend(parent), m_options(std::move(options)), m_network(new QNetworkAccessManager(this))
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
    const QString path = u"/bots/"_s + QString::fromLatin1(QUrl::toPercentEncoding(key)) + u"/plan"_s;
    const QString url = remote::endpointText(m_options) + path;
    const QString notFound = u"The plan of bot \"%1\" was not found at %2"_s.arg(key, url);
    get(path, context, [done, url](const QByteArray &body, const QString &error) {
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
    invocation->start();
    return invocation;
}

} // namespace invoke
