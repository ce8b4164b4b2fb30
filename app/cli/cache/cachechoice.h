#pragma once
// Which replay cache invoke-cli uses, and under which scope (docs/cache.md): --cache URL,
// else INVOKE_CACHE_URL, else the user's replay.sqlite; --scope NAME, else
// INVOKE_CACHE_SCOPE, else "local".
#include <QtCore/QString>

#include <optional>

namespace invoke::cli {

// The cache URL to open: `flag` when given, else INVOKE_CACHE_URL, else the default file.
QString replayCacheUrl(const QString &flag);
// The scope the embedded engine records under: `flag`, else INVOKE_CACHE_SCOPE, else "local".
QString replayCacheScope(const QString &flag);
// nullopt when `scope` can be a scope, else why not (for --scope and INVOKE_CACHE_SCOPE).
std::optional<QString> scopeProblem(const QString &scope);

} // namespace invoke::cli
