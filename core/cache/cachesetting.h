#pragma once
// Where the studio's settings keep the replay cache's URL (docs/cache.md): the URL without
// its password in QSettings, the password in the keychain (core/config/secretstore.h).
// The studio (core/backend/localcachesetting.h) and invoke-cli (app/cli/cache/cachechoice.h)
// read it back the same way, after --cache and INVOKE_CACHE_URL.
#include <QtCore/QString>

namespace invoke::cache {

inline constexpr char CacheUrlSettingsKey[] = "cache/url";
inline QString cachePasswordSecretName() { return QStringLiteral("replay-cache-password"); }

// True when `savedUrl` (the text under cache/url) names a PostgreSQL cache saved without a
// password, whose password is then in the keychain. False for a file, an empty or a
// malformed text.
bool savedCacheUrlWantsPassword(const QString &savedUrl);

// `savedUrl` with `password` (from the keychain) put back in, for connecting; `savedUrl`
// unchanged when it is not a PostgreSQL URL, already holds a password, does not parse (the
// store then refuses it by name) or `password` is empty.
QString savedCacheUrlWithPassword(const QString &savedUrl, const QString &password);

} // namespace invoke::cache
