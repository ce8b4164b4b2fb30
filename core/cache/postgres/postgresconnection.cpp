#include "core/cache/postgres/postgresconnection.h"

#include <QtSql/QSqlDriver>
#include <QtSql/QSqlError>
#include <QtSql/QSqlField>

using namespace Qt::StringLiterals;

namespace invoke::cache {

namespace {

constexpr int DefaultConnectTimeoutS = 3; // without it a dead server can block for the kernel's TCP timeout

// libpq options for the driver: the URL's, a connect timeout unless given, and keepalives
// so a server that vanished without closing its sockets is noticed in seconds.
QString connectOptions(const CacheUrl &url)
{
    QStringList options;
    for (const auto &[name, value] : url.options)
        if (name != u"fill_timeout"_s) // ours, not libpq's
            options.append(name + u'=' + value);
    if (url.option(u"connect_timeout"_s).isNull())
        options.append(u"connect_timeout=%1"_s.arg(DefaultConnectTimeoutS));
    if (url.option(u"application_name"_s).isNull())
        options.append(u"application_name=invoke-replay-cache"_s);
    options.append({u"keepalives=1"_s, u"keepalives_idle=10"_s, u"keepalives_interval=3"_s,
                    u"keepalives_count=3"_s});
    return options.join(u';');
}

} // namespace

QString postgresText(const QSqlError &error)
{
    QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    text = text.simplified();
    if (text.startsWith(u"FATAL: "_s) || text.startsWith(u"ERROR: "_s))
        text = text.mid(7);
    if (text.startsWith(u"FATAL:  "_s) || text.startsWith(u"ERROR:  "_s))
        text = text.mid(8).trimmed();
    return text.isEmpty() ? u"unknown PostgreSQL error"_s : text;
}

QString postgresEntryColumns()
{
    return u"key, scope, bot_key, bot_updated_at, action_type, parameters, output, input_tokens, "
           "output_tokens, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), hits"_s;
}

const QString PostgresLookupSql = u"SELECT output, input_tokens, output_tokens, hits FROM invoke_replay_entries "
                                  "WHERE key = ?"_s;
// One statement: an overwrite (refresh) replaces the row at once, readers see old or new.
const QString PostgresStoreSql = u"INSERT INTO invoke_replay_entries (key, scope, bot_key, bot_updated_at, "
                                 "action_type, parameters, output, input_tokens, output_tokens, created_at, hits) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?) ON CONFLICT (key) DO UPDATE SET "
                                 "scope = EXCLUDED.scope, bot_key = EXCLUDED.bot_key, "
                                 "bot_updated_at = EXCLUDED.bot_updated_at, action_type = EXCLUDED.action_type, "
                                 "parameters = EXCLUDED.parameters, output = EXCLUDED.output, "
                                 "input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens, "
                                 "created_at = EXCLUDED.created_at, hits = EXCLUDED.hits"_s;

PostgresConnection::~PostgresConnection()
{
    close();
}

void PostgresConnection::close()
{
    if (db.isValid())
        db.close();
    db = QSqlDatabase();
    if (!name.isEmpty() && QSqlDatabase::contains(name))
        QSqlDatabase::removeDatabase(name);
    name.clear();
}

std::unique_ptr<PostgresConnection> PostgresConnection::open(const CacheUrl &url, const QString &name, QString *error)
{
    auto c = std::make_unique<PostgresConnection>();
    c->name = name;
    const auto fail = [&](const QString &why) -> std::unique_ptr<PostgresConnection> {
        if (error)
            *error = why;
        return nullptr;
    };
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s))
        return fail(u"cannot use the replay cache on %1: Qt's PostgreSQL driver (QPSQL) is not installed "
                    "(Debian: libqt6sql6-psql)"_s.arg(url.server()));
    c->db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
    c->db.setHostName(url.host);
    c->db.setPort(url.port);
    c->db.setDatabaseName(url.database);
    c->db.setUserName(url.user);
    c->db.setPassword(url.password);
    c->db.setConnectOptions(connectOptions(url));
    if (!c->db.open())
        return fail(u"cannot reach the replay cache on %1: %2"_s.arg(url.server(), postgresText(c->db.lastError())));
    // libpq prints the server's notices on stderr ("relation ... already exists, skipping").
    QString why;
    if (!c->exec(u"SET client_min_messages = warning"_s, &why))
        return fail(u"cannot use the replay cache on %1: %2"_s.arg(url.server(), why));
    return c;
}

bool PostgresConnection::exec(const QString &sql, const QVariantList &values, QString *error, QSqlQuery *result)
{
    QString text;
    text.reserve(sql.size() + 64);
    qsizetype next = 0;
    for (const QChar c : sql) {
        if (c != u'?' || next >= values.size()) {
            text.append(c);
            continue;
        }
        const QVariant &value = values.at(next++);
        QSqlField field(QString(), value.metaType());
        field.setValue(value);
        text.append(db.driver()->formatValue(field));
    }
    return exec(text, error, result);
}

bool PostgresConnection::exec(const QString &sql, QString *error, QSqlQuery *result)
{
    QSqlQuery own(db);
    QSqlQuery &q = result ? *result : own;
    q.setForwardOnly(true);
    if (q.exec(sql))
        return true;
    broken = true;
    if (error)
        *error = postgresText(q.lastError());
    return false;
}

} // namespace invoke::cache
