#pragma once
// A throwaway PostgreSQL cluster for a test: initdb and pg_ctl from Debian's
// postgresql-15 (/usr/lib/postgresql/15/bin, or INVOKE_TEST_PG_BIN) in a temporary
// folder, listening on a free loopback port with a password, removed when the object
// goes. PostgreSQL refuses to run as root: as root the binaries run through
// `runuser -u postgres` on a folder handed to that user. When the cluster cannot start,
// start() says exactly why, for a test to fail with (never to skip).
#include <QtCore/QString>
#include <QtCore/QTemporaryDir>

#include <memory>

namespace invoke::test {

class TestPostgres
{
public:
    TestPostgres();
    ~TestPostgres(); // stops the server and removes the folder

    // initdb, start, and a database "invoke" owned by the superuser "invoke".
    bool start(QString *error);
    // Stops the server (fast shutdown: open connections are cut) and starts it again on
    // the same port and data, for tests of a database that went away.
    bool stopServer(QString *error);
    bool startServer(QString *error);

    quint16 port() const { return m_port; }
    QString password() const { return m_password; }
    // postgresql://invoke:PASSWORD@127.0.0.1:PORT/DATABASE (with `query` appended after '?').
    QString url(const QString &database = QStringLiteral("invoke"), const QString &query = {}) const;
    QString urlAs(const QString &user, const QString &password, const QString &database = QStringLiteral("invoke"),
                  const QString &query = {}) const;
    // Runs SQL as the superuser on `database`; the server's error text on failure.
    QString sql(const QString &statement, const QString &database = QStringLiteral("invoke")) const;
    // The server's log so far (for a failure message).
    QString log() const;

private:
    QString run(const QString &tool, const QStringList &arguments, int timeoutMs) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_bin;
    QString m_password;
    quint16 m_port = 0;
    bool m_running = false;
};

} // namespace invoke::test
