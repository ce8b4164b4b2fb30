// invoke-server: the embedded engine over HTTP and SSE (see serverarguments.cpp).
#include "app/cli/interruptwatcher.h"
#include "app/server/routes/cachehealth.h"
#include "app/server/http/filelimit.h"
#include "app/server/invokeserver.h"
#include "app/server/http/requestlog.h"
#include "app/server/serverarguments.h"
#include "app/server/tokenstore.h"
#include "core/cache/cacheurl.h"
#include "core/config/appidentity.h"
#include "core/config/environmentsecret.h"
#include "core/config/paths.h"
#include "core/engine/botcatalog.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

int failStart(const QString &message)
{
    std::fprintf(stderr, "invoke-server: %s\n", qPrintable(message));
    return 2;
}

void printOut(const QString &text)
{
    std::fputs(text.toUtf8().constData(), stdout);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    applyAppIdentity(); // the user's bots folder and cache folder, as invoke-cli and the studio
    QCoreApplication::setApplicationVersion(QStringLiteral(INVOKE_VERSION));

    QString error;
    const auto args = server::parseServerArguments(app.arguments().mid(1), &error);
    if (!args)
        return failStart(error + u"\nTry 'invoke-server --help'."_s);
    if (args->help)
        return printOut(server::helpText()), 0;
    if (args->version)
        return printOut(u"invoke-server "_s + QCoreApplication::applicationVersion() + u'\n'), 0;

    std::unique_ptr<server::TokenStore> tokens;
    if (!args->insecureNoAuth) {
        tokens = std::make_unique<server::TokenStore>(QFileInfo(args->tokensFile).absoluteFilePath());
        if (!tokens->load(&error))
            return failStart(error);
        for (const QString &problem : tokens->problems())
            server::writeLogNote(u"tokens: "_s + problem);
        if (QFile(tokens->filePath()).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther))
            server::writeLogNote(u"tokens: %1 can be read by other users (chmod 600 it)"_s.arg(tokens->filePath()));
        if (tokens->size() == 0)
            return failStart(u"no usable token in %1: add lines of the form `TOKEN ORGANISATION`"_s.arg(args->tokensFile));
        tokens->watch();
        QObject::connect(tokens.get(), &server::TokenStore::reloaded, [](qsizetype count, const QStringList &problems) {
            server::writeLogNote(u"tokens file re-read: %1 token(s)"_s.arg(count));
            for (const QString &problem : problems)
                server::writeLogNote(u"tokens: "_s + problem);
        });
        QObject::connect(tokens.get(), &server::TokenStore::reloadFailed, [](const QString &why) {
            server::writeLogNote(u"tokens: "_s + why + u" (the tokens read before stay)"_s);
        });
    }

    server::ServerOptions options;
    options.engine.botFolders = engine::BotCatalog::defaultFolders(args->botFolders);
    // --cache, else INVOKE_CACHE_URL (taken from the environment: it may hold a password),
    // else its own file; never the studio's saved cache/url (docs/server.md, The replay cache).
    options.engine.replayCacheFile = args->cacheFile;
    if (options.engine.replayCacheFile.isEmpty())
        options.engine.replayCacheFile = takeSecretFromEnvironment("INVOKE_CACHE_URL").value_or(QString()).trimmed();
    if (options.engine.replayCacheFile.isEmpty())
        options.engine.replayCacheFile = QFileInfo(paths::replayCacheFile()).absolutePath() + u"/server-replay.sqlite"_s;
    const auto cacheUrl = cache::CacheUrl::parse(options.engine.replayCacheFile, &error);
    if (!cacheUrl)
        return failStart(u"INVOKE_CACHE_URL: "_s + error);
    server::applyEngineSettings(*args, &options.engine); // the LLM key only from INVOKE_LLM_API_KEY; sandbox
    if (!args->llmBaseUrl.isEmpty())
        options.engine.llm.baseUrl = args->llmBaseUrl;
    if (!args->llmModel.isEmpty())
        options.engine.llm.model = args->llmModel;
    options.maxBodyBytes = args->maxBodyBytes;
    options.maxUnsentBytes = args->maxUnsentBytes;
    options.shutdownGraceMs = args->shutdownGraceMs;
    options.idleTimeoutMs = args->idleTimeoutMs;
    options.headTimeoutMs = args->headTimeoutMs;
    options.bodyTimeoutMs = args->bodyTimeoutMs;
    options.maxStreamsPerToken = args->maxStreamsPerToken;
    const qint64 fileLimit = server::raiseFileLimit(); // every connection is a descriptor
    options.maxConnections = args->maxConnections > 0 ? args->maxConnections
                                                      : server::defaultMaxConnections(fileLimit);

    // A team cache's state for /healthz, checked in the background (never on the request).
    std::unique_ptr<server::CacheHealth> cacheHealth;
    if (cacheUrl->isPostgres()) {
        cacheHealth = std::make_unique<server::CacheHealth>(options.engine.replayCacheFile, args->cacheCheckMs);
        options.cacheHealth = [health = cacheHealth.get()] { return health->snapshot(); };
    }
    server::InvokeServer httpServer(options, tokens.get());
    if (!httpServer.listen(args->host, args->port, &error))
        return failStart(error);
    const QString host = args->host.protocol() == QAbstractSocket::IPv6Protocol
        ? u'[' + args->host.toString() + u']' : args->host.toString();
    printOut(u"listening on http://%1:%2\n"_s.arg(host).arg(httpServer.port()));
    server::writeLogNote(u"invoke-server %1: %2; replay cache %3%4"_s
                             .arg(QCoreApplication::applicationVersion(),
                                  tokens ? u"%1 token(s) from %2"_s.arg(tokens->size()).arg(tokens->filePath())
                                         : u"NO AUTHENTICATION (--insecure-no-auth)"_s,
                                  cacheUrl->display(),
                                  options.engine.llm.isConfigured() ? u"; LLM at "_s + options.engine.llm.baseUrl
                                                                    : u"; no LLM configured (manual mode only)"_s));
    server::writeLogNote(u"limits: %1 connections (file limit %2), %3 streams per token, head within %4 s"_s
                             .arg(options.maxConnections).arg(fileLimit).arg(options.maxStreamsPerToken)
                             .arg(options.headTimeoutMs / 1000.0));

    // SIGTERM / SIGINT: stop accepting, let the open streams finish or cancel them, exit 0.
    // A second signal ends the process at once.
    cli::InterruptWatcher interrupts;
    QObject::connect(&interrupts, &cli::InterruptWatcher::interrupted, &httpServer, &server::InvokeServer::shutdown);
    QObject::connect(&interrupts, &cli::InterruptWatcher::interrupted, &app, [&] {
        QTimer::singleShot(options.shutdownGraceMs + 15000, &app, [] {
            server::writeLogNote(u"shutdown took too long: leaving with streams still open"_s);
            QCoreApplication::exit(1);
        });
    });
    QObject::connect(&httpServer, &server::InvokeServer::stopped, &app, [] {
        server::writeLogNote(u"stopped"_s);
        QCoreApplication::exit(0);
    });
    return app.exec();
}
