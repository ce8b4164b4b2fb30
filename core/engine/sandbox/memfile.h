#pragma once
// An anonymous in-memory file (memfd) that a sandboxed process inherits: bubblewrap's
// arguments, the input files, the listing of the output files. Made close-on-exec; only
// the child that should have it clears the flag (sandboxsetup.h, childModifier).
#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace invoke::engine::sandbox {

class MemFile
{
public:
    // `name` shows in /proc/PID/fd links only. `content` is written, and the offset set
    // back to 0 for the reader. isValid() false with errorString() on failure.
    MemFile(const char *name, const QByteArray &content);
    ~MemFile();
    MemFile(const MemFile &) = delete;
    MemFile &operator=(const MemFile &) = delete;

    bool isValid() const { return m_fd >= 0; }
    QString errorString() const { return m_error; }
    int fd() const { return m_fd; }

    // Everything in it from offset 0, at most `maxBytes` (`*cut` when there was more).
    QByteArray readAll(qint64 maxBytes, bool *cut) const;

private:
    int m_fd = -1;
    QString m_error;
};

} // namespace invoke::engine::sandbox
