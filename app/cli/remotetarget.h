#pragma once
// invoke-cli on a server instead of the embedded engine: --endpoint URL (the token from
// INVOKE_AUTH_TOKEN) or --profile NAME (a profile saved in the studio, its token from
// the keychain), for the commands that take a backend.
#include <QtCore/QString>

#include <functional>
#include <memory>

class QCommandLineParser;

namespace invoke {
class Backend;
}

namespace invoke::cli {

struct UsageError;

struct RemoteTarget
{
    QString endpoint; // --endpoint
    QString profile;  // --profile
    bool isSet() const { return !endpoint.isEmpty() || !profile.isEmpty(); }
};

void addRemoteOptions(QCommandLineParser &parser);
// Reads --endpoint / --profile (not both; not with --bots-dir, which is for the
// embedded engine). False with `error` when the line is wrong.
bool readRemoteOptions(const QCommandLineParser &parser, const QString &command, RemoteTarget &target,
                       UsageError *error);

// The backend the target names, its token found; null with `error` when it cannot be
// built (no such profile, an unusable endpoint, an unreadable keychain).
std::unique_ptr<Backend> remoteBackend(const RemoteTarget &target, QString *error);

// Runs `command` on the server the target names, or on `local()` when it names none (or
// the Embedded profile). A target that cannot be reached as configured is an error on
// stderr and ExitFailed.
int runOn(const RemoteTarget &target, const std::function<std::unique_ptr<Backend>()> &local,
          const std::function<int(Backend &)> &command);

} // namespace invoke::cli
