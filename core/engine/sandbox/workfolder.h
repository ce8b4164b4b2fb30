#pragma once
// The program's fresh working folder: the code files written in, and afterwards what the
// program created or changed there.
#include "core/model/json.h"

#include <QtCore/QHash>
#include <QtCore/QTemporaryDir>

namespace invoke::engine {

class WorkFolder
{
public:
    WorkFolder(); // a new folder under the system's temporary folder; removed with this
    bool isValid() const { return m_dir.isValid(); }
    QString errorString() const { return m_dir.errorString(); }
    QString path() const { return m_dir.path(); }

    // A name relative to the folder: no absolute path, no "." or ".." part, no empty
    // part, no backslash or control character. Returns why not, or an empty string.
    static QString checkFilename(const QString &name);

    // Writes one input file (creating its subfolders); input files that the program
    // leaves as they were are not listed by changedFiles().
    bool write(const QString &name, const QByteArray &content, QString *error);

    // New and changed files, sorted by name: [{name, size, content?}]; `content` for
    // small UTF-8 text. Symbolic links are listed ({name, symlink: true}), never followed.
    // At most `maxFiles` entries; `*more` counts the rest.
    Json changedFiles(int maxFiles, int *more) const;

private:
    QTemporaryDir m_dir;
    QHash<QString, QByteArray> m_inputs;
};

} // namespace invoke::engine
