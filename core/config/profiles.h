#pragma once
// Where bots run, by name: "Embedded" (the engine in this process, always there) and
// any number of remote profiles (a name and a server endpoint). Names and endpoints are
// kept in settings (group "profiles"); a profile's token only in the OS keychain, under
// tokenKey(name) — never in a settings file. The studio and invoke-cli read the same.
#include "core/config/secretstore.h"

#include <QtCore/QList>
#include <QtCore/QUrl>

#include <optional>

class QSettings;

namespace invoke {

struct Profile
{
    QString name;
    QUrl endpoint; // empty for Embedded

    bool isEmbedded() const { return endpoint.isEmpty(); }
    bool operator==(const Profile &) const = default;
};

class ProfileStore
{
public:
    // Both are borrowed and must outlive the store; `secrets` may be null (no tokens).
    ProfileStore(QSettings *settings, SecretStore *secrets);

    static QString embeddedName() { return QStringLiteral("Embedded"); }
    // The keychain entry of a profile's token.
    static QString tokenKey(const QString &name) { return QStringLiteral("profile-token:") + name; }

    // Embedded first, then the remote profiles in the order they were added.
    QList<Profile> profiles() const;
    QStringList names() const;
    std::optional<Profile> find(const QString &name) const; // names compare case-insensitively

    // Adds a profile, or replaces the one named `previousName` (a rename keeps its place).
    // False with `error` for an empty or taken name, "Embedded", or an unusable endpoint.
    bool save(const Profile &profile, const QString &previousName = {}, QString *error = nullptr);
    // Removes a remote profile from settings (its token: removeToken()).
    bool remove(const QString &name);

    // The profile chosen last; Embedded when none was, or when it no longer exists.
    QString current() const;
    void setCurrent(const QString &name);

    // The token in the keychain, asynchronously (see SecretStore). An empty token removes
    // the entry. Without a SecretStore every job fails with status Unavailable.
    void readToken(const QString &name, QObject *context, SecretStore::Callback done) const;
    void writeToken(const QString &name, const QString &token, QObject *context, SecretStore::Callback done);
    void removeToken(const QString &name, QObject *context, SecretStore::Callback done);

    // Why `endpoint` cannot be a server's address; empty when it can.
    static QString endpointProblem(const QUrl &endpoint);

private:
    QList<Profile> remoteProfiles() const;
    void writeRemoteProfiles(const QList<Profile> &profiles);

    QSettings *m_settings;
    SecretStore *m_secrets;
};

} // namespace invoke
