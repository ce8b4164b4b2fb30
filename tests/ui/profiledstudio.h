#pragma once
// One studio as app/studio/main.cpp composes it for the tests that switch it to a real
// invoke-server: the embedded engine behind a BackendProvider, the profiles, and the
// toolbar's add-ons (the profile switcher, Copy as code), on sandboxed settings
// (`settingsFile`) and keychain (`service`). A test attaches what it watches (model
// testers) to `window` before open(), which installs the add-ons: the switcher may switch
// to a saved profile at once.
#include "core/backend/localbackend.h"
#include "core/config/profiles.h"
#include "core/config/secretstore.h"
#include "ui/connection/backendprovider.h"
#include "ui/connection/profileswitcher.h"
#include "ui/window/mainwindow.h"
#include "ui/window/windowaddons.h"

#include <QtCore/QSettings>

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

    // Installs the toolbar add-ons as app/studio/main.cpp does, and shows the window.
    void open()
    {
        const ui::WindowAddOns addOns = ui::installWindowAddOns(window.get(), &profiles, &provider);
        switcher = addOns.switcher;
        copyAsCode = addOns.copyAsCode;
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
    ui::CopyAsCode *copyAsCode = nullptr;
};

} // namespace invoke::test
