#include "core/engine/sandbox/execution.h"

#include "core/engine/action.h"
#include "core/engine/sandbox/cappedstream.h"

#include <QtCore/QEventLoop>
#include <QtCore/QProcess>
#include <QtCore/QTimer>

#include <signal.h>

using namespace Qt::StringLiterals;

namespace invoke::engine::sandbox {

void execute(QProcess &process, const QByteArray &input, const SandboxLimits &limits, const CancelToken &cancel,
             SandboxResult &result)
{
    CappedStream out(limits.streamBytes);
    CappedStream err(limits.streamBytes);
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    timeout.setInterval(std::max(1, limits.timeoutSeconds) * 1000);
    // The whole process group: the program's children too (bubblewrap's namespace dies
    // with its first process anyway).
    const auto killAll = [&process] {
        if (const qint64 pid = process.processId(); pid > 0)
            ::kill(-pid_t(pid), SIGKILL);
        process.kill();
    };
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &loop,
                     [&] { out.append(process.readAllStandardOutput()); });
    QObject::connect(&process, &QProcess::readyReadStandardError, &loop,
                     [&] { err.append(process.readAllStandardError()); });
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&process, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            loop.quit();
    });
    QObject::connect(&timeout, &QTimer::timeout, &loop, [&] {
        result.timedOut = true;
        killAll();
    });
    // cancel() may come from any thread: queue it to `loop`, which lives here.
    QObject::connect(&cancel, &CancelToken::cancelled, &loop, [&] {
        result.cancelled = true;
        killAll();
    }, Qt::QueuedConnection);

    if (cancel.isCancelled()) {
        result.cancelled = true;
        return;
    }
    process.start();
    if (!process.waitForStarted(30000)) {
        result.startError = u"cannot start %1: %2"_s.arg(process.program(), process.errorString());
        killAll();
        process.waitForFinished(5000);
        return;
    }
    result.started = true;
    timeout.start();
    process.write(input);
    process.closeWriteChannel();
    if (cancel.isCancelled()) { // cancelled before the connection was made
        result.cancelled = true;
        killAll();
    }
    if (process.state() != QProcess::NotRunning)
        loop.exec();
    timeout.stop();
    out.append(process.readAllStandardOutput());
    err.append(process.readAllStandardError());

    result.output = out.text();
    result.error = err.text();
    result.outputCut = out.cut();
    result.errorCut = err.cut();
    result.errorTail = err.tail();
    if (process.exitStatus() == QProcess::CrashExit)
        result.signal = process.exitCode(); // Qt reports the terminating signal here
    else
        result.exitCode = process.exitCode();
}

} // namespace invoke::engine::sandbox
