#include "app/cli/tests/runoptions.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QFileInfo>
#include <QtCore/QThread>

using namespace Qt::StringLiterals;

namespace invoke::cli {

std::optional<int> readJobs(const QCommandLineParser &parser, const QString &unit, QString *error)
{
    if (!parser.isSet(u"jobs"_s))
        return std::max(1, QThread::idealThreadCount());
    bool ok = false;
    const int jobs = parser.value(u"jobs"_s).toInt(&ok);
    if (ok && jobs >= 1 && jobs <= 1024)
        return jobs;
    *error = u"-j %1: expected a number of %2 from 1 to 1024"_s.arg(parser.value(u"jobs"_s), unit);
    return std::nullopt;
}

std::optional<int> readTimeout(const QCommandLineParser &parser, int fallback, QString *error)
{
    if (!parser.isSet(u"timeout"_s))
        return fallback;
    bool ok = false;
    const int seconds = parser.value(u"timeout"_s).toInt(&ok);
    if (ok && seconds >= 1)
        return seconds;
    *error = u"--timeout %1: expected a whole number of seconds, at least 1"_s.arg(parser.value(u"timeout"_s));
    return std::nullopt;
}

std::optional<QStringList> readFolders(const QCommandLineParser &parser, const QString &option, QString *error)
{
    QStringList out;
    for (const QString &dir : parser.values(option)) {
        if (!QFileInfo(dir).isDir()) {
            *error = u"--%1 %2: no such folder"_s.arg(option, dir);
            return std::nullopt;
        }
        out.append(QFileInfo(dir).absoluteFilePath());
    }
    return out;
}

} // namespace invoke::cli
