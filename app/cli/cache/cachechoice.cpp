#include "app/cli/cache/cachechoice.h"

#include "app/cli/console.h"
#include "core/cache/cachesetting.h"
#include "core/cache/cacheurl.h"
#include "core/config/appidentity.h"
#include "core/config/environmentsecret.h"
#include "core/config/paths.h"
#include "core/config/secretstore.h"

#include <QtCore/QEventLoop>
#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {

QStringList &passwordsSeen()
{
    static QStringList passwords;
    return passwords;
}

QString remembered(const QString &url)
{
    if (const auto parsed = cache::CacheUrl::parse(url); parsed && !parsed->password.isEmpty()
        && !passwordsSeen().contains(parsed->password))
        passwordsSeen().append(parsed->password);
    return url;
}

// The studio's saved URL with its password from the keychain (as the studio connects).
QString savedUrl()
{
    const QString saved = QSettings().value(QLatin1String(cache::CacheUrlSettingsKey)).toString().trimmed();
    if (!cache::savedCacheUrlWantsPassword(saved))
        return saved;
    SecretStore secrets(keychainService());
    secrets.setTimeoutMs(3000);
    QEventLoop loop;
    bool done = false;
    SecretResult password;
    secrets.read(cache::cachePasswordSecretName(), &loop, [&](const SecretResult &result) {
        password = result;
        done = true;
        loop.quit();
    });
    if (!done)
        loop.exec();
    // NotFound: a server that trusts the user needs none. Otherwise the connection fails
    // with the server's own words; this says why the password was missing.
    if (password.status != SecretResult::Ok && password.status != SecretResult::NotFound)
        printErr(u"warning: the replay cache's password could not be read from the keychain (%1); "
                 "connecting to %2 without it\n"_s.arg(password.error, cache::maskCacheUrlPassword(saved)));
    return cache::savedCacheUrlWithPassword(saved, password.ok() ? password.value : QString());
}

} // namespace

QString replayCacheUrl(const QString &flag)
{
    if (!flag.isEmpty())
        return remembered(flag);
    // Taken from the environment at start-up (it may hold the database's password).
    if (const auto url = takeSecretFromEnvironment("INVOKE_CACHE_URL"); url && !url->trimmed().isEmpty())
        return remembered(*url);
    if (const QString saved = savedUrl(); !saved.isEmpty())
        return remembered(saved);
    return paths::replayCacheFile();
}

QStringList replayCachePasswords()
{
    return passwordsSeen();
}

QString replayCacheScope(const QString &flag)
{
    if (!flag.isEmpty())
        return flag;
    const QString scope = qEnvironmentVariable("INVOKE_CACHE_SCOPE").trimmed();
    return scope.isEmpty() ? u"local"_s : scope;
}

std::optional<QString> scopeProblem(const QString &scope)
{
    if (scope.trimmed().isEmpty())
        return u"a scope is a name, e.g. local or org:acme"_s;
    if (scope != scope.trimmed())
        return u"scope \"%1\" starts or ends with a space"_s.arg(scope);
    if (scope.size() > 200)
        return u"a scope is at most 200 characters"_s;
    for (const QChar c : scope)
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return u"scope \"%1\" holds a space or a control character"_s.arg(scope);
    return std::nullopt;
}

} // namespace invoke::cli
