#include "app/cli/cache/cachechoice.h"

#include "core/config/environmentsecret.h"
#include "core/config/paths.h"

using namespace Qt::StringLiterals;

namespace invoke::cli {

QString replayCacheUrl(const QString &flag)
{
    if (!flag.isEmpty())
        return flag;
    // Taken from the environment at start-up (it may hold the database's password).
    if (const auto url = takeSecretFromEnvironment("INVOKE_CACHE_URL"); url && !url->trimmed().isEmpty())
        return *url;
    return paths::replayCacheFile();
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
