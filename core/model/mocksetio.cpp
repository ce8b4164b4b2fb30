#include "core/model/mocksetio.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>

using namespace Qt::StringLiterals;

namespace invoke {

QByteArray mockDocumentBytes(const Json &document)
{
    // nlohmann writes objects in key order and one member per line at indent 2; the
    // trailing newline keeps editors and `git diff` from flagging the last line.
    QByteArray bytes = dumpJson(document, 2);
    bytes.append('\n');
    return bytes;
}

QByteArray mockSetBytes(const MockSet &set)
{
    return mockDocumentBytes(set.toJson());
}

bool writeFileAtomically(const QString &filePath, const QByteArray &bytes, QString *error)
{
    const QString shown = QDir::toNativeSeparators(filePath);
    QSaveFile file(filePath);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = u"%1: cannot write: %2"_s.arg(shown, file.errorString());
        return false;
    }
    if (file.write(bytes) != bytes.size()) {
        if (error)
            *error = u"%1: cannot write: %2"_s.arg(shown, file.errorString());
        file.cancelWriting();
        return false;
    }
    // commit() renames the finished temporary file over the old one; until then the
    // old file is untouched, so a full disk or a crash never leaves half a mock set.
    if (!file.commit()) {
        if (error)
            *error = u"%1: cannot save: %2"_s.arg(shown, file.errorString());
        return false;
    }
    return true;
}

bool saveMockSet(const MockSet &set, const QString &filePath, QString *error)
{
    return writeFileAtomically(filePath, mockSetBytes(set), error);
}

} // namespace invoke
