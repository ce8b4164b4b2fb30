#include "tests/support/testpostgres.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRandomGenerator>
#include <QtCore/QUuid>
#include <QtNetwork/QTcpServer>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace invoke::test {

namespace {

const QString Superuser = u"invoke"_s;

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool isRoot()
{
    return ::geteuid() == 0;
}

} // namespace

TestPostgres::TestPostgres()
    : m_bin(qEnvironmentVariable("INVOKE_TEST_PG_BIN", u"/usr/lib/postgresql/15/bin"_s))
    , m_password(QUuid::createUuid().toString(QUuid::Id128))
{
}

TestPostgres::~TestPostgres()
{
    if (m_running) {
        QString ignored;
        stopServer(&ignored);
    }
    // As root the folder's files belong to postgres: removal works all the same.
}

QString TestPostgres::run(const QString &tool, const QStringList &arguments, int timeoutMs) const
{
    QProcess p;
    const QString program = m_bin + u'/' + tool;
    if (isRoot())
        p.start(u"runuser"_s, QStringList{u"-u"_s, u"postgres"_s, u"--"_s, program} + arguments);
    else
        p.start(program, arguments);
    if (!p.waitForStarted(10000))
        return u"cannot start %1: %2"_s.arg(isRoot() ? u"runuser -u postgres -- "_s + program : program, p.errorString());
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return u"%1 did not finish within %2 s"_s.arg(tool).arg(timeoutMs / 1000);
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return u"%1 failed (exit %2): %3"_s.arg(tool).arg(p.exitCode())
            .arg(QString::fromLocal8Bit(p.readAllStandardError() + p.readAllStandardOutput()).trimmed());
    return {};
}

bool TestPostgres::start(QString *error)
{
    const auto fail = [&](const QString &why) {
        *error = u"cannot start a throwaway PostgreSQL for this test: "_s + why;
        return false;
    };
    if (!QFileInfo(m_bin + u"/initdb"_s).isExecutable() || !QFileInfo(m_bin + u"/pg_ctl"_s).isExecutable())
        return fail(u"no initdb/pg_ctl in %1 (install postgresql-15: scripts/install-deps.sh)"_s.arg(m_bin));
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s))
        return fail(u"Qt's QPSQL driver is missing (install libqt6sql6-psql: scripts/install-deps.sh)"_s);
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/invoke-pg-XXXXXX"_s);
    if (!m_dir->isValid())
        return fail(u"no temporary folder: "_s + m_dir->errorString());
    const QString dir = m_dir->path();
    QFile pw(dir + u"/pw"_s);
    if (!pw.open(QIODevice::WriteOnly) || pw.write(m_password.toUtf8()) < 0)
        return fail(u"cannot write "_s + pw.fileName());
    pw.close();
    if (isRoot()) {
        // PostgreSQL refuses to run as root: hand the folder to the postgres user.
        const int rc = QProcess::execute(u"chown"_s, {u"-R"_s, u"postgres"_s, dir});
        if (rc != 0)
            return fail(u"chown -R postgres %1 failed (exit %2): is there a postgres user?"_s.arg(dir).arg(rc));
    }
    if (const QString why = run(u"initdb"_s, {u"-D"_s, dir + u"/data"_s, u"-A"_s, u"scram-sha-256"_s, u"-U"_s, Superuser,
                                               u"--pwfile="_s + pw.fileName(), u"-N"_s, u"--locale=C"_s, u"-E"_s, u"UTF8"_s},
                                60000);
        !why.isEmpty())
        return fail(why);
    m_port = freePort();
    if (m_port == 0)
        return fail(u"no free loopback port"_s);
    QString why;
    if (!startServer(&why))
        return fail(why);
    if (const QString failed = sql(u"CREATE DATABASE invoke"_s, u"postgres"_s); !failed.isEmpty())
        return fail(u"CREATE DATABASE invoke: "_s + failed);
    return true;
}

bool TestPostgres::startServer(QString *error)
{
    const QString dir = m_dir->path();
    // fsync off: a test's data need not survive a power cut, and it saves seconds.
    const QString options = u"-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"_s
                                .arg(m_port).arg(dir);
    if (const QString why = run(u"pg_ctl"_s, {u"-D"_s, dir + u"/data"_s, u"-o"_s, options, u"-l"_s, dir + u"/log"_s,
                                               u"-w"_s, u"-t"_s, u"60"_s, u"start"_s},
                                90000);
        !why.isEmpty()) {
        *error = why + u"\nserver log:\n"_s + log();
        return false;
    }
    m_running = true;
    return true;
}

bool TestPostgres::stopServer(QString *error)
{
    const QString why = run(u"pg_ctl"_s, {u"-D"_s, m_dir->path() + u"/data"_s, u"-m"_s, u"fast"_s, u"-w"_s, u"-t"_s,
                                          u"60"_s, u"stop"_s},
                            90000);
    if (!why.isEmpty()) {
        *error = why;
        return false;
    }
    m_running = false;
    return true;
}

QString TestPostgres::url(const QString &database, const QString &query) const
{
    return urlAs(Superuser, m_password, database, query);
}

QString TestPostgres::urlAs(const QString &user, const QString &password, const QString &database,
                            const QString &query) const
{
    QString url = u"postgresql://%1:%2@127.0.0.1:%3/%4"_s.arg(user, password).arg(m_port).arg(database);
    return query.isEmpty() ? url : url + u'?' + query;
}

QString TestPostgres::sql(const QString &statement, const QString &database) const
{
    const QString name = u"testpostgres-"_s + QUuid::createUuid().toString(QUuid::Id128);
    QString why;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(u"127.0.0.1"_s);
        db.setPort(m_port);
        db.setDatabaseName(database);
        db.setUserName(Superuser);
        db.setPassword(m_password);
        db.setConnectOptions(u"connect_timeout=10"_s);
        if (!db.open()) {
            why = db.lastError().text();
        } else {
            QSqlQuery q(db);
            if (!q.exec(statement))
                why = q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return why;
}

QString TestPostgres::log() const
{
    QFile f(m_dir ? m_dir->path() + u"/log"_s : QString());
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : u"(no log)"_s;
}

} // namespace invoke::test
