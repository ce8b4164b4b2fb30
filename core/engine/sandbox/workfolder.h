#pragma once
// The rlimit sandbox's working folder on the host (bubblewrap uses a tmpfs instead, see
// launcher.h): the input files written in, afterwards listed and removed with raw POSIX
// calls, so a name that is not valid UTF-8 is listed and removed like any other.
#include "core/engine/sandbox/launcher.h"

#include <QtCore/QString>

namespace invoke::engine {

class WorkFolder
{
public:
    WorkFolder();  // a new folder under the system's temporary folder
    ~WorkFolder(); // removes it and everything in it
    WorkFolder(const WorkFolder &) = delete;
    WorkFolder &operator=(const WorkFolder &) = delete;

    bool isValid() const { return !m_path.isEmpty(); }
    QString errorString() const { return m_error; }
    QString path() const { return m_path; }

    // A name relative to the folder: no absolute path, no "." or ".." part, no empty
    // part, no backslash or control character. Returns why not, or an empty string.
    static QString checkFilename(const QString &name);

    bool write(const sandbox::InputFile &file, QString *error);

    // What is in it, as the launcher lists it: sorted, links not followed.
    sandbox::Listing list() const;

private:
    QString m_path;
    QString m_error;
};

} // namespace invoke::engine
