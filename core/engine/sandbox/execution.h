#pragma once
// Internal to the sandbox: running a configured process to its end (Sandbox::run sets it
// up for bubblewrap or the rlimit kind first).
#include "core/engine/sandbox/sandbox.h"

class QProcess;

namespace invoke::engine::sandbox {

// Starts `process`, feeds it `input`, and waits until it ends, the timeout kills its
// whole process group, or `cancel` fires. Fills the streams and the status of `result`.
void execute(QProcess &process, const QByteArray &input, const SandboxLimits &limits, const CancelToken &cancel,
             SandboxResult &result);

} // namespace invoke::engine::sandbox
