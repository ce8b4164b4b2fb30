#pragma once
// Which replay cache invoke-cli uses, and under which scope (docs/cache.md): --cache URL,
// else INVOKE_CACHE_URL, else the studio's saved cache URL (core/cache/cachesetting.h: the
// URL from its settings, a PostgreSQL password from the keychain), else the user's
// replay.sqlite; --scope NAME, else INVOKE_CACHE_SCOPE, else "local".
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace invoke::cli {

// The cache URL to open: `flag` when given, else INVOKE_CACHE_URL, else the saved one
// (its password read from the keychain when it was saved without one; a keychain that
// cannot be read is said on stderr and the URL is used without it), else the default file.
QString replayCacheUrl(const QString &flag);
// The passwords of the cache URLs replayCacheUrl() returned so far (from the flag, the
// environment or the keychain): masked in whatever invoke-cli writes out.
QStringList replayCachePasswords();
// The scope the embedded engine records under: `flag`, else INVOKE_CACHE_SCOPE, else "local".
QString replayCacheScope(const QString &flag);
// nullopt when `scope` can be a scope, else why not (for --scope and INVOKE_CACHE_SCOPE).
std::optional<QString> scopeProblem(const QString &scope);

} // namespace invoke::cli
