#pragma once
// The replay cache's tables in PostgreSQL: a schema-version table (invoke_schema, one row
// per component) and forward migrations, applied on first use under an advisory lock so
// two processes starting at once do not race. A database of a newer version is refused,
// never altered; a current one is only read, so a role without CREATE rights can use a
// cache its owner set up (docs/cache.md).
#include <QtCore/QString>

namespace invoke::cache {

struct PostgresConnection;
struct CacheUrl;

constexpr int PostgresSchemaVersion = 1;
// The advisory-lock namespace (first argument of the two-key form) of every lock the
// replay cache takes: migrations under key 0, fills under a key's first 32 bits.
constexpr int PostgresLockSpace = 0x1c0ffee1;

// Brings the database to PostgresSchemaVersion; the reason (naming the server) on failure.
QString ensurePostgresSchema(PostgresConnection &connection, const CacheUrl &url);

} // namespace invoke::cache
