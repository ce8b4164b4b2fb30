#include "tests/support/testpaths.h"

using namespace Qt::StringLiterals;

namespace invoke::test {

QString sourceDir() { return QStringLiteral(INVOKE_SOURCE_DIR); }
QString binDir() { return QStringLiteral(INVOKE_BIN_DIR); }
QString sourcePath(const QString &relative) { return sourceDir() + u'/' + relative; }

} // namespace invoke::test
