#pragma once
// Internal to the sandbox: what the child does between fork and exec, and the bwrap
// command line. Kept apart from the process handling in execution.cpp.
#include "core/engine/sandbox/sandbox.h"

#include <array>
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
// alone (set inside bubblewrap instead, or not enforceable). Every descriptor above
// stderr is closed at exec except those in `inherit` (-1: none), which lose their
// close-on-exec flag: they are made with it, so that a process another thread starts
// meanwhile never inherits them.
using InheritedFds = std::array<int, 3>;
std::function<void()> childModifier(const SandboxLimits &limits, int processes, Identity identity,
                                    bool noNewPrivileges, InheritedFds inherit = {-1, -1, -1});

// bubblewrap's options: every namespace unshared (and no nested user namespace), a
// read-only root with /usr and a read-only /dev, size-capped tmpfs mounts at /tmp and
// /dev/shm (the tmp size each) and /workspace (the current folder), a clean environment. They name host folders, so they go to bwrap through `--args FD`, never its
// command line (see Sandbox::runBubblewrap); bwrap takes the command itself only from its command
// line, and that names no host folder.
QStringList bubblewrapArguments(const QString &python, const SandboxLimits &limits);

// The command of a program run, after "--" on bwrap's command line: launcher.h's launcher, which writes the inputs
// from `inputFd`, runs `python -B -s arguments...` and lists the work folder into
// `listingFd`.
QStringList launcherCommand(const QString &python, int processes, int inputFd, int listingFd,
                            const QStringList &arguments);

// Where the work folder is inside bubblewrap.
QString insideWorkFolder();

// The interpreter: `preferred` when set, /usr/bin/python3 when present, else python3 on PATH.
QString findPython(const QString &preferred);

} // namespace invoke::engine::sandbox
