#include "core/cache/openreplaycache.h"

#include "core/cache/cacheurl.h"
#include "core/cache/postgres/postgresreplaycache.h"
#include "core/cache/sqlite/sqlitereplaycache.h"

namespace invoke::cache {

std::unique_ptr<ReplayCache> makeReplayCache(const QString &text, QString *error)
{
    const std::optional<CacheUrl> url = CacheUrl::parse(text, error);
    if (!url)
        return nullptr;
    if (url->isPostgres())
        return std::make_unique<PostgresReplayCache>(*url);
    return std::make_unique<SqliteReplayCache>(url->filePath);
}

} // namespace invoke::cache
