#pragma once
#include <QtCore/QString>

namespace invoke::test {

QString sourceDir();            // the repository
QString binDir();               // <build>/bin, where invoke-cli and friends are
QString sourcePath(const QString &relative); // sourceDir() + "/" + relative

} // namespace invoke::test
