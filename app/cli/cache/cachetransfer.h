#pragma once
// invoke-cli cache export FILE [--scope NAME] and cache import FILE [--scope NAME]: entries
// as JSON Lines (CacheEntry::toJson, docs/cache.md), so a team can seed its shared cache
// from a developer's local one and back.
#include <QtCore/QString>

namespace invoke::cache {
class ReplayCache;
}

namespace invoke::cli {

// Writes the entries (of `scope` when given) to `file`, atomically, with secrets masked in
// their outputs; an entry whose parameters hold a secret is left out and named (masking
// them would change its key). Returns the exit code.
int exportCache(const cache::ReplayCache &cache, const QString &file, const QString &scope);
// Reads every line first (a bad one is reported with its line number and nothing is
// written), rewrites the entries into `scope` when given (new keys), then adds them.
int importCache(cache::ReplayCache &cache, const QString &file, const QString &scope);

} // namespace invoke::cli
