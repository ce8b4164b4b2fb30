#pragma once
// A loopback HTTP proxy in front of one server, for a test that wants to read the very
// bytes a client (invoke-cli) reads: each request goes upstream as it came (method, path,
// Authorization, Content-Type, Accept and body), and the answer comes back with its
// status and content type, its body relayed in the pieces it arrived in (one HTTP chunk
// each) and handed to the test as well (bodyBytes), as the run streams.
#include "tests/support/loopbackhttpserver.h"

#include <QtCore/QUrl>

class QNetworkAccessManager;

namespace invoke::test {

class TeeProxy : public LoopbackHttpServer
{
    Q_OBJECT
public:
    explicit TeeProxy(QUrl upstream, QObject *parent = nullptr);

    QString endpoint() const { return origin(); }

Q_SIGNALS:
    // The answer to `path` started (status and content type), a piece of its body arrived
    // (already passed on to the client), the answer ended.
    void answerStarted(const QByteArray &path, int status, const QByteArray &contentType);
    void bodyBytes(const QByteArray &path, const QByteArray &bytes);
    void answerFinished(const QByteArray &path);

private:
    void respond(Connection *connection, const RecordedRequest &request) override;

    QUrl m_upstream;
    QNetworkAccessManager *m_network;
};

} // namespace invoke::test
