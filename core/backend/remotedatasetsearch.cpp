// RemoteBackend::searchDataset: GET {endpoint}/datasets/{slug}/search?q=...&limit=...
// (docs/server.md). The server answers what memory.search answers there; its 400 and
// 404 become BadRequest and UnknownDataset, with the server's own words.
#include "core/backend/remotebackend.h"
#include "core/backend/remotehttp.h"
#include "core/wire/searchcodec.h"

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>

using namespace Qt::StringLiterals;

namespace invoke {

void RemoteBackend::searchDataset(const QString &slug, const QString &query, int limit, QObject *context,
                                  std::function<void(const DatasetSearchResult &)> done)
{
    using Failure = DatasetSearchResult::Failure;
    const auto answerLater = [context, done](Failure failure, const QString &error) {
        DatasetSearchResult result;
        result.failure = failure;
        result.error = error;
        QMetaObject::invokeMethod(context, [done, result] { done(result); }, Qt::QueuedConnection);
    };
    if (const QString problem = endpointProblem(m_options.endpoint); !problem.isEmpty())
        return answerLater(Failure::Failed, u"The endpoint is unusable: "_s + problem);
    // Checked here too, so a bad limit reads the same on every backend.
    if (limit < 1 || limit > DatasetSearchMaxLimit)
        return answerLater(Failure::BadRequest, u"\"limit\" must be a whole number from 1 to %1, not %2"_s
                                                    .arg(DatasetSearchMaxLimit)
                                                    .arg(limit));

    const QString path = u"/datasets/"_s + QString::fromLatin1(QUrl::toPercentEncoding(slug)) + u"/search"_s;
    QNetworkRequest request = remote::requestFor(m_options, path);
    QUrl url = request.url();
    // Percent-encoded whole: a query may hold '&', '+', '=' or '#'.
    url.setQuery(u"q="_s + QString::fromLatin1(QUrl::toPercentEncoding(query)) + u"&limit="_s + QString::number(limit),
                 QUrl::StrictMode);
    request.setUrl(url);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(m_options.connectTimeoutMs);
    QNetworkReply *reply = m_network->get(request);
    const Options options = m_options;
    const QString where = remote::endpointText(options) + path;
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    connect(reply, &QNetworkReply::finished, context, [reply, options, where, slug, done] {
        const QByteArray body = reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        DatasetSearchResult result;
        if (status == 200) {
            QString why;
            if (auto memories = wire::memoriesFromBody(body, &why)) {
                result.memories = std::move(*memories);
            } else {
                result.failure = Failure::Failed;
                result.error = u"%1 answered something that is not memory.search's output: %2"_s.arg(where, why);
            }
        } else if (status == 0) {
            result.failure = Failure::Failed;
            result.error = reply->error() == QNetworkReply::OperationCanceledError
                ? remote::describeConnectTimeout(options)
                : remote::describeNetworkError(options, reply->error(), reply->errorString());
        } else if (status == 400) {
            result.failure = Failure::BadRequest;
            result.error = remote::describeStatus(options, status, body, {}, {});
        } else if (status == 404 && !remote::errorDetail(body).isEmpty()
                   && remote::errorDetail(body).startsWith(u"unknown dataset"_s)) {
            result.failure = Failure::UnknownDataset;
            result.error = remote::errorDetail(body);
        } else {
            result.failure = Failure::Failed;
            result.error = remote::describeStatus(options, status, body,
                                                  u"The search of dataset \"%1\" was not found at %2"_s.arg(slug, where),
                                                  u"check that the server is recent enough to answer "
                                                  "GET /datasets/{slug}/search."_s);
        }
        done(result);
    });
    // A context that goes away takes nothing with it but the answer it no longer wants.
    connect(context, &QObject::destroyed, reply, &QNetworkReply::abort);
}

} // namespace invoke
