#pragma once
// The replay cache of the studio's embedded engine (docs/cache.md): invoke-studio's
// --cache URL when given, else INVOKE_CACHE_URL when the environment gave one, else the URL saved in the settings (cache/url,
// core/cache/cachesetting.h) with its password from the keychain, else the default file.
// invoke-cli reads the same places after its --cache flag (app/cli/cache/cachechoice.h).
#include <QtCore/QString>

#include <functional>

class QSettings;

namespace invoke {

class LocalBackend;
class SecretStore;

// Sets `backend`'s replay cache at once (a saved PostgreSQL URL still without its
// password), then, when the saved URL wants one, reads it from `secrets` and sets the URL
// with it. `done` runs on the backend's thread once the URL is final: with an empty text,
// or with why the password could not be read (the URL stays without it, and a replay step
// then fails with the server's own words). Nothing runs after `backend` is gone.
void useSavedReplayCache(LocalBackend *backend, const QSettings &settings, SecretStore *secrets,
                         std::function<void(const QString &problem)> done = {});

// `flag` (invoke-studio --cache URL) when not empty: it wins over the environment and
// the saved URL, also when Preferences saves another later; `done` runs at once. Else
// useSavedReplayCache().
void useReplayCache(LocalBackend *backend, const QString &flag, const QSettings &settings, SecretStore *secrets,
                    std::function<void(const QString &problem)> done = {});

} // namespace invoke
