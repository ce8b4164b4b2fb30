#pragma once
// Runs one Python program in a sandbox and waits for it (codeexec.execute).
//
// Two kinds, chosen per run:
//  bubblewrap: `bwrap` with every namespace unshared (no network, own pid/ipc/uts), a
//              read-only root holding only /usr (and the /lib, /bin links), a few /etc
//              files the loader and Python read, and two size-capped tmpfs mounts: /tmp
//              and the work folder /workspace, where the input files are copied in and
//              from where the output files are listed after the run (launcher.h). Nothing
//              of the host is in it: bwrap starts from an empty environment and gets its
//              arguments (which name host folders) through `--args FD`, so no
//              /proc/*/environ or /proc/*/cmdline inside shows a secret or a host path.
//  rlimit:     when bwrap is missing or cannot create namespaces, and only when the
//              engine allows unsandboxed code (Options::allowUnsandboxed, off by
//              default; otherwise the run is refused and says why): the same limits, but
//              the program sees the host file system (file permissions alone protect it)
//              and the network is NOT blocked. The result says so in `warning`.
// Both: a new session (the whole process group is killed at the timeout or on cancel),
// rlimits on CPU time, address space, file size, open files and process count, a clean
// environment. When the engine runs as root the program runs as `nobody`, so root's
// exemptions (RLIMIT_NPROC, file permissions) do not apply to it.
#include "core/engine/sandbox/launcher.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace invoke::engine {

class CancelToken;

struct SandboxLimits
{
    int timeoutSeconds = 30;                    // wall clock; the process group is killed
    qint64 memoryBytes = 512LL * 1024 * 1024;   // RLIMIT_AS
    qint64 fileSizeBytes = 16LL * 1024 * 1024;  // RLIMIT_FSIZE, per file written
    int processes = 32;                         // RLIMIT_NPROC (tasks, threads included)
    int openFiles = 256;                        // RLIMIT_NOFILE
    qint64 streamBytes = 64 * 1024;             // kept of stdout and of stderr each
    qint64 tmpBytes = 64LL * 1024 * 1024;       // the tmpfs at /tmp, and the one at /dev/shm (bubblewrap)
    qint64 workBytes = 64LL * 1024 * 1024;      // the tmpfs at /workspace (bubblewrap)
};

enum class SandboxKind { Bubblewrap, Rlimit };

struct SandboxRequest
{
    QList<sandbox::InputFile> files; // copied into the work folder, the program's current folder
    QStringList arguments;   // after the interpreter, relative to the working folder
    QByteArray input;        // written to stdin, which is then closed
    SandboxLimits limits;
};

struct SandboxResult
{
    SandboxKind kind = SandboxKind::Rlimit;
    bool started = false;
    bool refused = false;    // no sandbox here, and unsandboxed code is not allowed
    QString startError;      // why the program could not start (sandbox or interpreter)
    int exitCode = -1;       // as the interpreter reported it; -1 when killed or not started
    int signal = 0;          // the signal that ended it, when known
    bool timedOut = false;
    bool cancelled = false;
    QString output;          // stdout, capped, with a marker where it was cut
    QString error;           // stderr, likewise
    bool outputCut = false;
    bool errorCut = false;
    QString warning;         // what the sandbox could not enforce (rlimit kind)
    QString errorTail;       // the last lines of stderr, for a step's error message
    // The work folder after the program ended by itself (not at a timeout or cancel: the
    // sandbox is gone then); complete is false when it could not be listed.
    sandbox::Listing files;
};

class Sandbox
{
public:
    struct Options
    {
        bool allowBubblewrap = true;   // false: never bubblewrap (tests of the rlimit kind)
        // Without bubblewrap, run the program with the rlimit kind anyway (UNSAFE; see above).
        bool allowUnsandboxed = false;
        QString bwrapProgram = QStringLiteral("bwrap"); // a name on PATH or a path
        QString python;      // empty: /usr/bin/python3, else python3 on PATH
    };

    explicit Sandbox(Options options);
    Sandbox();

    // Blocks the calling thread (it runs a local event loop) until the program ends, is
    // killed at the timeout, or `cancel` fires.
    SandboxResult run(const SandboxRequest &request, const CancelToken &cancel) const;

    // The kind run() will use, and why bubblewrap is not used when it is not. The probe
    // (one tiny bwrap run) is done once per program and bwrap path.
    SandboxKind kind(QString *whyNotBubblewrap = nullptr) const;

    QString python() const;

    // Gives the working folder and what is in it to the user the program runs as (only
    // when the engine runs as root; otherwise there is nothing to do).
    static bool handOver(const QString &folder, QString *error);

private:
    SandboxResult runBubblewrap(const SandboxRequest &request, const QString &interpreter,
                                const CancelToken &cancel) const;
    SandboxResult runRlimit(const SandboxRequest &request, const QString &whyNotBubblewrap,
                            const CancelToken &cancel) const;
    Options m_options;
};

QString sandboxKindName(SandboxKind kind); // "bubblewrap" | "rlimit"
QString sandboxSignalName(int signal);     // "SIGXCPU, the CPU time limit", "signal 7"

} // namespace invoke::engine
