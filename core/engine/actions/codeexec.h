#pragma once
// codeexec.execute (alias codeexec.run): runs Python 3 in the sandbox (sandbox/sandbox.h).
//
// Parameters: `code_files` [{filename, content}] written into a fresh working folder;
// `entrypoint` the file to run (default: the only code file); `parameters` any JSON,
// written as `parameters.json` in the working folder and also given on stdin;
// `timeout_seconds` (default 30, at most 300).
// Output: {output, error, exit_code, files, sandbox, network, timed_out[, warning]}
// with stdout/stderr capped (64 KiB each, a marker where cut) and `files` the new or
// changed files [{name, size, content (small text)}].
// The step fails when the program exits non-zero, is killed (timeout, a limit, cancel)
// or cannot start; its error names why and ends with stderr's last lines, and the
// output object is kept so the step still shows what the program printed.
#include "core/engine/action.h"
#include "core/engine/sandbox/sandbox.h"

namespace invoke::engine {

class CodeExecAction : public Action
{
public:
    struct Options
    {
        Sandbox::Options sandbox;
        SandboxLimits limits;             // timeoutSeconds is the default timeout
        int maxTimeoutSeconds = 300;
    };

    explicit CodeExecAction(Options options);
    CodeExecAction();

    ActionOutcome run(const ActionCall &call, ActionContext &context) override;
    // Makes the defaults explicit (entrypoint, parameters, timeout_seconds).
    Json effectiveParameters(const Json &rendered, const ActionContext &context) const override;

private:
    Options m_options;
};

} // namespace invoke::engine
