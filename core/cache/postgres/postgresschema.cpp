#include "core/cache/postgres/postgresschema.h"

#include "core/cache/cacheurl.h"
#include "core/cache/postgres/postgresconnection.h"

#include <QtCore/QStringList>
#include <QtSql/QSqlError>

using namespace Qt::StringLiterals;

namespace invoke::cache {

namespace {

const QString Component = u"replay_cache"_s;

// Migration N brings version N-1 to N. Only ever append: a released step is never edited.
const QList<QStringList> &migrations()
{
    static const QList<QStringList> steps{
        // 1: the entries, their key's parts readable (docs/cache.md). The key sorts as bytes
        // (COLLATE "C") so `cache show PREFIX` is a range scan on the primary key.
        {u"CREATE TABLE invoke_replay_entries ("
         "key text COLLATE \"C\" PRIMARY KEY, scope text NOT NULL, bot_key text NOT NULL, "
         "bot_updated_at text NOT NULL, action_type text NOT NULL, parameters text NOT NULL, "
         "output text NOT NULL, input_tokens bigint, output_tokens bigint, "
         "created_at timestamptz NOT NULL, hits bigint NOT NULL DEFAULT 0)"_s,
         u"CREATE INDEX invoke_replay_entries_step ON invoke_replay_entries "
         "(scope, bot_key, action_type, created_at)"_s,
         u"CREATE INDEX invoke_replay_entries_created ON invoke_replay_entries (created_at)"_s},
    };
    return steps;
}

// The stored version: 0 when the version table or our row is missing, -1 on failure.
int readVersion(PostgresConnection &c, QString *why)
{
    QSqlQuery q(c.db);
    if (!c.exec(u"SELECT to_regclass('invoke_schema') IS NOT NULL"_s, why, &q) || !q.next())
        return -1;
    if (!q.value(0).toBool())
        return 0;
    QSqlQuery v(c.db);
    if (!c.exec(u"SELECT version FROM invoke_schema WHERE component = '%1'"_s.arg(Component), why, &v))
        return -1;
    return v.next() ? v.value(0).toInt() : 0;
}

QString newer(const CacheUrl &url, int version)
{
    return u"the replay cache on %1 was written by a newer version of invoke (schema %2, this one reads "
           "up to %3); it was left untouched"_s.arg(url.server()).arg(version).arg(PostgresSchemaVersion);
}

} // namespace

QString ensurePostgresSchema(PostgresConnection &c, const CacheUrl &url)
{
    QString why;
    int version = readVersion(c, &why);
    if (version < 0)
        return u"cannot read the replay cache's schema on %1: %2"_s.arg(url.server(), why);
    if (version > PostgresSchemaVersion)
        return newer(url, version);
    if (version == PostgresSchemaVersion)
        return {};

    const auto failed = [&](const QString &what) {
        c.db.rollback();
        c.broken = true;
        return u"cannot %1 the replay cache's tables on %2: %3 (the first use needs a role that may create "
               "tables; see docs/cache.md)"_s.arg(what, url.server(), why);
    };
    if (!c.db.transaction())
        return u"cannot use the replay cache on %1: %2"_s.arg(url.server(), postgresText(c.db.lastError()));
    // Whoever comes second waits here, then finds the work done.
    if (!c.exec(u"SELECT pg_advisory_xact_lock(%1, 0)"_s.arg(PostgresLockSpace), &why))
        return failed(u"lock"_s);
    if (!c.exec(u"CREATE TABLE IF NOT EXISTS invoke_schema (component text PRIMARY KEY, version integer NOT NULL, "
                 "updated_at timestamptz NOT NULL DEFAULT now())"_s, &why))
        return failed(u"create"_s);
    version = readVersion(c, &why);
    if (version < 0)
        return failed(u"read"_s);
    if (version > PostgresSchemaVersion) {
        c.db.rollback();
        return newer(url, version);
    }
    for (int next = version + 1; next <= PostgresSchemaVersion; ++next)
        for (const QString &sql : migrations().at(next - 1))
            if (!c.exec(sql, &why))
                return failed(u"migrate (to schema %1)"_s.arg(next));
    if (!c.exec(u"INSERT INTO invoke_schema (component, version) VALUES ('%1', %2) ON CONFLICT (component) "
                 "DO UPDATE SET version = EXCLUDED.version, updated_at = now()"_s.arg(Component).arg(PostgresSchemaVersion),
                &why))
        return failed(u"record the version of"_s);
    if (!c.db.commit()) {
        why = postgresText(c.db.lastError());
        return failed(u"create"_s);
    }
    return {};
}

} // namespace invoke::cache
