#pragma once
// The store a cache URL names (core/cache/cacheurl.h): SqliteReplayCache for a file or
// `sqlite:PATH`, PostgresReplayCache for `postgresql://…`. Not opened yet.
#include "core/cache/replaycache.h"

namespace invoke::cache {

// nullptr with `error` when the URL is malformed (the message never shows a password).
std::unique_ptr<ReplayCache> makeReplayCache(const QString &url, QString *error = nullptr);

} // namespace invoke::cache
