#pragma once
// invoke-server's command line (see helpText()).
#include <QtCore/QStringList>
#include <QtNetwork/QHostAddress>

#include <optional>

namespace invoke {
struct LocalBackendOptions;
}

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
    QString cacheFile;           // --cache: a file or cache URL; empty: INVOKE_CACHE_URL, then the default file
    int cacheCheckMs = 10000;    // --cache-check: a PostgreSQL cache's background check for /healthz
    qint64 maxBodyBytes = 1024 * 1024;
    int shutdownGraceMs = 5000;   // SIGTERM: open streams may finish for this long, then are cancelled
    int idleTimeoutMs = 60000;    // a connection without traffic (and no stream) is closed
    qint64 maxUnsentBytes = 4 * 1024 * 1024; // a stream whose client lags this far behind is dropped
    int headTimeoutMs = 10000;    // a request head must be complete this long after its first byte
    int bodyTimeoutMs = 30000;    // an admitted request's body must be complete this long after its head
    int maxConnections = 0;       // 0: sized to the file limit (defaultMaxConnections)
    int maxStreamsPerToken = 64;  // concurrent event streams of one token; more get 429
    QString llmBaseUrl;           // override INVOKE_LLM_BASE_URL
    QString llmModel;             // override INVOKE_LLM_MODEL
    // codeexec: the sandbox's size caps, and code without a sandbox (UNSAFE, off by default).
    bool allowUnsandboxedCode = false;
    qint64 sandboxTmpBytes = 64LL * 1024 * 1024;
    qint64 sandboxWorkBytes = 64LL * 1024 * 1024;
};

std::optional<ServerArguments> parseServerArguments(const QStringList &arguments, QString *error);
// The engine's LLM settings (the key only from INVOKE_LLM_API_KEY, then wiped from the
// environment with INVOKE_AUTH_TOKEN: core/config/environmentsecret.h) and its codeexec
// sandbox settings (app/server/enginesettings.cpp).
void applyEngineSettings(const ServerArguments &args, LocalBackendOptions *engine);
QString helpText();
// The connections a process with `fileLimit` descriptors may hold: the limit less a tenth
// (at least 32) kept for files, pipes and the engine.
int defaultMaxConnections(qint64 fileLimit);

} // namespace invoke::server
