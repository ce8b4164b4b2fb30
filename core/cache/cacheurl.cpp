#include "core/cache/cacheurl.h"

#include <QtCore/QRegularExpression>
#include <QtCore/QUrl>
#include <QtCore/QUrlQuery>

using namespace Qt::StringLiterals;

namespace invoke::cache {

namespace {

std::optional<CacheUrl> fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

// The libpq options a cache URL may carry; anything else is more likely a typo than a wish.
const QStringList &knownOptions()
{
    static const QStringList names{u"sslmode"_s, u"sslrootcert"_s, u"sslcert"_s, u"sslkey"_s, u"sslcrl"_s,
                                   u"connect_timeout"_s, u"application_name"_s,
                                   u"fill_timeout"_s}; // ours: how long a second process waits for a key's answer
    return names;
}

const QStringList &sslModes()
{
    static const QStringList modes{u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s,
                                   u"verify-full"_s};
    return modes;
}

std::optional<CacheUrl> parsePostgres(const QString &text, QString *error)
{
    const QString shown = maskCacheUrlPassword(text);
    const auto bad = [&](const QString &why) {
        return fail(error, u"cache URL %1: %2 (expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
                           "[?sslmode=MODE])"_s.arg(shown, why));
    };
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return bad(url.errorString().replace(text, shown));
    CacheUrl c;
    c.kind = CacheUrl::Postgres;
    c.user = url.userName(QUrl::FullyDecoded);
    c.password = url.password(QUrl::FullyDecoded);
    c.host = url.host(QUrl::FullyDecoded);
    c.database = url.path(QUrl::FullyDecoded).mid(1);
    if (c.user.isEmpty())
        return bad(u"no user"_s);
    if (c.host.isEmpty())
        return bad(u"no host"_s);
    if (c.database.isEmpty() || c.database.contains(u'/'))
        return bad(u"no database name after the host"_s);
    if (url.port() == 0)
        return bad(u"port 0"_s);
    c.port = url.port(5432);
    if (!url.fragment().isEmpty())
        return bad(u"a fragment (#...) means nothing here"_s);
    const QUrlQuery query(url);
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!knownOptions().contains(name))
            return bad(u"unknown option \"%1\" (known: %2)"_s.arg(name, knownOptions().join(u", "_s)));
        if (name == u"sslmode"_s && !sslModes().contains(value))
            return bad(u"sslmode \"%1\" is not one of %2"_s.arg(value, sslModes().join(u", "_s)));
        if (name == u"connect_timeout"_s || name == u"fill_timeout"_s) {
            bool ok = false;
            if (value.toDouble(&ok) < 0 || !ok)
                return bad(u"connect_timeout \"%1\" is not a number of seconds"_s.arg(value));
        }
        if (!c.option(name).isNull())
            return bad(u"option \"%1\" is given twice"_s.arg(name));
        c.options.append({name, value});
    }
    return c;
}

} // namespace

std::optional<CacheUrl> CacheUrl::parse(const QString &input, QString *error)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return fail(error, u"the cache URL is empty"_s);
    static const QRegularExpression scheme(u"^([A-Za-z][A-Za-z0-9+.-]*):"_s);
    const auto match = scheme.match(text);
    const QString name = match.hasMatch() ? match.captured(1).toLower() : QString();
    if (name == u"postgresql"_s || name == u"postgres"_s)
        return parsePostgres(text, error);
    CacheUrl c;
    if (name == u"sqlite"_s) {
        c.filePath = text.mid(match.capturedLength());
        if (c.filePath.startsWith(u"//"_s)) // sqlite:///abs/path, as some tools write it
            c.filePath = c.filePath.mid(2);
        if (c.filePath.isEmpty())
            return fail(error, u"cache URL %1: no file after sqlite:"_s.arg(text));
        return c;
    }
    if (text.contains(u"://"_s) && match.hasMatch())
        return fail(error, u"cache URL %1: unknown kind \"%2\" (expected a file path, sqlite:PATH or "
                           "postgresql://USER@HOST/DATABASE)"_s.arg(maskCacheUrlPassword(text), name));
    c.filePath = text; // a path, even one with a colon in it
    return c;
}

QString CacheUrl::option(const QString &name) const
{
    for (const auto &[key, value] : options)
        if (key == name)
            return value;
    return {};
}

namespace {

QString buildUrl(const CacheUrl &c, const QString &password)
{
    QUrl url;
    url.setScheme(u"postgresql"_s);
    url.setUserName(c.user);
    if (!password.isEmpty())
        url.setPassword(password);
    url.setHost(c.host);
    url.setPort(c.port);
    url.setPath(u'/' + c.database);
    if (!c.options.isEmpty()) {
        QUrlQuery query;
        query.setQueryItems(c.options);
        url.setQuery(query);
    }
    return url.toString(QUrl::FullyEncoded);
}

} // namespace

QString CacheUrl::display() const
{
    if (kind == Sqlite)
        return filePath;
    // "***" would be percent-encoded by QUrl; set a marker and swap it afterwards.
    return password.isEmpty() ? buildUrl(*this, {}) : buildUrl(*this, u"MASKED"_s).replace(u":MASKED@"_s, u":***@"_s);
}

QString CacheUrl::server() const
{
    if (kind == Sqlite)
        return filePath;
    return u"PostgreSQL server %1:%2 (database %3, user %4)"_s.arg(host).arg(port).arg(database, user);
}

QString CacheUrl::toString() const
{
    return kind == Sqlite ? filePath : buildUrl(*this, password);
}

QString maskCacheUrlPassword(const QString &text)
{
    // scheme://user:password@ -> scheme://user:***@ for any scheme (a mistyped one too).
    // The user part has no '/', '@' or ':'; the password runs to the last '@' before the
    // host's '/', so one with an unencoded '@' is masked whole.
    static const QRegularExpression secret(u"([A-Za-z][A-Za-z0-9+.-]*://[^/@:\\s]*):[^/\\s]*@"_s);
    QString masked = text;
    return masked.replace(secret, u"\\1:***@"_s);
}

} // namespace invoke::cache
