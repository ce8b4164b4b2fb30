#pragma once
// Runs one Python program in a sandbox and waits for it (codeexec.execute).
//
// Two kinds, chosen per run:
//  bubblewrap: `bwrap` with every namespace unshared (no network, own pid/ipc/uts), a
//              read-only root holding only /usr (and the /lib, /bin links), a few /etc
//              files the loader and Python read, a fresh /tmp, and the working folder
//              bound read-write at /workspace. The rest of the host file system is absent.
//  rlimit:     when bwrap is missing or cannot create namespaces: the same limits, but
//              the program sees the host file system (file permissions alone protect it)
//              and the network is NOT blocked. The result says so in `warning`.
// Both: a new session (the whole process group is killed at the timeout or on cancel),
// rlimits on CPU time, address space, file size, open files and process count, a clean
// environment. When the engine runs as root the program runs as `nobody`, so root's
// exemptions (RLIMIT_NPROC, file permissions) do not apply to it.
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
};

enum class SandboxKind { Bubblewrap, Rlimit };

struct SandboxRequest
{
    QString workFolder;      // host path; becomes the program's current folder
    QStringList arguments;   // after the interpreter, relative to the working folder
    QByteArray input;        // written to stdin, which is then closed
    SandboxLimits limits;
};

struct SandboxResult
{
    SandboxKind kind = SandboxKind::Rlimit;
    bool started = false;
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
};

class Sandbox
{
public:
    struct Options
    {
        bool allowBubblewrap = true;
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
    Options m_options;
};

QString sandboxKindName(SandboxKind kind); // "bubblewrap" | "rlimit"
QString sandboxSignalName(int signal);     // "SIGXCPU, the CPU time limit", "signal 7"

} // namespace invoke::engine
