#include "core/engine/sandbox/memfile.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace invoke::engine::sandbox {

MemFile::MemFile(const char *name, const QByteArray &content)
{
    m_fd = memfd_create(name, MFD_CLOEXEC);
    if (m_fd < 0) {
        m_error = u"memfd_create(%1): %2"_s.arg(QString::fromLatin1(name), QString::fromLocal8Bit(strerror(errno)));
        return;
    }
    qsizetype written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(m_fd, content.constData() + written, std::size_t(content.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            m_error = u"cannot write the in-memory file %1: %2"_s.arg(QString::fromLatin1(name),
                                                                        QString::fromLocal8Bit(strerror(errno)));
            ::close(m_fd);
            m_fd = -1;
            return;
        }
        written += n;
    }
    lseek(m_fd, 0, SEEK_SET); // the offset is shared with the process that inherits it
}

MemFile::~MemFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

QByteArray MemFile::readAll(qint64 maxBytes, bool *cut) const
{
    *cut = false;
    struct stat info {};
    if (m_fd < 0 || fstat(m_fd, &info) != 0)
        return {};
    const qint64 size = std::min<qint64>(info.st_size, maxBytes);
    *cut = info.st_size > maxBytes;
    QByteArray bytes(size, Qt::Uninitialized);
    qint64 got = 0;
    while (got < size) {
        const ssize_t n = pread(m_fd, bytes.data() + got, std::size_t(size - got), off_t(got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += n;
    }
    bytes.truncate(got);
    return bytes;
}

} // namespace invoke::engine::sandbox
