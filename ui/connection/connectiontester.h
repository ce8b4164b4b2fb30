#pragma once
#include "core/config/llmsettings.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtNetwork/QNetworkReply>

class QNetworkAccessManager;

namespace invoke::ui {

// "Test connection" for an OpenAI-compatible provider: GET {baseUrl}/models; when the
// server has no such route (404/405), a one-token chat completion instead. Reports
// success or the error in plain words (unreachable, rejected key, wrong URL).
class ConnectionTester : public QObject
{
    Q_OBJECT
public:
    explicit ConnectionTester(QObject *parent = nullptr);

    void test(const LlmSettings &settings);
    bool isRunning() const { return m_reply != nullptr; }

Q_SIGNALS:
    void finished(bool ok, const QString &message);

private:
    void getModels();
    void postCompletion();
    void report(bool ok, const QString &message);
    QString describeFailure(QNetworkReply *reply, const QByteArray &body) const;

    LlmSettings m_settings;
    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
};

} // namespace invoke::ui
