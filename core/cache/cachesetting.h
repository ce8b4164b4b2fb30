#pragma once
// Where the studio's settings keep the replay cache's URL (docs/cache.md): the URL without
// its password in QSettings, the password in the keychain (core/config/secretstore.h).
#include <QtCore/QString>

namespace invoke::cache {

inline constexpr char CacheUrlSettingsKey[] = "cache/url";
inline QString cachePasswordSecretName() { return QStringLiteral("replay-cache-password"); }

} // namespace invoke::cache
