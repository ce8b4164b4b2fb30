#include "core/agenttests/testdiscovery.h"

#include <QtCore/QDirIterator>
#include <QtCore/QFileInfo>
#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace invoke::agenttests {

QStringList findTestFiles(const QStringList &paths, QStringList *problems)
{
    QStringList files;
    QSet<QString> seen;
    const auto addFile = [&](const QString &file) {
        const QString canonical = QFileInfo(file).canonicalFilePath();
        if (!seen.contains(canonical)) {
            seen.insert(canonical);
            files.append(QDir::cleanPath(file));
        }
    };
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (info.isFile()) {
            addFile(path);
        } else if (info.isDir()) {
            QStringList found;
            QDirIterator it(path, {u"*.tests.json"_s}, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                found.append(it.next());
            found.sort();
            for (const QString &file : std::as_const(found))
                addFile(file);
        } else if (problems) {
            problems->append(u"%1: no such file or folder"_s.arg(path));
        }
    }
    return files;
}

} // namespace invoke::agenttests
