#include "ui/desktop/documentation.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QUrl>
#include <QtGui/QDesktopServices>

using namespace Qt::StringLiterals;

namespace invoke::ui {

QString documentationFolder()
{
    // Installed: packaging/CMakeLists.txt puts README.md and docs/ here.
    const QString installed = QDir::cleanPath(QCoreApplication::applicationDirPath() + u"/../"_s
                                              + QString::fromLatin1(INVOKE_DOC_INSTALL_SUBDIR));
    if (QFileInfo::exists(installed + u"/docs"_s))
        return installed;
    const QString source = QString::fromLatin1(INVOKE_DOC_SOURCE_DIR) + u"/docs"_s;
    if (QFileInfo(source).isDir())
        return source;
    return {};
}

bool openDocumentation(QString *error)
{
    const QString folder = documentationFolder();
    if (folder.isEmpty()) {
        *error = QCoreApplication::translate("invoke::ui::documentation",
                                             "The documentation is not installed (looked for %1).")
                     .arg(QDir::cleanPath(QCoreApplication::applicationDirPath() + u"/../"_s
                                          + QString::fromLatin1(INVOKE_DOC_INSTALL_SUBDIR)));
        return false;
    }
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(folder))) {
        *error = QCoreApplication::translate("invoke::ui::documentation",
                                             "No program could open the documentation folder %1.")
                     .arg(QDir::toNativeSeparators(folder));
        return false;
    }
    return true;
}

} // namespace invoke::ui
