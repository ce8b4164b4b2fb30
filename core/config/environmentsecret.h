#pragma once
// Secrets handed to a program in its environment (INVOKE_LLM_API_KEY, INVOKE_AUTH_TOKEN)
// are read once and then removed from the process environment, so neither a child
// process nor anything reading /proc/PID/environ of this process finds them.
#include <QtCore/QString>

#include <optional>

namespace invoke {

// The value of `name` from the environment, which is then wiped: its bytes in the block
// /proc/self/environ shows are overwritten (glibc's unsetenv only drops the pointer, the
// original text stays readable there) and the variable is unset. The value is kept in
// this process's memory: later calls return it again. std::nullopt when it was never set.
// Call it at start-up, before other threads read the environment.
std::optional<QString> takeSecretFromEnvironment(const char *name);

// Takes INVOKE_LLM_API_KEY, INVOKE_AUTH_TOKEN and INVOKE_CACHE_URL (see above), for a program that runs
// code it did not write (the engine).
void takeKnownSecretsFromEnvironment();

} // namespace invoke
