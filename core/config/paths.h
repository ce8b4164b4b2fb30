#pragma once
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace invoke::paths {

// Bundled example bots, mock sets and datasets (Qt resources compiled into the core).
QString bundledBots();     // ":/bots"
QString bundledMocks();    // ":/mocks"
QString bundledDatasets(); // ":/datasets"
// The user's own folders, created on first use.
QString userBots();        // <AppDataLocation>/bots
QString replayCacheFile(); // <CacheLocation>/replay.sqlite
QString userDatasets();     // <AppDataLocation>/datasets
// The datasets' full-text index, kept with the user's data (rebuilt when a dataset changes).
QString datasetIndexFile(); // <AppDataLocation>/dataset-index.sqlite
QString settingsFile();    // for tools that want to say where settings live
// The bots folders an engine of this machine reads, in order: the bundled examples, the
// user's bots folder, then `extraFolders` (a later folder wins a key,
// core/engine/botcatalog.h). BotCatalog::defaultFolders and the studio's History export
// both read this list.
QStringList defaultBotFolders(const QStringList &extraFolders = {});

// Whether `path`, with every link resolved, is `folder` or lies below it. Bot and dataset
// files that lead elsewhere are refused: a link in a served folder must not hand any file
// the process can read to whoever may list or search that folder. Resources always pass.
bool resolvesInside(const QString &path, const QString &folder);

} // namespace invoke::paths
