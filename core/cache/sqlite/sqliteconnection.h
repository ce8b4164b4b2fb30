#pragma once
// One thread's connection to a SQLite replay cache file, with its prepared statements
// (QSqlDatabase connections must stay in the thread that made them). Opening is three
// jobs: open the file, check that it is ours and of a schema we read (a file that is not
// is reported and left untouched), and prepare the statements.
#include <QtCore/QString>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>

#include <memory>
#include <mutex>
#include <optional>

struct sqlite3_stmt;
class QSqlError;

namespace invoke::cache {

struct SqliteConnection
{
    QString name;
    QSqlDatabase db;
    std::optional<QSqlQuery> lookup;
    // The same SELECT on the driver's own sqlite3 handle: QtSql adds ~15 µs and a long
    // tail per query (bench_replaycache), the whole budget of a replay hit.
    sqlite3_stmt *fastLookup = nullptr;
    std::optional<QSqlQuery> store;
    std::optional<QSqlQuery> addHits;
    std::mutex mutex; // close() may run from the cache's destructor and at thread exit
    bool closed = false;

    void close();

    // Opens `file` as connection `name`: nullptr with `error` (naming the file) on failure.
    static std::shared_ptr<SqliteConnection> open(const QString &file, const QString &name, QString *error);

private:
    QString openFile(const QString &file);
    QString checkSchema(const QString &file, bool *ours);
    QString prepareStatements(const QString &file);
};

// The columns of an entry, in the order entryFromRow reads them.
QString sqlEntryColumns();
QString sqlText(const QSqlError &error);

} // namespace invoke::cache
