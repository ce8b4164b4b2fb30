// invoke-studio: the window on the embedded engine (bundled examples + the user's bots).
#include "core/config/appidentity.h"
#include "core/backend/localbackend.h"
#include "core/backend/localcachesetting.h"
#include "core/cache/cacheurl.h"
#include "core/config/environmentsecret.h"
#include "core/config/profiles.h"
#include "core/config/secretstore.h"
#include "core/datasets/datasetcatalog.h"
#include "core/engine/botcatalog.h"
#include "ui/common/icons.h"
#include "ui/connection/backendprovider.h"
#include "ui/datasets/datasetworkspace.h"
#include "ui/history/historypanel.h"
#include "ui/window/datasetsworkflow.h"
#include "ui/window/historyworkflow.h"
#include "ui/window/mainwindow.h"
#include "ui/window/windowaddons.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSettings>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    invoke::applyAppIdentity();
    QApplication::setApplicationDisplayName(u"Invoke Studio"_s);
    QApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION));
    QApplication::setWindowIcon(invoke::ui::icon(u"invoke-studio"_s));
    QApplication::setDesktopFileName(u"invoke-studio"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Invoke Studio: a desktop playground for AI agents."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption botFolder(u"bots"_s, u"Also load the bots in <folder>."_s, u"folder"_s);
    const QCommandLineOption screenshot(u"screenshot"_s,
                                        u"Render the window to <file> (PNG) once the bots are loaded, then quit."_s,
                                        u"file"_s);
    const QCommandLineOption datasetFolder(u"datasets"_s, u"Also offer the files and subfolders of <folder> as datasets."_s,
                                           u"folder"_s);
    parser.addOptions({botFolder, datasetFolder, screenshot});
    // As invoke-cli's --cache (app/cli/cliarguments.cpp): it wins over INVOKE_CACHE_URL and
    // the cache saved in Preferences.
    const QCommandLineOption cacheUrl(u"cache"_s,
                                      u"The replay cache (or INVOKE_CACHE_URL, else the one saved in Preferences): "
                                      "a file, sqlite:PATH or postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=MODE]."_s,
                                      u"url"_s);
    parser.addOption(cacheUrl);
    parser.process(app);
    if (QString why; parser.isSet(cacheUrl) && !invoke::cache::CacheUrl::parse(parser.value(cacheUrl), &why)) {
        std::fprintf(stderr, "invoke-studio: --cache: %s\n", qUtf8Printable(why)); // its password masked
        return 2;
    }

    QSettings settings;
    invoke::LocalBackend::Options options;
    options.botFolders = invoke::engine::BotCatalog::defaultFolders(parser.values(botFolder));
    // The folders added in the settings dialog (read at start), then --datasets.
    options.datasetFolders = invoke::datasets::DatasetCatalog::defaultFolders(
        settings.value(QLatin1String(invoke::datasets::FoldersSettingsKey)).toStringList() + parser.values(datasetFolder));
    options.llm = invoke::LlmSettings::fromSettings(settings).withEnvironment();
    // Code steps: the size caps of the sandbox, and code without one (UNSAFE) only when
    // sandbox/allow_unsandboxed_code is set (core/config/sandboxsettings.h).
    options.sandbox = invoke::SandboxSettings::fromSettings(settings);
    invoke::takeKnownSecretsFromEnvironment(); // kept in memory only, out of reach of code steps
    invoke::LocalBackend backend(options);
    invoke::SecretStore secrets(invoke::keychainService());
    // The replay cache: --cache, else INVOKE_CACHE_URL, else the one saved in Settings (a
    // PostgreSQL password from the keychain once it answers), else the default file.
    const auto warnCacheProblem = [](const QString &problem) {
        if (!problem.isEmpty())
            qWarning("%s", qUtf8Printable(problem));
    };
    invoke::useReplayCache(&backend, parser.value(cacheUrl), settings, &secrets, warnCacheProblem);

    // The window talks to the profile in use: the engine above or a server.
    invoke::ui::BackendProvider provider(&backend);
    invoke::ProfileStore profiles(&settings, &secrets);

    invoke::ui::MainWindow window(&provider, &secrets, &settings);
    // The key comes from the keychain after start; the engine uses whatever is current.
    QObject::connect(&window, &invoke::ui::MainWindow::llmSettingsChanged, &backend,
                     &invoke::LocalBackend::setLlmSettings);
    // A replay cache saved in Preferences serves the next run at once; a run going on
    // keeps the cache it opened (--cache or INVOKE_CACHE_URL, when given, still wins).
    QObject::connect(&window, &invoke::ui::MainWindow::replayCacheSettingChanged, &backend, [&] {
        invoke::useReplayCache(&backend, parser.value(cacheUrl), settings, &secrets, warnCacheProblem);
    });
    // The profile switcher and Copy as code on the toolbar.
    const invoke::ui::WindowAddOns addOns = invoke::ui::installWindowAddOns(&window, &profiles, &provider);
    // History > Export reads the replay cache the engine uses (a team's PostgreSQL too).
    addOns.history->panel()->setReplayCacheSource([&backend] { return backend.replayCacheFile(); });
    // ... and carries the run's bot files, found in the folders the engine reads (--bots too).
    addOns.history->panel()->setBotFoldersSource([&backend] { return backend.botFolders(); });
    // The dataset workspace lists what the engine reads, --datasets folders included.
    addOns.datasets->workspace()->setCommandLineFolders(parser.values(datasetFolder));

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QObject::connect(&window, &invoke::ui::MainWindow::botsLoaded, &window, [&window, file] {
            QTimer::singleShot(300, &window, [&window, file] {
                QDir().mkpath(QFileInfo(file).absolutePath());
                const bool saved = window.grab().save(file, "PNG");
                QCoreApplication::exit(saved ? 0 : 1);
            });
        }, Qt::SingleShotConnection);
    }
    window.show();
    return app.exec();
}
