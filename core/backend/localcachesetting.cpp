#include "core/backend/localcachesetting.h"

#include "core/backend/localbackend.h"
#include "core/cache/cachesetting.h"
#include "core/config/environmentsecret.h"
#include "core/config/secretstore.h"

#include <QtCore/QPointer>
#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

namespace invoke {

void useSavedReplayCache(LocalBackend *backend, const QSettings &settings, SecretStore *secrets,
                         std::function<void(const QString &problem)> done)
{
    const auto finish = [done](const QString &problem) {
        if (done)
            done(problem);
    };
    // The environment wins (it is read, then wiped, at start: it may hold a password).
    if (const auto url = takeSecretFromEnvironment("INVOKE_CACHE_URL"); url && !url->trimmed().isEmpty()) {
        backend->setReplayCacheUrl(url->trimmed());
        finish({});
        return;
    }
    const QString saved = settings.value(QLatin1String(cache::CacheUrlSettingsKey)).toString().trimmed();
    backend->setReplayCacheUrl(saved); // empty: the default file
    if (!cache::savedCacheUrlWantsPassword(saved)) {
        finish({});
        return;
    }
    secrets->read(cache::cachePasswordSecretName(), backend,
                  [backend = QPointer<LocalBackend>(backend), saved, finish](const SecretResult &r) {
        if (!backend)
            return;
        if (r.ok())
            backend->setReplayCacheUrl(cache::savedCacheUrlWithPassword(saved, r.value));
        // NotFound: the server may trust this user without one.
        finish(r.ok() || r.status == SecretResult::NotFound
                   ? QString()
                   : u"the replay cache's password could not be read from the keychain: %1"_s.arg(r.error));
    });
}

void useReplayCache(LocalBackend *backend, const QString &flag, const QSettings &settings, SecretStore *secrets,
                    std::function<void(const QString &problem)> done)
{
    if (flag.trimmed().isEmpty())
        return useSavedReplayCache(backend, settings, secrets, std::move(done));
    backend->setReplayCacheUrl(flag.trimmed());
    if (done)
        done({});
}

} // namespace invoke
