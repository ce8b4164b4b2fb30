// Cache URLs (core/cache/cacheurl.h): which store a text names, its parts, and that no
// text meant for people ever holds the password.
#include "core/cache/cacheurl.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke::cache;

class TstCacheUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void filesAndSqlite_data();
    void filesAndSqlite();
    void postgres();
    void refused_data();
    void refused();
    void maskingText();
};

void TstCacheUrl::filesAndSqlite_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("file");
    QTest::newRow("path") << u"/home/me/.cache/replay.sqlite"_s << u"/home/me/.cache/replay.sqlite"_s;
    QTest::newRow("relative") << u"cache/replay.sqlite"_s << u"cache/replay.sqlite"_s;
    QTest::newRow("sqlite:") << u"sqlite:/tmp/r.sqlite"_s << u"/tmp/r.sqlite"_s;
    QTest::newRow("sqlite:relative") << u"sqlite:r.sqlite"_s << u"r.sqlite"_s;
    QTest::newRow("sqlite:///") << u"sqlite:///tmp/r.sqlite"_s << u"/tmp/r.sqlite"_s;
    QTest::newRow("colon in a name") << u"my:cache.sqlite"_s << u"my:cache.sqlite"_s;
}

void TstCacheUrl::filesAndSqlite()
{
    QFETCH(QString, text);
    QFETCH(QString, file);
    QString error;
    const auto url = CacheUrl::parse(text, &error);
    QVERIFY2(url, qPrintable(error));
    QCOMPARE(url->kind, CacheUrl::Sqlite);
    QCOMPARE(url->filePath, file);
    QCOMPARE(url->display(), file);
}

void TstCacheUrl::postgres()
{
    QString error;
    auto url = CacheUrl::parse(u"postgresql://ci%40team:p%40ss%3Aw0rd@db.example:6543/invoke_cache?sslmode=verify-full&sslrootcert=/etc/ca.pem"_s,
                               &error);
    QVERIFY2(url, qPrintable(error));
    QVERIFY(url->isPostgres());
    QCOMPARE(url->user, u"ci@team"_s);
    QCOMPARE(url->password, u"p@ss:w0rd"_s);
    QCOMPARE(url->host, u"db.example"_s);
    QCOMPARE(url->port, 6543);
    QCOMPARE(url->database, u"invoke_cache"_s);
    QCOMPARE(url->option(u"sslmode"_s), u"verify-full"_s);
    QCOMPARE(url->option(u"sslrootcert"_s), u"/etc/ca.pem"_s);
    QVERIFY(!url->display().contains(u"w0rd"_s));
    QVERIFY2(url->display().startsWith(u"postgresql://ci%40team:***@db.example:6543/invoke_cache?sslmode=verify-full"_s),
             qPrintable(url->display()));
    QCOMPARE(url->server(), u"PostgreSQL server db.example:6543 (database invoke_cache, user ci@team)"_s);
    // toString keeps the password (for a program that connects), and reads back the same.
    const auto again = CacheUrl::parse(url->toString(), &error);
    QVERIFY2(again && again->password == url->password && again->user == url->user, qPrintable(error));

    url = CacheUrl::parse(u"postgres://app@localhost/invoke"_s, &error);
    QVERIFY2(url, qPrintable(error));
    QCOMPARE(url->port, 5432);
    QVERIFY(url->password.isEmpty());
    QCOMPARE(url->display(), u"postgresql://app@localhost:5432/invoke"_s);
}

void TstCacheUrl::refused_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << u"  "_s << u"empty"_s;
    QTest::newRow("no user") << u"postgresql://db.example/invoke"_s << u"no user"_s;
    QTest::newRow("no database") << u"postgresql://ci:secret-pass@db.example"_s << u"no database"_s;
    QTest::newRow("no host") << u"postgresql://ci:secret-pass@/invoke"_s << u"no host"_s;
    QTest::newRow("bad sslmode") << u"postgresql://ci:secret-pass@db/invoke?sslmode=always"_s << u"sslmode \"always\""_s;
    QTest::newRow("unknown option") << u"postgresql://ci:secret-pass@db/invoke?ssl=true"_s << u"unknown option \"ssl\""_s;
    QTest::newRow("twice") << u"postgresql://ci@db/invoke?sslmode=require&sslmode=disable"_s << u"twice"_s;
    QTest::newRow("other kind") << u"mysql://ci:secret-pass@db/invoke"_s << u"unknown kind \"mysql\""_s;
    QTest::newRow("sqlite without file") << u"sqlite:"_s << u"no file"_s;
}

void TstCacheUrl::refused()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!CacheUrl::parse(text, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(!error.contains(u"secret-pass"_s), qPrintable(error));
}

void TstCacheUrl::maskingText()
{
    QCOMPARE(maskCacheUrlPassword(u"cannot open postgresql://ci:hunter22@db/x: refused"_s),
             u"cannot open postgresql://ci:***@db/x: refused"_s);
    QCOMPARE(maskCacheUrlPassword(u"postgres://ci:a@b@db/x"_s), u"postgres://ci:***@db/x"_s);
    QCOMPARE(maskCacheUrlPassword(u"postgresql://ci@db/x"_s), u"postgresql://ci@db/x"_s);
    QCOMPARE(maskCacheUrlPassword(u"/plain/file.sqlite"_s), u"/plain/file.sqlite"_s);
}

QTEST_GUILESS_MAIN(TstCacheUrl)
#include "tst_cacheurl.moc"
