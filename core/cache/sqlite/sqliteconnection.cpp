#include "core/cache/sqlite/sqliteconnection.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtSql/QSqlDriver>
#include <QtSql/QSqlError>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace invoke::cache {

namespace {

constexpr int SchemaVersion = 1;
constexpr int BusyTimeoutMs = 5000;
const QString Columns = u"key, scope, bot_key, bot_updated_at, action_type, parameters, output, "
                        "input_tokens, output_tokens, created_at, hits"_s;

// Runs one statement; the first column of every row goes to `rows`. Returns the error.
QString runSql(const QSqlDatabase &db, const QString &sql, QStringList *rows = nullptr)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(sql))
        return sqlText(q.lastError());
    if (rows) {
        rows->clear();
        while (q.next())
            rows->append(q.value(0).toString());
    }
    return {};
}

} // namespace

QString sqlText(const QSqlError &error)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return text.isEmpty() ? u"unknown SQLite error"_s : text;
}

// The JSON is stored as TEXT (readable in any SQLite tool) but read as BLOB: its UTF-8
// bytes go straight to the JSON parser, with no UTF-16 round trip.
QString sqlEntryColumns()
{
    return u"key, scope, bot_key, bot_updated_at, action_type, CAST(parameters AS BLOB), "
           "CAST(output AS BLOB), input_tokens, output_tokens, created_at, hits"_s;
}

void SqliteConnection::close()
{
    std::lock_guard lock(mutex);
    if (closed)
        return;
    closed = true;
    sqlite3_finalize(fastLookup);
    fastLookup = nullptr;
    lookup.reset();
    store.reset();
    addHits.reset();
    if (db.isValid())
        db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(name);
}

std::shared_ptr<SqliteConnection> SqliteConnection::open(const QString &path, const QString &name, QString *error)
{
    const QString file = QDir::toNativeSeparators(path);
    auto c = std::make_shared<SqliteConnection>();
    c->name = name;
    bool ours = false;
    QString why = c->openFile(path);
    if (why.isEmpty())
        why = c->checkSchema(file, &ours);
    if (why.isEmpty() && !ours) {
        // The key's parts are kept readable so a user can see why a replay missed.
        if (const QString failed = runSql(c->db, u"CREATE TABLE IF NOT EXISTS replay_entries ("
                                          "key TEXT PRIMARY KEY NOT NULL, scope TEXT NOT NULL, "
                                          "bot_key TEXT NOT NULL, bot_updated_at TEXT NOT NULL, "
                                          "action_type TEXT NOT NULL, parameters TEXT NOT NULL, "
                                          "output TEXT NOT NULL, input_tokens INTEGER, output_tokens INTEGER, "
                                          "created_at TEXT NOT NULL, hits INTEGER NOT NULL DEFAULT 0)"_s);
            !failed.isEmpty())
            why = u"cannot create the replay cache %1: %2"_s.arg(file, failed);
        runSql(c->db, u"CREATE INDEX IF NOT EXISTS replay_entries_created ON replay_entries (created_at)"_s);
        runSql(c->db, u"PRAGMA user_version = %1"_s.arg(SchemaVersion));
    }
    if (why.isEmpty()) {
        // Explaining a miss asks for the newest entry of one bot and action type.
        runSql(c->db, u"CREATE INDEX IF NOT EXISTS replay_entries_step ON replay_entries "
                      "(scope, bot_key, action_type, created_at)"_s);
        why = c->prepareStatements(file);
    }
    if (!why.isEmpty()) {
        c->close();
        if (error)
            *error = why;
        return nullptr;
    }
    return c;
}

QString SqliteConnection::openFile(const QString &path)
{
    const QString file = QDir::toNativeSeparators(path);
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return u"cannot create the folder of the replay cache %1"_s.arg(file);
    if (info.exists() && !info.isFile())
        return u"replay cache %1 is not a file"_s.arg(file);
    if (QSqlDatabase::contains(name)) // a connection left by an ended thread with the same id
        QSqlDatabase::removeDatabase(name);
    db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
    db.setDatabaseName(path);
    if (!db.open())
        return u"cannot open the replay cache %1: %2"_s.arg(file, sqlText(db.lastError()));
    runSql(db, u"PRAGMA busy_timeout = %1"_s.arg(BusyTimeoutMs));
    return {};
}

QString SqliteConnection::checkSchema(const QString &file, bool *ours)
{
    QStringList rows;
    // Read before writing anything: a file that is not ours is reported and left untouched.
    if (const QString why = runSql(db, u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s, &rows);
        !why.isEmpty()) {
        if (why.contains(u"not a database"_s))
            return u"cache file %1 is not a SQLite database; it was left untouched "
                   "(move it away or delete it to start a new replay cache)"_s.arg(file);
        return u"cannot read the replay cache %1: %2; it was left untouched"_s.arg(file, why);
    }
    const QStringList tables = rows;
    if (const QString why = runSql(db, u"PRAGMA user_version"_s, &rows); !why.isEmpty())
        return u"cannot read the replay cache %1: %2"_s.arg(file, why);
    const int schema = rows.value(0).toInt();
    if (schema > SchemaVersion)
        return u"replay cache %1 was written by a newer version (schema %2, this one reads %3); "
               "it was left untouched"_s.arg(file).arg(schema).arg(SchemaVersion);
    *ours = tables.contains(u"replay_entries"_s);
    if (!*ours && !tables.isEmpty())
        return u"%1 is a SQLite database but not a replay cache (it holds the tables %2); "
               "it was left untouched"_s.arg(file, tables.join(u", "_s));
    if (const QString why = runSql(db, u"PRAGMA journal_mode = WAL"_s); !why.isEmpty())
        return u"cannot use the replay cache %1: %2"_s.arg(file, why);
    runSql(db, u"PRAGMA synchronous = NORMAL"_s); // WAL stays consistent; only the last commits may be lost on power loss
    // Lookups are random point reads: map the file (no read() per page) and keep more pages.
    runSql(db, u"PRAGMA mmap_size = 268435456"_s);
    runSql(db, u"PRAGMA cache_size = -16384"_s);
    return {};
}

QString SqliteConnection::prepareStatements(const QString &file)
{
    const auto prepare = [&](std::optional<QSqlQuery> &slot, const QString &sql) {
        slot.emplace(db);
        slot->setForwardOnly(true);
        return slot->prepare(sql) ? QString() : sqlText(slot->lastError());
    };
    // The replay path reads only what a replayed step needs: QtSql's cost grows with every
    // column (a field description and a QVariant each), and the caller made the key.
    QString why = prepare(lookup, u"SELECT CAST(output AS BLOB), input_tokens, output_tokens, hits "
                                  "FROM replay_entries WHERE key = ?"_s);
    if (why.isEmpty())
        why = prepare(store, u"INSERT OR REPLACE INTO replay_entries ("_s + Columns
                                 + u") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    if (why.isEmpty())
        why = prepare(addHits, u"UPDATE replay_entries SET hits = hits + ? WHERE key = ?"_s);
    if (!why.isEmpty())
        return u"cannot use the replay cache %1: %2"_s.arg(file, why);
    // Qt's SQLite driver hands out its sqlite3*; without it the QSqlQuery path serves.
    if (const QVariant handle = db.driver()->handle();
        handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0) {
        sqlite3 *raw = *static_cast<sqlite3 *const *>(handle.constData());
        if (raw && sqlite3_prepare_v3(raw, "SELECT output, input_tokens, output_tokens, hits "
                                           "FROM replay_entries WHERE key = ?", -1,
                                      SQLITE_PREPARE_PERSISTENT, &fastLookup, nullptr) != SQLITE_OK)
            fastLookup = nullptr;
    }
    return {};
}

} // namespace invoke::cache
