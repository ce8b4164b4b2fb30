#pragma once
// What RemoteBackend and RemoteInvocation share: the URLs and headers of the wire
// contract, and the words for each way a request to a server can fail.
#include "core/backend/remotebackend.h"

#include <QtNetwork/QNetworkReply>

class QNetworkRequest;

namespace invoke::remote {

// {endpoint}{path}, the endpoint's own path kept ("https://host/api" + "/bots").
QUrl urlFor(const QUrl &endpoint, const QString &path);
// The request with its bearer token (when there is one).
QNetworkRequest requestFor(const RemoteBackendOptions &options, const QString &path);
// "http://host:port" (plus its path), for messages; never the token.
QString endpointText(const RemoteBackendOptions &options);

// The server's own words in an error body: {"error": "..."} or {"error": {"message"}};
// a short plain-text body as it is; empty otherwise.
QString errorDetail(const QByteArray &body);

// An HTTP answer other than 200. For 404, `notFound` says what was missing and `advice`
// what to check ("The bot \"chat\" was not found at URL (HTTP 404: ...): check the key...").
QString describeStatus(const RemoteBackendOptions &options, int status, const QByteArray &body,
                       const QString &notFound, const QString &advice);
// A connection that failed before any HTTP answer (refused, unknown host, reset).
QString describeNetworkError(const RemoteBackendOptions &options, QNetworkReply::NetworkError error,
                             const QString &errorString);
// No HTTP answer within the connect timeout.
QString describeConnectTimeout(const RemoteBackendOptions &options);

} // namespace invoke::remote
