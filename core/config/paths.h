#pragma once
#include <QtCore/QString>

namespace invoke::paths {

// Bundled example bots, mock sets and datasets (Qt resources compiled into the core).
QString bundledBots();     // ":/bots"
QString bundledMocks();    // ":/mocks"
// The user's own folders, created on first use.
QString userBots();        // <AppDataLocation>/bots
QString replayCacheFile(); // <CacheLocation>/replay.sqlite
QString settingsFile();    // for tools that want to say where settings live

} // namespace invoke::paths
