#include "core/engine/sandbox/sandboxsetup.h"

#include "core/engine/sandbox/launcher.h"

#include <QtCore/QFileInfo>
#include <QtCore/QStandardPaths>

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::engine::sandbox {

namespace {

// Where the working folder appears inside bubblewrap.
constexpr char InsideFolder[] = "/workspace";

void setLimit(int resource, rlim_t value)
{
    const rlimit limit{value, value};
    setrlimit(resource, &limit);
}

[[noreturn]] void failChild(const char *message)
{
    const ssize_t ignored = write(STDERR_FILENO, message, strlen(message));
    (void)ignored;
    _exit(126);
}

} // namespace

Identity sandboxIdentity()
{
    Identity identity;
    if (geteuid() != 0)
        return identity;
    identity.drop = true;
    identity.uid = identity.gid = 65534;
    if (const passwd *nobody = getpwnam("nobody")) { // called in the parent: not signal-safe
        identity.uid = nobody->pw_uid;
        identity.gid = nobody->pw_gid;
    }
    return identity;
}

std::function<void()> childModifier(const SandboxLimits &limits, int processes, Identity identity,
                                    bool noNewPrivileges, InheritedFds inherit)
{
    return [limits, processes, identity, noNewPrivileges, inherit] {
        // Nothing the engine inherited from its own parent, or opened without
        // close-on-exec, reaches the sandbox (the launcher's /proc/PID/fd would show it):
        // every descriptor above stderr is marked close-on-exec, then ours are handed over.
        if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) { // Linux < 5.11
            rlimit files{};
            getrlimit(RLIMIT_NOFILE, &files);
            const int last = int(std::min<rlim_t>(files.rlim_cur, 65536));
            for (int fd = 3; fd < last; ++fd)
                fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
        for (const int fd : inherit) {
            if (fd >= 0 && fcntl(fd, F_SETFD, 0) != 0)
                failChild("sandbox: cannot hand a descriptor to bubblewrap\n");
        }
        setsid();
        // The CPU limit sends SIGXCPU at the soft limit and SIGKILL one second later.
        const rlimit cpu{rlim_t(limits.timeoutSeconds), rlim_t(limits.timeoutSeconds) + 1};
        setrlimit(RLIMIT_CPU, &cpu);
        setLimit(RLIMIT_AS, rlim_t(limits.memoryBytes));
        setLimit(RLIMIT_FSIZE, rlim_t(limits.fileSizeBytes));
        setLimit(RLIMIT_NOFILE, rlim_t(limits.openFiles));
        setLimit(RLIMIT_CORE, 0);
        if (processes > 0)
            setLimit(RLIMIT_NPROC, rlim_t(processes));
        // Raw system calls: glibc's setuid family signals every thread of the parent.
        if (identity.drop
            && (syscall(SYS_setgroups, 0, nullptr) != 0
                || syscall(SYS_setresgid, identity.gid, identity.gid, identity.gid) != 0
                || syscall(SYS_setresuid, identity.uid, identity.uid, identity.uid) != 0))
            failChild("sandbox: cannot switch to the unprivileged user\n");
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (noNewPrivileges)
            prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    };
}

QString insideWorkFolder()
{
    return QString::fromLatin1(InsideFolder);
}

QStringList bubblewrapArguments(const QString &python, const SandboxLimits &limits)
{
    // --disable-userns: a nested user namespace could mount a tmpfs without a cap.
    QStringList args{
        u"--unshare-all"_s, u"--unshare-user"_s, u"--disable-userns"_s, u"--die-with-parent"_s,
        u"--new-session"_s, u"--cap-drop"_s, u"ALL"_s, u"--hostname"_s, u"sandbox"_s,
        u"--ro-bind"_s, u"/usr"_s, u"/usr"_s,
    };
    // Debian and most distributions link /bin, /lib… into /usr; older layouts have
    // real folders.
    for (const QString &top : {u"/bin"_s, u"/sbin"_s, u"/lib"_s, u"/lib32"_s, u"/lib64"_s, u"/libx32"_s}) {
        const QFileInfo info(top);
        if (info.isSymLink())
            args << u"--symlink"_s << info.symLinkTarget() << top;
        else if (info.isDir())
            args << u"--ro-bind"_s << top << top;
    }
    // What the loader and Python read from /etc; nothing else of it is visible.
    for (const QString &etc : {u"/etc/ld.so.cache"_s, u"/etc/ld.so.conf"_s, u"/etc/ld.so.conf.d"_s,
                               u"/etc/localtime"_s, u"/etc/alternatives"_s})
        args << u"--ro-bind-try"_s << etc << etc;
    // An interpreter outside /usr (pyenv, a venv) needs its own prefix.
    const QString realPython = QFileInfo(python).canonicalFilePath();
    if (!realPython.startsWith(u"/usr/"_s)) {
        QString prefix = QFileInfo(QFileInfo(realPython).absolutePath()).absolutePath();
        args << u"--ro-bind"_s << prefix << prefix;
    }
    // Every writable tmpfs is capped: their pages are the host's memory. /dev is one too
    // (bwrap's, uncapped): read-only once /dev/shm is mounted on it.
    const QString inside = insideWorkFolder();
    args << u"--proc"_s << u"/proc"_s << u"--dev"_s << u"/dev"_s
         << u"--size"_s << QString::number(limits.tmpBytes) << u"--tmpfs"_s << u"/dev/shm"_s
         << u"--remount-ro"_s << u"/dev"_s
         << u"--size"_s << QString::number(limits.tmpBytes) << u"--tmpfs"_s << u"/tmp"_s
         << u"--size"_s << QString::number(limits.workBytes) << u"--tmpfs"_s << inside
         << u"--remount-ro"_s << u"/"_s << u"--chdir"_s << inside << u"--clearenv"_s
         << u"--setenv"_s << u"PATH"_s << u"/usr/local/bin:/usr/bin:/bin"_s
         << u"--setenv"_s << u"HOME"_s << inside << u"--setenv"_s << u"TMPDIR"_s << u"/tmp"_s
         << u"--setenv"_s << u"LANG"_s << u"C.UTF-8"_s << u"--setenv"_s << u"USER"_s << u"sandbox"_s;
    return args;
}

QStringList launcherCommand(const QString &python, int processes, int inputFd, int listingFd,
                            const QStringList &arguments)
{
    return QStringList{python, u"-I"_s, u"-B"_s, u"-c"_s, QString::fromLatin1(launcherCode()),
                       QString::number(processes), QString::number(inputFd), QString::number(listingFd)}
        + arguments;
}

QString findPython(const QString &preferred)
{
    if (!preferred.isEmpty())
        return preferred;
    if (QFileInfo(u"/usr/bin/python3"_s).isExecutable())
        return u"/usr/bin/python3"_s;
    return QStandardPaths::findExecutable(u"python3"_s);
}

} // namespace invoke::engine::sandbox
