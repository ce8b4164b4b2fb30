#include "app/cli/remotetarget.h"
#include "app/cli/cliarguments.h"
#include "app/cli/console.h"

#include "core/backend/remotebackend.h"
#include "core/config/appidentity.h"
#include "core/config/environmentsecret.h"
#include "core/config/profiles.h"
#include "core/config/secretstore.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QEventLoop>
#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

namespace invoke::cli {

void addRemoteOptions(QCommandLineParser &parser)
{
    parser.addOption({u"endpoint"_s, u"endpoint"_s, u"URL"_s});
    parser.addOption({u"profile"_s, u"profile"_s, u"NAME"_s});
}

bool readRemoteOptions(const QCommandLineParser &parser, const QString &command, RemoteTarget &target,
                       UsageError *error)
{
    auto fail = [&](const QString &message) {
        if (error)
            *error = UsageError{message, command, true};
        return false;
    };
    target.endpoint = parser.value(u"endpoint"_s).trimmed();
    target.profile = parser.value(u"profile"_s).trimmed();
    if (parser.isSet(u"endpoint"_s) && parser.isSet(u"profile"_s))
        return fail(u"--endpoint and --profile both name a server: give one"_s);
    if (parser.isSet(u"endpoint"_s)) {
        if (const QString problem = ProfileStore::endpointProblem(QUrl(target.endpoint)); !problem.isEmpty())
            return fail(u"--endpoint: "_s + problem);
    }
    if (parser.isSet(u"profile"_s) && target.profile.isEmpty())
        return fail(u"--profile needs the NAME of a profile"_s);
    // Only the options this command has: isSet() warns about the others.
    const QStringList given = parser.optionNames();
    for (const QString &local : {u"bots-dir"_s, u"datasets-dir"_s})
        if (target.isSet() && given.contains(local))
            return fail(u"--%1 adds folders to the embedded engine; a server has its own"_s.arg(local));
    return true;
}

std::unique_ptr<Backend> remoteBackend(const RemoteTarget &target, QString *error)
{
    RemoteBackend::Options options;
    if (!target.profile.isEmpty()) {
        QSettings settings;
        SecretStore secrets(keychainService());
        secrets.setTimeoutMs(5000);
        ProfileStore profiles(&settings, &secrets);
        const std::optional<Profile> profile = profiles.find(target.profile);
        if (!profile) {
            const QStringList names = profiles.names();
            *error = u"no profile named \"%1\" (the profiles: %2; add one in invoke-studio, or use --endpoint)"_s
                         .arg(target.profile, names.join(u", "_s));
            return nullptr;
        }
        if (profile->isEmbedded())
            return nullptr; // the caller runs the embedded engine
        options.endpoint = profile->endpoint;
        options.name = profile->name;
        options.tokenHint = u"set the profile's token in invoke-studio (Profiles…)"_s;
        QEventLoop loop;
        SecretResult token;
        bool done = false;
        profiles.readToken(profile->name, &loop, [&](const SecretResult &result) {
            token = result;
            done = true;
            loop.quit();
        });
        if (!done)
            loop.exec();
        if (token.ok()) {
            options.token = token.value;
        } else if (token.status != SecretResult::NotFound) {
            *error = u"the token of profile \"%1\" could not be read: %2 (or use --endpoint with %3)"_s
                         .arg(profile->name, token.error, u"INVOKE_AUTH_TOKEN"_s);
            return nullptr;
        }
    } else {
        options.endpoint = QUrl(target.endpoint);
        options.token = takeSecretFromEnvironment("INVOKE_AUTH_TOKEN").value_or(QString());
        options.tokenHint = u"set INVOKE_AUTH_TOKEN"_s;
    }
    return std::make_unique<RemoteBackend>(options);
}

int runOn(const RemoteTarget &target, const std::function<std::unique_ptr<Backend>()> &local,
          const std::function<int(Backend &)> &command)
{
    if (!target.isSet())
        return command(*local());
    QString error;
    std::unique_ptr<Backend> backend = remoteBackend(target, &error);
    if (!error.isEmpty()) {
        printErr(u"error: "_s + error + u'\n');
        return ExitFailed;
    }
    return command(backend ? *backend : *local());
}

} // namespace invoke::cli
