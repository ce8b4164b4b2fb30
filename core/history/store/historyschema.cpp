#include "core/history/store/historyschema.h"

#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlDriver>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace invoke::history {

namespace {

// What each version adds to the one before; a file of version N runs the steps from N on.
// Every statement may run again (IF NOT EXISTS), so two processes migrating at once agree.
const char *const kVersion1[] = {
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS runs("
    " id INTEGER PRIMARY KEY,"
    " invocation_id TEXT NOT NULL DEFAULT '',"
    " bot_key TEXT NOT NULL, bot_name TEXT NOT NULL DEFAULT '',"
    " started_at INTEGER NOT NULL, mode TEXT NOT NULL DEFAULT '', profile TEXT NOT NULL DEFAULT '',"
    " bot_updated_at TEXT NOT NULL DEFAULT '', bot_plan TEXT,"
    " outcome TEXT NOT NULL, duration_ms INTEGER NOT NULL DEFAULT -1, tokens INTEGER NOT NULL DEFAULT 0,"
    " event_count INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,"
    " pinned INTEGER NOT NULL DEFAULT 0, request TEXT NOT NULL, error TEXT NOT NULL DEFAULT '',"
    " result_text TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX IF NOT EXISTS runs_started ON runs(started_at)",
    "CREATE INDEX IF NOT EXISTS runs_bot ON runs(bot_key, started_at)",
    "CREATE INDEX IF NOT EXISTS runs_invocation ON runs(invocation_id)",
    "CREATE TABLE IF NOT EXISTS run_events(run_id INTEGER NOT NULL, chunk INTEGER NOT NULL,"
    " data BLOB NOT NULL, PRIMARY KEY(run_id, chunk)) WITHOUT ROWID",
};
// Version 2: the bot definitions the runs ran, each content once (core/history/store/storedbots.h),
// and an index for the size cap.
const char *const kVersion2[] = {
    "CREATE TABLE IF NOT EXISTS bot_sources(id INTEGER PRIMARY KEY, bot_key TEXT NOT NULL,"
    " updated_at TEXT NOT NULL, file_name TEXT NOT NULL DEFAULT '', digest BLOB NOT NULL,"
    " content BLOB NOT NULL, UNIQUE(bot_key, updated_at, digest))",
    "CREATE TABLE IF NOT EXISTS run_bots(run_id INTEGER NOT NULL, bot_id INTEGER NOT NULL,"
    " UNIQUE(run_id, bot_id))",
    "CREATE INDEX IF NOT EXISTS run_bots_bot ON run_bots(bot_id)",
    // The size cap's sum after every run reads this index, not every run's row (10,000
    // runs: ~10 MB of rows read by each invoke-cli run before).
    "CREATE INDEX IF NOT EXISTS runs_bytes ON runs(bytes)",
};

bool fail(QString *error, const QString &path, const QString &what, const QSqlError &sql)
{
    if (error)
        *error = u"the run history %1: %2: %3"_s.arg(path, what, sql.text());
    return false;
}

// A connection that goes away leaves the WAL as it is instead of copying it into the
// file: that copy syncs both files to the disk, ~20 ms for every invoke-cli run (the
// bench in tests/bench/bench_remoteplan.cpp). Committed runs stay in the WAL, where the
// next connection reads them (and a crash of this process loses none of them: the WAL
// is written before a commit returns). The first connection to open the file reads the
// WAL back to index it (about 5 us a page), so it is kept short: SQLite copies it into
// the file once it grows past 256 pages (wal_autocheckpoint), about once in 30 runs of
// invoke-cli, where the copy's two syncs cost what one run used to.
void keepWalOnClose(QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return;
    if (sqlite3 *raw = *static_cast<sqlite3 *const *>(handle.constData()))
        sqlite3_db_config(raw, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
}

} // namespace

bool prepareHistoryDatabase(QSqlDatabase &db, const QString &path, QString *error)
{
    QSqlQuery q(db);
    // WAL: readers (another studio, invoke-cli runs list) never wait on a writing run.
    // synchronous=NORMAL: a commit is in the WAL when it returns (a process that crashes
    // loses nothing committed); only a power cut can lose the last commits, never the
    // file's consistency (docs/runs.md).
    q.exec(u"PRAGMA journal_mode=WAL"_s);
    q.exec(u"PRAGMA synchronous=NORMAL"_s);
    q.exec(u"PRAGMA wal_autocheckpoint=256"_s);
    keepWalOnClose(db);
    int version = 0;
    if (!q.exec(u"SELECT value FROM meta WHERE key = 'schema_version'"_s)) {
        if (!q.lastError().text().contains(u"no such table"_s))
            return fail(error, path, u"is not a run history (or is damaged)"_s, q.lastError());
    } else if (q.next()) {
        version = q.value(0).toInt();
    }
    if (version > kHistorySchemaVersion) {
        if (error)
            *error = u"the run history %1 was written by a newer version (schema %2, this one reads %3): "
                     "it is left as it is"_s.arg(path).arg(version).arg(kHistorySchemaVersion);
        return false;
    }
    if (version == kHistorySchemaVersion)
        return true;
    QList<const char *> steps;
    if (version < 1)
        steps.append(QList<const char *>(std::begin(kVersion1), std::end(kVersion1)));
    if (version < 2)
        steps.append(QList<const char *>(std::begin(kVersion2), std::end(kVersion2)));
    if (!db.transaction())
        return fail(error, path, u"cannot be written"_s, db.lastError());
    for (const char *statement : std::as_const(steps)) {
        if (!q.exec(QString::fromLatin1(statement))) {
            const QSqlError why = q.lastError();
            db.rollback();
            return fail(error, path, version == 0 ? u"cannot create its tables"_s
                                                  : u"cannot be brought to schema %1"_s.arg(kHistorySchemaVersion),
                        why);
        }
    }
    q.prepare(u"INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?)"_s);
    q.addBindValue(QString::number(kHistorySchemaVersion));
    if (!q.exec()) {
        const QSqlError why = q.lastError();
        db.rollback();
        return fail(error, path, u"cannot be written"_s, why);
    }
    return db.commit() || fail(error, path, u"cannot be written"_s, db.lastError());
}

} // namespace invoke::history
