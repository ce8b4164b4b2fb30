#include "core/backend/remotehttp.h"

#include "core/model/json/json.h"

#include <QtNetwork/QNetworkRequest>

using namespace Qt::StringLiterals;

namespace invoke::remote {

QUrl urlFor(const QUrl &endpoint, const QString &path)
{
    QUrl url = endpoint;
    QString base = url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    // The path arrives percent-encoded (a bot key may hold any character).
    url.setPath(base + path, QUrl::TolerantMode);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

QNetworkRequest requestFor(const RemoteBackendOptions &options, const QString &path)
{
    QNetworkRequest request(urlFor(options.endpoint, path));
    if (!options.token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + options.token.toUtf8());
    // invoke-server speaks HTTP/1.1 only; no upgrade attempt on the way.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    return request;
}

QString endpointText(const RemoteBackendOptions &options)
{
    QString text = options.endpoint.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
    while (text.endsWith(u'/'))
        text.chop(1);
    return text;
}

QString errorDetail(const QByteArray &body)
{
    const Json parsed = parseJson(body);
    if (parsed.is_object() && parsed.contains("error")) {
        const Json &error = parsed["error"];
        if (error.is_string())
            return toQString(error.get<std::string>());
        if (error.is_object())
            return stringField(error, "message");
    }
    if (parsed.is_discarded()) {
        // A proxy's or a framework's plain answer: worth showing when it is short text.
        const QString text = QString::fromUtf8(body).simplified();
        if (!text.isEmpty() && text.size() <= 200 && !text.startsWith(u'<'))
            return text;
    }
    return {};
}

QString describeStatus(const RemoteBackendOptions &options, int status, const QByteArray &body,
                       const QString &notFound, const QString &advice)
{
    const QString endpoint = endpointText(options);
    const QString detail = errorDetail(body);
    const QString answer = detail.isEmpty() ? u"HTTP %1"_s.arg(status) : u"HTTP %1: %2"_s.arg(status).arg(detail);
    switch (status) {
    case 401:
    case 403:
        return options.token.isEmpty()
            ? u"%1 refused the request (%2): no token was sent; %3."_s.arg(endpoint, answer, options.tokenHint)
            : u"%1 refused the request (%2): the token is missing or rejected; %3."_s.arg(endpoint, answer,
                                                                                          options.tokenHint);
    case 404:
        return u"%1 (%2): %3"_s.arg(notFound, answer, advice);
    case 413:
        return u"%1 refused the request as too large (%2): send fewer or shorter messages, mocks or parameters."_s
            .arg(endpoint, answer);
    default:
        return u"%1 answered %2."_s.arg(endpoint, answer);
    }
}

QString describeNetworkError(const RemoteBackendOptions &options, QNetworkReply::NetworkError error,
                             const QString &errorString)
{
    const QString endpoint = endpointText(options);
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return u"Could not connect to %1: the connection was refused. Is the server running, and is the "
               "endpoint's host and port right?"_s.arg(endpoint);
    case QNetworkReply::HostNotFoundError:
        return u"Could not connect to %1: the host %2 was not found. Check the endpoint."_s
            .arg(endpoint, options.endpoint.host());
    case QNetworkReply::RemoteHostClosedError:
        return u"%1 closed the connection without answering."_s.arg(endpoint);
    case QNetworkReply::SslHandshakeFailedError:
        return u"Could not connect to %1: the TLS handshake failed (%2)."_s.arg(endpoint, errorString);
    default:
        return u"Could not reach %1: %2."_s.arg(endpoint, errorString);
    }
}

QString describeConnectTimeout(const RemoteBackendOptions &options)
{
    return u"%1 did not answer within %2 s (connect timeout). Check the endpoint and that the server is "
           "up; for runs that are slow to start, replay mode answers from the cache."_s
        .arg(endpointText(options))
        .arg(options.connectTimeoutMs / 1000.0);
}

} // namespace invoke::remote
