#include "ui/connection/connectiontester.h"

#include "core/model/json/json.h"

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

constexpr int TimeoutMs = 15000;

QNetworkRequest requestFor(const LlmSettings &settings, const QString &path)
{
    QString base = settings.baseUrl.trimmed();
    while (base.endsWith(u'/'))
        base.chop(1);
    QNetworkRequest request(QUrl(base + path));
    request.setTransferTimeout(TimeoutMs);
    if (!settings.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + settings.apiKey.toUtf8());
    return request;
}

int statusOf(QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

} // namespace

ConnectionTester::ConnectionTester(QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this))
{
}

void ConnectionTester::test(const LlmSettings &settings)
{
    if (m_reply)
        m_reply->abort();
    m_settings = settings;
    const QUrl url(settings.baseUrl.trimmed());
    if (settings.baseUrl.trimmed().isEmpty()) {
        report(false, tr("Enter the provider's base URL first, e.g. http://localhost:11434/v1."));
        return;
    }
    if (!url.isValid() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
        report(false, tr("“%1” is not an http:// or https:// URL.").arg(settings.baseUrl));
        return;
    }
    getModels();
}

void ConnectionTester::getModels()
{
    QNetworkReply *reply = m_network->get(requestFor(m_settings, u"/models"_s));
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply != m_reply)
            return; // superseded by a newer test
        m_reply = nullptr;
        const QByteArray body = reply->readAll();
        const int status = statusOf(reply);
        if (status == 404 || status == 405) {
            postCompletion(); // some providers list no models: ask for one token instead
            return;
        }
        if (reply->error() != QNetworkReply::NoError || status != 200) {
            report(false, describeFailure(reply, body));
            return;
        }
        const Json parsed = parseJson(body, nullptr, kJsonMaxWireDepth);
        QStringList ids;
        if (parsed.is_object() && parsed.contains("data") && parsed["data"].is_array()) {
            for (const Json &model : parsed["data"])
                ids << stringField(model, "id");
        }
        QString message = tr("Connected to %1: %n model(s) offered.", nullptr, int(ids.size())).arg(m_settings.baseUrl);
        if (!m_settings.model.isEmpty() && !ids.isEmpty()) {
            message += ids.contains(m_settings.model)
                           ? tr(" “%1” is among them.").arg(m_settings.model)
                           : tr(" “%1” is not among them: check the model name.").arg(m_settings.model);
        }
        report(true, message);
    });
}

void ConnectionTester::postCompletion()
{
    QNetworkRequest request = requestFor(m_settings, u"/chat/completions"_s);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    Json body = {{"model", toStd(m_settings.model)},
                 {"max_tokens", 1},
                 {"stream", false},
                 {"messages", Json::array({Json{{"role", "user"}, {"content", "ping"}}})}};
    QNetworkReply *reply = m_network->post(request, dumpJson(body));
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply != m_reply)
            return;
        m_reply = nullptr;
        const QByteArray bytes = reply->readAll();
        if (reply->error() != QNetworkReply::NoError || statusOf(reply) != 200)
            report(false, describeFailure(reply, bytes));
        else
            report(true, tr("Connected to %1: a test completion succeeded.").arg(m_settings.baseUrl));
    });
}

QString ConnectionTester::describeFailure(QNetworkReply *reply, const QByteArray &body) const
{
    const int status = statusOf(reply);
    if (status == 0) {
        if (reply->error() == QNetworkReply::OperationCanceledError)
            return tr("%1 did not answer within %2 s.").arg(m_settings.baseUrl).arg(TimeoutMs / 1000);
        return tr("Could not reach %1: %2.").arg(m_settings.baseUrl, reply->errorString());
    }
    // OpenAI-style errors carry {"error": {"message": ...}}; others a string or nothing.
    QString detail;
    const Json parsed = parseJson(body, nullptr, kJsonMaxWireDepth);
    if (parsed.is_object() && parsed.contains("error")) {
        const Json &error = parsed["error"];
        detail = error.is_object() ? stringField(error, "message") : error.is_string() ? toQString(error.get<std::string>()) : QString();
    }
    QString hint;
    if (status == 401 || status == 403)
        hint = tr(" The API key was rejected: check it.");
    else if (status == 404)
        hint = tr(" Check the base URL (it usually ends in /v1).");
    return tr("%1 answered HTTP %2%3.%4")
        .arg(m_settings.baseUrl)
        .arg(status)
        .arg(detail.isEmpty() ? QString() : u": "_s + detail)
        .arg(hint);
}

void ConnectionTester::report(bool ok, const QString &message)
{
    Q_EMIT finished(ok, message);
}

} // namespace invoke::ui
