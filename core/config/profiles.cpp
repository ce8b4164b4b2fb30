#include "core/config/profiles.h"

#include <QtCore/QSettings>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace invoke {

namespace {

const QString kGroup = u"profiles"_s;
const QString kArray = u"remote"_s;

void unavailable(QObject *context, const SecretStore::Callback &done)
{
    SecretResult result;
    result.status = SecretResult::Unavailable;
    result.error = u"No keychain is available for profile tokens."_s;
    QTimer::singleShot(0, context, [done, result] { done(result); });
}

} // namespace

ProfileStore::ProfileStore(QSettings *settings, SecretStore *secrets) : m_settings(settings), m_secrets(secrets)
{
}

QList<Profile> ProfileStore::remoteProfiles() const
{
    QList<Profile> profiles;
    m_settings->beginGroup(kGroup);
    const int count = m_settings->beginReadArray(kArray);
    for (int i = 0; i < count; ++i) {
        m_settings->setArrayIndex(i);
        Profile profile;
        profile.name = m_settings->value(u"name"_s).toString().trimmed();
        profile.endpoint = QUrl(m_settings->value(u"endpoint"_s).toString().trimmed());
        // A hand-edited entry without a name or endpoint cannot be used: left out.
        if (!profile.name.isEmpty() && !profile.endpoint.isEmpty())
            profiles.append(profile);
    }
    m_settings->endArray();
    m_settings->endGroup();
    return profiles;
}

void ProfileStore::writeRemoteProfiles(const QList<Profile> &profiles)
{
    m_settings->beginGroup(kGroup);
    m_settings->remove(kArray);
    m_settings->beginWriteArray(kArray, int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        m_settings->setArrayIndex(i);
        m_settings->setValue(u"name"_s, profiles[i].name);
        m_settings->setValue(u"endpoint"_s, profiles[i].endpoint.toString());
    }
    m_settings->endArray();
    m_settings->endGroup();
    m_settings->sync();
}

QList<Profile> ProfileStore::profiles() const
{
    return QList<Profile>{Profile{embeddedName(), {}}} + remoteProfiles();
}

QStringList ProfileStore::names() const
{
    QStringList names;
    for (const Profile &profile : profiles())
        names << profile.name;
    return names;
}

std::optional<Profile> ProfileStore::find(const QString &name) const
{
    for (const Profile &profile : profiles())
        if (profile.name.compare(name.trimmed(), Qt::CaseInsensitive) == 0)
            return profile;
    return std::nullopt;
}

QString ProfileStore::endpointProblem(const QUrl &endpoint)
{
    if (endpoint.isEmpty())
        return u"the endpoint is empty (e.g. http://127.0.0.1:8642)"_s;
    if (!endpoint.isValid() || (endpoint.scheme() != u"http"_s && endpoint.scheme() != u"https"_s)
        || endpoint.host().isEmpty())
        return u"\"%1\" is not an http:// or https:// URL (e.g. http://127.0.0.1:8642)"_s.arg(endpoint.toString());
    if (!endpoint.userInfo().isEmpty())
        return u"the endpoint holds a user name or password; put the token in the token field instead"_s;
    return {};
}

bool ProfileStore::save(const Profile &given, const QString &previousName, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    Profile profile = given;
    profile.name = profile.name.trimmed();
    if (profile.name.isEmpty())
        return fail(u"the profile needs a name"_s);
    if (profile.name.compare(embeddedName(), Qt::CaseInsensitive) == 0)
        return fail(u"\"%1\" is the built-in profile; choose another name"_s.arg(embeddedName()));
    if (const QString problem = endpointProblem(profile.endpoint); !problem.isEmpty())
        return fail(problem);

    QList<Profile> profiles = remoteProfiles();
    qsizetype replaced = -1;
    for (qsizetype i = 0; i < profiles.size(); ++i) {
        const bool isPrevious = !previousName.isEmpty() && profiles[i].name.compare(previousName, Qt::CaseInsensitive) == 0;
        if (isPrevious)
            replaced = i;
        else if (profiles[i].name.compare(profile.name, Qt::CaseInsensitive) == 0)
            return fail(u"a profile named \"%1\" exists already"_s.arg(profiles[i].name));
    }
    if (replaced >= 0)
        profiles[replaced] = profile;
    else
        profiles.append(profile);
    const bool wasCurrent = replaced >= 0 && current().compare(previousName, Qt::CaseInsensitive) == 0;
    writeRemoteProfiles(profiles);
    if (wasCurrent)
        setCurrent(profile.name);
    return true;
}

bool ProfileStore::remove(const QString &name)
{
    QList<Profile> profiles = remoteProfiles();
    const qsizetype removed = profiles.removeIf(
        [&name](const Profile &p) { return p.name.compare(name, Qt::CaseInsensitive) == 0; });
    if (removed == 0)
        return false;
    writeRemoteProfiles(profiles);
    return true;
}

QString ProfileStore::current() const
{
    const QString saved = m_settings->value(kGroup + u"/current"_s).toString();
    const std::optional<Profile> profile = find(saved);
    return profile ? profile->name : embeddedName();
}

void ProfileStore::setCurrent(const QString &name)
{
    m_settings->setValue(kGroup + u"/current"_s, name);
    m_settings->sync();
}

void ProfileStore::readToken(const QString &name, QObject *context, SecretStore::Callback done) const
{
    if (!m_secrets)
        return unavailable(context, done);
    m_secrets->read(tokenKey(name), context, std::move(done));
}

void ProfileStore::writeToken(const QString &name, const QString &token, QObject *context,
                              SecretStore::Callback done)
{
    if (token.isEmpty())
        return removeToken(name, context, std::move(done));
    if (!m_secrets)
        return unavailable(context, done);
    m_secrets->write(tokenKey(name), token, context, std::move(done));
}

void ProfileStore::removeToken(const QString &name, QObject *context, SecretStore::Callback done)
{
    if (!m_secrets)
        return unavailable(context, done);
    m_secrets->remove(tokenKey(name), context, [done](const SecretResult &result) {
        // Nothing to remove is what removing wanted.
        if (result.status == SecretResult::NotFound) {
            SecretResult ok;
            ok.status = SecretResult::Ok;
            done(ok);
            return;
        }
        done(result);
    });
}

} // namespace invoke
