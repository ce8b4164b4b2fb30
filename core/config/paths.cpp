#include "core/config/paths.h"

#include <QtCore/QDir>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>

using namespace Qt::StringLiterals;

namespace invoke::paths {

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
