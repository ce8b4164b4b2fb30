#pragma once
// invoke-server's command line (see helpText()).
#include <QtCore/QStringList>
#include <QtNetwork/QHostAddress>

#include <optional>

namespace invoke::server {

struct ServerArguments
{
    bool help = false;
    bool version = false;

    QHostAddress host = QHostAddress::LocalHost;
    quint16 port = 8642;
    QString tokensFile;
    bool insecureNoAuth = false; // loopback only: every request counts as organisation "local"
    QStringList botFolders;      // after the bundled examples and the user's bots
    QString cacheFile;           // empty: the default server cache file
    qint64 maxBodyBytes = 1024 * 1024;
    int shutdownGraceMs = 5000;   // SIGTERM: open streams may finish for this long, then are cancelled
    int idleTimeoutMs = 60000;    // a connection without traffic (and no stream) is closed
    qint64 maxUnsentBytes = 4 * 1024 * 1024; // a stream whose client lags this far behind is dropped
    QString llmBaseUrl;           // override INVOKE_LLM_BASE_URL
    QString llmModel;             // override INVOKE_LLM_MODEL
};

std::optional<ServerArguments> parseServerArguments(const QStringList &arguments, QString *error);
QString helpText();

} // namespace invoke::server
