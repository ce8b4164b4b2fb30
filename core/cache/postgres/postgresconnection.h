#pragma once
// One connection to a PostgreSQL replay cache through Qt's QPSQL driver. A connection is
// used by one thread at a time (the pool hands it out, core/cache/postgres/postgrespool.h); any
// failed statement marks it broken so the pool drops it and the next caller connects
// again. Values go into the statement as literals the driver escapes (formatValue, on
// libpq's PQescapeStringConn), not as server-side prepared statements: QPSQL's prepared
// statements warn on stderr when a dropped connection cannot DEALLOCATE them, and a
// point lookup plans in microseconds.
#include "core/cache/cacheurl.h"

#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>

#include <memory>

class QSqlError;

namespace invoke::cache {

struct PostgresConnection
{
    QString name;
    QSqlDatabase db;
    bool broken = false;

    ~PostgresConnection();
    void close();

    // Connects as `name` (a unique QSqlDatabase connection name). nullptr with `error`
    // ("cannot reach …: cause") when the server cannot be reached or refuses us.
    static std::unique_ptr<PostgresConnection> open(const CacheUrl &url, const QString &name, QString *error);
    // Runs `sql`, its `?` replaced by `values` in order as escaped literals, into `result`
    // when given; false with `error` (and broken) on failure.
    bool exec(const QString &sql, const QVariantList &values, QString *error, QSqlQuery *result = nullptr);
    bool exec(const QString &sql, QString *error, QSqlQuery *result = nullptr);
};

// The statements of the hot path.
extern const QString PostgresLookupSql;
extern const QString PostgresStoreSql;
// The columns of an entry, in the order postgresEntryFromRow reads them.
QString postgresEntryColumns();
// The server's words for a failure, on one line.
QString postgresText(const QSqlError &error);

} // namespace invoke::cache
