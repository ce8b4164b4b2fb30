#include "core/engine/sandbox/workfolder.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

// nftw() takes a plain function: the walk in progress, one per thread.
struct Walk
{
    qsizetype prefix = 0; // the folder's path and its "/"
    QList<sandbox::OutputEntry> entries;
};
thread_local Walk *t_walk = nullptr;

int listEntry(const char *path, const struct stat *info, int type, FTW *)
{
    if (type == FTW_D || type == FTW_DP || type == FTW_DNR)
        return 0;
    const QByteArray full(path);
    if (full.size() <= t_walk->prefix)
        return 0;
    sandbox::OutputEntry entry;
    entry.name = full.mid(t_walk->prefix);
    if (type == FTW_SL || type == FTW_SLN) {
        entry.kind = sandbox::OutputEntry::Symlink;
    } else if (!S_ISREG(info->st_mode)) {
        entry.kind = sandbox::OutputEntry::Special;
    } else {
        entry.size = info->st_size;
        // Raw open: a name Qt cannot decode would not open through QFile.
        QCryptographicHash hash(QCryptographicHash::Sha256);
        QByteArray content;
        const int fd = ::open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd >= 0) {
            char buffer[65536];
            ssize_t n = 0;
            while ((n = ::read(fd, buffer, sizeof buffer)) > 0) {
                hash.addData(QByteArrayView(buffer, n));
                if (info->st_size <= sandbox::MaxContentBytes)
                    content.append(buffer, n);
            }
            ::close(fd);
        }
        entry.sha256 = hash.result();
        entry.hasContent = info->st_size <= sandbox::MaxContentBytes;
        entry.content = content;
    }
    t_walk->entries.append(std::move(entry));
    return 0;
}

int removeEntry(const char *path, const struct stat *, int, FTW *)
{
    ::remove(path); // what cannot go stays, and the walk goes on
    return 0;
}

} // namespace

WorkFolder::WorkFolder()
{
    QTemporaryDir dir(QDir::tempPath() + u"/invoke-codeexec-XXXXXX"_s);
    if (!dir.isValid()) {
        m_error = dir.errorString();
        return;
    }
    dir.setAutoRemove(false); // removed by the destructor, raw names included
    m_path = dir.path();
}

WorkFolder::~WorkFolder()
{
    if (!m_path.isEmpty())
        nftw(QFile::encodeName(m_path).constData(), removeEntry, 32, FTW_DEPTH | FTW_PHYS);
}

QString WorkFolder::checkFilename(const QString &name)
{
    if (name.isEmpty())
        return u"the file name is empty"_s;
    if (name.size() > 1024)
        return u"the file name is longer than 1024 characters"_s;
    if (name.startsWith(u'/'))
        return u"\"%1\" is an absolute path; give a name relative to the working folder"_s.arg(name);
    for (const QChar c : name) {
        if (c == u'\\' || c.category() == QChar::Other_Control)
            return u"\"%1\" contains a backslash or a control character"_s.arg(name);
    }
    const QStringList parts = name.split(u'/');
    for (const QString &part : parts) {
        if (part.isEmpty())
            return u"\"%1\" has an empty part (\"//\" or a trailing \"/\")"_s.arg(name);
        if (part == u"."_s || part == u".."_s)
            return u"\"%1\" has a \"%2\" part; files must stay inside the working folder"_s.arg(name, part);
        if (part.size() > 255)
            return u"\"%1\" has a part longer than 255 characters"_s.arg(name);
    }
    return {};
}

bool WorkFolder::write(const sandbox::InputFile &input, QString *error)
{
    if (const QString why = checkFilename(input.name); !why.isEmpty()) {
        *error = why;
        return false;
    }
    const QString path = m_path + u'/' + input.name;
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = u"cannot create the folder for \"%1\" in %2"_s.arg(input.name, m_path);
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(input.content) != input.content.size()) {
        *error = u"cannot write \"%1\" in %2: %3"_s.arg(input.name, m_path, file.errorString());
        return false;
    }
    return true;
}

sandbox::Listing WorkFolder::list() const
{
    sandbox::Listing listing;
    if (m_path.isEmpty())
        return listing;
    const QByteArray root = QFile::encodeName(m_path);
    Walk walk;
    walk.prefix = root.size() + 1;
    t_walk = &walk;
    nftw(root.constData(), listEntry, 32, FTW_PHYS);
    t_walk = nullptr;
    std::sort(walk.entries.begin(), walk.entries.end(),
              [](const sandbox::OutputEntry &a, const sandbox::OutputEntry &b) { return a.name < b.name; });
    if (walk.entries.size() > sandbox::MaxListedEntries) {
        listing.notListed = walk.entries.size() - sandbox::MaxListedEntries;
        walk.entries.resize(sandbox::MaxListedEntries);
    }
    listing.entries = std::move(walk.entries);
    listing.complete = true;
    return listing;
}

} // namespace invoke::engine
