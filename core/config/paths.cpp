#include "core/config/paths.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>

using namespace Qt::StringLiterals;

namespace invoke::paths {

bool resolvesInside(const QString &path, const QString &folder)
{
    if (path.startsWith(u':'))
        return true;
    const QString root = QFileInfo(folder).canonicalFilePath();
    const QString target = QFileInfo(path).canonicalFilePath();
    return !root.isEmpty() && !target.isEmpty() && (target == root || target.startsWith(root + u'/'));
}

QString bundledBots() { return u":/bots"_s; }
QString bundledMocks() { return u":/mocks"_s; }
QString bundledDatasets() { return u":/datasets"_s; }

static QString ensured(const QString &path)
{
    QDir().mkpath(path);
    return path;
}

QString userBots()
{
    return ensured(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/bots"_s);
}

QStringList defaultBotFolders(const QStringList &extraFolders)
{
    return QStringList{bundledBots(), userBots()} + extraFolders;
}

QString replayCacheFile()
{
    return ensured(QStandardPaths::writableLocation(QStandardPaths::CacheLocation)) + u"/replay.sqlite"_s;
}

QString userDatasets()
{
    return ensured(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/datasets"_s);
}

QString datasetIndexFile()
{
    return ensured(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        + u"/dataset-index.sqlite"_s;
}

QString settingsFile()
{
    return QSettings().fileName();
}

} // namespace invoke::paths
