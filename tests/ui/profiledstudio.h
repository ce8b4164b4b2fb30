#pragma once
// One studio as app/studio/main.cpp composes it for the tests that switch it to a real
// invoke-server: the embedded engine behind a BackendProvider, the profiles, and the
// toolbar's profile switcher, on sandboxed settings (`settingsFile`) and keychain
// (`service`). A test attaches what it watches (model testers, add-ons) to `window`
// before open(), which installs the switcher: it may switch to a saved profile at once.
#include "core/backend/localbackend.h"
#include "core/config/profiles.h"
#include "core/config/secretstore.h"
#include "ui/connection/backendprovider.h"
#include "ui/window/mainwindow.h"
#include "ui/window/profileswitcher.h"

#include <QtCore/QSettings>

#include <functional>
#include <memory>

namespace invoke::test {

struct ProfiledStudio
{
    ProfiledStudio(const QString &settingsFile, const QString &service, const QString &cacheFile,
                   const QStringList &botFolders)
        : settings(settingsFile, QSettings::IniFormat), secrets(service),
          local([&] {
              LocalBackend::Options o;
              o.botFolders = botFolders;
              o.replayCacheFile = cacheFile;
              return o;
          }()),
          provider(&local), profiles(&settings, &secrets)
    {
        secrets.setTimeoutMs(10000);
        window = std::make_unique<ui::MainWindow>(&provider, &secrets, &settings);
    }

    // Installs the profile switcher, then `addOns` (the window add-ons that take it), and
    // shows the window.
    void open(const std::function<void()> &addOns = {})
    {
        switcher = ui::ProfileSwitcher::install(window.get(), &profiles, &provider);
        if (addOns)
            addOns();
        window->resize(1440, 900);
        window->show();
    }

    QSettings settings;
    SecretStore secrets;
    LocalBackend local;
    ui::BackendProvider provider;
    ProfileStore profiles;
    std::unique_ptr<ui::MainWindow> window;
    ui::ProfileSwitcher *switcher = nullptr;
};

} // namespace invoke::test
