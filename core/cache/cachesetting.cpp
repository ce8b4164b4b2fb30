#include "core/cache/cachesetting.h"

#include "core/cache/cacheurl.h"

namespace invoke::cache {

bool savedCacheUrlWantsPassword(const QString &savedUrl)
{
    if (savedUrl.trimmed().isEmpty())
        return false;
    const std::optional<CacheUrl> url = CacheUrl::parse(savedUrl.trimmed());
    return url && url->isPostgres() && url->password.isEmpty();
}

QString savedCacheUrlWithPassword(const QString &savedUrl, const QString &password)
{
    if (password.isEmpty() || !savedCacheUrlWantsPassword(savedUrl))
        return savedUrl;
    std::optional<CacheUrl> url = CacheUrl::parse(savedUrl.trimmed());
    url->password = password;
    return url->toString();
}

} // namespace invoke::cache
