#pragma once
// Internal to the sandbox: what the child does between fork and exec, and the bwrap
// command line. Kept apart from the process handling in sandbox.cpp.
#include "core/engine/sandbox/sandbox.h"

#include <functional>

namespace invoke::engine::sandbox {

// Who the program runs as: itself, or `nobody` when the engine runs as root.
struct Identity
{
    bool drop = false;
    unsigned uid = 0;
    unsigned gid = 0;
};
Identity sandboxIdentity();

// Runs in the forked child before exec: a new session (so the whole group can be
// killed), the rlimits, dropping root, then the parent-death signal (a credential
// change clears it). Only async-signal-safe calls. `processes` <= 0 leaves RLIMIT_NPROC
// alone (set inside bubblewrap instead, or not enforceable).
std::function<void()> childModifier(const SandboxLimits &limits, int processes, Identity identity,
                                    bool noNewPrivileges);

// `bwrap ... python -B -s -c <launcher> NPROC arguments...`: the launcher sets
// RLIMIT_NPROC inside the new user namespace (outside it would count every process of
// the user, bwrap's own fork included) and execs the program.
QStringList bubblewrapArguments(const QString &workFolder, const QString &python, int processes,
                                const QStringList &arguments);

// The interpreter: `preferred` when set, /usr/bin/python3 when present, else python3 on PATH.
QString findPython(const QString &preferred);

} // namespace invoke::engine::sandbox
