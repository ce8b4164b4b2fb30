#include "core/engine/sandbox/sandbox.h"

#include "core/config/sandboxsettings.h"
#include "core/engine/action.h"
#include "core/engine/sandbox/execution.h"
#include "core/engine/sandbox/memfile.h"
#include "core/engine/sandbox/sandboxsetup.h"
#include "core/engine/sandbox/workfolder.h"

#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>

#include <cerrno>
#include <cstring>
#include <signal.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

struct Probe
{
    bool usable = false;
    QString reason;
};

// NUL-terminated arguments, as `bwrap --args FD` reads them.
QByteArray nulJoined(const QStringList &arguments)
{
    QByteArray bytes;
    for (const QString &argument : arguments)
        bytes += QFile::encodeName(argument) + '\0';
    return bytes;
}

// bwrap from an empty environment (its own /proc/PID/environ is readable inside the
// sandbox, as its pid 1), its options from `arguments` (so its command line names no
// host folder), then `command`.
void prepareBubblewrap(QProcess &process, const QString &program, const sandbox::MemFile &arguments,
                       const QStringList &command)
{
    process.setProgram(program);
    process.setArguments(QStringList{u"--args"_s, QString::number(arguments.fd()), u"--"_s} + command);
    process.setProcessEnvironment(QProcessEnvironment());
}

// One tiny sandboxed run with the real arguments: bwrap may be installed and still be
// unable to create namespaces (a container, a kernel that forbids user namespaces), or too
// old for --size (bubblewrap 0.8).
Probe probeBubblewrap(const QString &program, const QString &python)
{
    if (program.isEmpty())
        return {false, u"bwrap (bubblewrap) is not installed"_s};
    if (!QFileInfo(program).isExecutable())
        return {false, u"%1 is not an executable file (bubblewrap is not installed there)"_s.arg(program)};
    if (python.isEmpty())
        return {false, u"python3 was not found"_s};
    const sandbox::MemFile arguments("invoke-sandbox-args",
                                     nulJoined(sandbox::bubblewrapArguments(python, SandboxLimits{})));
    if (!arguments.isValid())
        return {false, arguments.errorString()};
    QProcess process;
    prepareBubblewrap(process, program, arguments, {python, u"-I"_s, u"-c"_s, u"pass"_s});
    process.setChildProcessModifier(
        sandbox::childModifier(SandboxLimits{}, 0, sandbox::sandboxIdentity(), false, {arguments.fd(), -1, -1}));
    process.start();
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return {false, u"bwrap did not answer a test run within 30 s"_s};
    }
    if (process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
        return {true, {}};
    QString said = QString::fromUtf8(process.readAllStandardError()).trimmed();
    if (said.isEmpty())
        said = process.errorString();
    return {false, u"bwrap cannot create its sandbox here: %1"_s.arg(said)};
}

Probe cachedProbe(const QString &program, const QString &python)
{
    static QMutex mutex;
    static QHash<QString, Probe> probes;
    const QString key = program + u'\n' + python;
    QMutexLocker lock(&mutex);
    const auto it = probes.constFind(key);
    if (it != probes.constEnd())
        return *it;
    const Probe probe = probeBubblewrap(program, python);
    probes.insert(key, probe);
    return probe;
}

QString resolvedBwrap(const QString &program)
{
    return program.contains(u'/') ? program : QStandardPaths::findExecutable(program);
}

} // namespace

QString sandboxSignalName(int signal)
{
    switch (signal) {
    case SIGKILL: return u"SIGKILL"_s;
    case SIGXCPU: return u"SIGXCPU, the CPU time limit"_s;
    case SIGXFSZ: return u"SIGXFSZ, the file size limit"_s;
    case SIGSEGV: return u"SIGSEGV"_s;
    case SIGABRT: return u"SIGABRT"_s;
    default: return u"signal %1"_s.arg(signal);
    }
}

QString sandboxKindName(SandboxKind kind)
{
    return kind == SandboxKind::Bubblewrap ? u"bubblewrap"_s : u"rlimit"_s;
}

Sandbox::Sandbox(Options options)
    : m_options(std::move(options))
{
}

Sandbox::Sandbox() = default;

bool Sandbox::handOver(const QString &folder, QString *error)
{
    const sandbox::Identity identity = sandbox::sandboxIdentity();
    if (!identity.drop)
        return true;
    QStringList paths{folder};
    QDirIterator it(folder, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        paths << it.next();
    for (const QString &path : std::as_const(paths)) {
        if (lchown(QFile::encodeName(path).constData(), identity.uid, identity.gid) != 0) {
            if (error)
                *error = u"cannot hand %1 to the unprivileged user: %2"_s.arg(path, QString::fromLocal8Bit(strerror(errno)));
            return false;
        }
    }
    return true;
}

QString Sandbox::python() const
{
    return sandbox::findPython(m_options.python);
}

SandboxKind Sandbox::kind(QString *whyNotBubblewrap) const
{
    if (!m_options.allowBubblewrap) {
        if (whyNotBubblewrap)
            *whyNotBubblewrap = u"bubblewrap is turned off for this engine"_s;
        return SandboxKind::Rlimit;
    }
    const Probe probe = cachedProbe(resolvedBwrap(m_options.bwrapProgram), python());
    if (whyNotBubblewrap)
        *whyNotBubblewrap = probe.reason;
    return probe.usable ? SandboxKind::Bubblewrap : SandboxKind::Rlimit;
}

namespace {

constexpr qint64 MaxListingBytes = 32LL * 1024 * 1024; // the launcher writes far less (launcher.h)

// What a finished bubblewrap run left: the listing of the work folder (unless it was
// killed), the signal behind an exit code of 128 + N, and bwrap's own setup failure.
void interpretBubblewrapExit(const sandbox::MemFile &listing, SandboxResult &result)
{
    if (!result.timedOut && !result.cancelled) {
        bool cut = false;
        result.files = sandbox::parseListing(listing.readAll(MaxListingBytes, &cut));
        if (!result.files.error.isEmpty())
            result.startError = u"the sandbox could not start: "_s + result.files.error;
    }
    if (result.signal == 0) {
        // bubblewrap (and the launcher) report a signal that ended the program as 128 + it.
        if (result.exitCode > 128 && result.exitCode < 128 + 65)
            result.signal = result.exitCode - 128;
        // bwrap's own failure to set up, before Python ran.
        if (result.exitCode == 1 && result.error.startsWith(u"bwrap: "_s))
            result.startError = u"the sandbox could not start: %1"_s.arg(result.errorTail);
    }
}

// What the rlimit kind cannot enforce, for SandboxResult::warning.
QString rlimitWarning(const QString &whyNotBubblewrap, int processes)
{
    QStringList warnings{u"bubblewrap is not available (%1): only the rlimit sandbox ran, so the "
                         "network is NOT blocked and the program can read (and, where file "
                         "permissions allow, write) the host file system"_s.arg(whyNotBubblewrap)};
    if (processes == 0)
        warnings << u"the process count is not limited (RLIMIT_NPROC would count every process "
                    "of this user)"_s;
    warnings << u"the work folder and /tmp have no size cap"_s;
    return warnings.join(u"; "_s);
}

// The rlimit kind's process: the interpreter in `folder`, a clean environment, the
// limits applied in the child.
void prepareRlimitProcess(QProcess &process, const QString &python, const QStringList &arguments,
                          const QString &folder, const SandboxLimits &limits, int processes,
                          const sandbox::Identity &identity)
{
    process.setProgram(python);
    process.setArguments(QStringList{u"-B"_s, u"-s"_s} + arguments);
    process.setWorkingDirectory(folder);
    QProcessEnvironment environment;
    environment.insert(u"PATH"_s, u"/usr/local/bin:/usr/bin:/bin"_s);
    environment.insert(u"HOME"_s, folder);
    environment.insert(u"LANG"_s, u"C.UTF-8"_s);
    environment.insert(u"USER"_s, u"sandbox"_s);
    process.setProcessEnvironment(environment);
    process.setChildProcessModifier(sandbox::childModifier(limits, processes, identity, true));
}

} // namespace

SandboxResult Sandbox::run(const SandboxRequest &request, const CancelToken &cancel) const
{
    const QString interpreter = python();
    if (interpreter.isEmpty()) {
        SandboxResult result;
        result.startError = u"python3 was not found (looked for /usr/bin/python3 and on PATH)"_s;
        return result;
    }
    QString whyNot;
    if (kind(&whyNot) == SandboxKind::Bubblewrap)
        return runBubblewrap(request, interpreter, cancel);
    if (m_options.allowUnsandboxed)
        return runRlimit(request, whyNot, cancel);
    SandboxResult result;
    result.kind = SandboxKind::Rlimit;
    result.refused = true;
    result.startError = u"refused to run the code: bubblewrap cannot sandbox it here (%1). Install "
                        "bubblewrap 0.8 or later (scripts/install-deps.sh) where unprivileged user "
                        "namespaces are allowed; or, %2"_s.arg(whyNot, allowUnsandboxedCodeHint());
    return result;
}

SandboxResult Sandbox::runBubblewrap(const SandboxRequest &request, const QString &interpreter,
                                     const CancelToken &cancel) const
{
    SandboxResult result;
    result.kind = SandboxKind::Bubblewrap;
    const SandboxLimits &limits = request.limits;
    const sandbox::MemFile inputs("invoke-sandbox-inputs", sandbox::packInputs(request.files));
    const sandbox::MemFile listing("invoke-sandbox-listing", {});
    const sandbox::MemFile arguments("invoke-sandbox-args",
                                     nulJoined(sandbox::bubblewrapArguments(interpreter, limits)));
    for (const sandbox::MemFile *file : {&inputs, &listing, &arguments}) {
        if (!file->isValid()) {
            result.startError = u"cannot prepare the sandbox: "_s + file->errorString();
            return result;
        }
    }
    QProcess process;
    prepareBubblewrap(process, resolvedBwrap(m_options.bwrapProgram), arguments,
                      sandbox::launcherCommand(interpreter, limits.processes, inputs.fd(), listing.fd(),
                                               request.arguments));
    process.setChildProcessModifier(sandbox::childModifier(limits, 0, sandbox::sandboxIdentity(), false,
                                                           {arguments.fd(), inputs.fd(), listing.fd()}));
    sandbox::execute(process, request.input, limits, cancel, result);
    if (result.started)
        interpretBubblewrapExit(listing, result);
    return result;
}

SandboxResult Sandbox::runRlimit(const SandboxRequest &request, const QString &whyNotBubblewrap,
                                 const CancelToken &cancel) const
{
    SandboxResult result;
    result.kind = SandboxKind::Rlimit;
    const SandboxLimits &limits = request.limits;
    const sandbox::Identity identity = sandbox::sandboxIdentity();
    WorkFolder folder;
    if (!folder.isValid()) {
        result.startError = u"cannot create a working folder in %1: %2"_s.arg(QDir::tempPath(), folder.errorString());
        return result;
    }
    QString error;
    for (const sandbox::InputFile &file : request.files) {
        if (!folder.write(file, &error)) {
            result.startError = error;
            return result;
        }
    }
    if (!handOver(folder.path(), &error)) {
        result.startError = error;
        return result;
    }

    // Without a user namespace RLIMIT_NPROC counts every process of the user: only
    // `nobody` (when the engine is root) has few enough for it to mean anything.
    const int processes = identity.drop ? limits.processes : 0;
    result.warning = rlimitWarning(whyNotBubblewrap, processes);
    QProcess process;
    prepareRlimitProcess(process, python(), request.arguments, folder.path(), limits, processes, identity);
    sandbox::execute(process, request.input, limits, cancel, result);
    if (result.started && !result.timedOut && !result.cancelled)
        result.files = folder.list();
    return result; // the folder goes with `folder`
}

} // namespace invoke::engine
