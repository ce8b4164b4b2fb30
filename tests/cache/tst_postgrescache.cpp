// The PostgreSQL replay cache against a real, throwaway PostgreSQL (tests/support/
// testpostgres.h): the same calls behave as on SQLite, the schema is made once, versioned
// and never altered when newer, a role with data rights only can use it, the advisory
// lock makes a second process wait for the first's answer, and a server that goes away
// is reported by name and cause, then used again when it is back.
#include "tests/support/testpostgres.h"

#include "core/cache/cacheurl.h"
#include "core/cache/openreplaycache.h"
#include "core/cache/postgres/postgresreplaycache.h"
#include "core/cache/sqlite/sqlitereplaycache.h"

#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtCore/QTimeZone>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

#include <atomic>
#include <thread>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::cache;

namespace {

CacheKeyParts parts(const QString &scope, const QString &question, const QString &updatedAt = u"2024-05-01T10:00:00.000Z"_s)
{
    return {scope, u"chat"_s, updatedAt, u"llm.message"_s,
            Json{{"messages", Json::array({{{"role", "user"}, {"content", toStd(question)}}})}, {"model", "m"}}};
}

Json answer(const QString &text)
{
    return Json{{"content", toStd(text)}};
}

} // namespace

class TstPostgresCache : public QObject
{
    Q_OBJECT

private:
    // A fresh database of the running test function's own; its URL.
    QString freshDatabase(const QString &query = {});
    std::unique_ptr<ReplayCache> store(const QString &kind);

    test::TestPostgres m_pg;
    QTemporaryDir m_dir;
    int m_databases = 0;

private Q_SLOTS:
    void initTestCase();
    void sameBehaviourOnBothStores_data();
    void sameBehaviourOnBothStores();
    void refreshOverwritesInPlace_data();
    void refreshOverwritesInPlace();
    void schemaIsMadeOnceAndVersioned();
    void newerSchemaIsRefusedUntouched();
    void roleWithDataRightsOnlyUsesAReadyCache();
    void secondClaimWaitsForTheFirst();
    void claimWaitTimesOut();
    void unreachableAndWrongPasswordNameServerAndCause();
    void serverStoppedAndStartedIsUsedAgain();
};

void TstPostgresCache::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    // Never skipped: a machine without PostgreSQL fails here and says why.
    QVERIFY2(m_pg.start(&error), qPrintable(error));
}

QString TstPostgresCache::freshDatabase(const QString &query)
{
    const QString name = u"t%1_%2"_s.arg(++m_databases).arg(QString::fromLatin1(QTest::currentTestFunction()).toLower());
    const QString why = m_pg.sql(u"CREATE DATABASE \"%1\""_s.arg(name), u"postgres"_s);
    if (!why.isEmpty())
        qWarning("CREATE DATABASE %s: %s", qPrintable(name), qPrintable(why));
    return m_pg.url(name, query);
}

std::unique_ptr<ReplayCache> TstPostgresCache::store(const QString &kind)
{
    const QString url = kind == u"sqlite"_s ? u"sqlite:"_s + m_dir.filePath(u"%1-%2.sqlite"_s.arg(++m_databases).arg(
                                                   QString::fromLatin1(QTest::currentDataTag())))
                                            : freshDatabase();
    QString error;
    auto cache = makeReplayCache(url, &error);
    if (!cache || !cache->open(&error))
        qWarning("cannot open %s: %s", qPrintable(maskCacheUrlPassword(url)), qPrintable(error));
    return cache && error.isEmpty() ? std::move(cache) : nullptr;
}

void TstPostgresCache::sameBehaviourOnBothStores_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("sqlite") << u"sqlite"_s;
    QTest::newRow("postgresql") << u"postgresql"_s;
}

void TstPostgresCache::sameBehaviourOnBothStores()
{
    QFETCH(QString, kind);
    const auto cache = store(kind);
    QVERIFY(cache);
    QString error;
    const CacheKeyParts one = parts(u"local"_s, u"one"_s);
    QVERIFY(!cache->lookup(one.key(), &error));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(cache->store(one, answer(u"first"_s), wire::Usage{12, 34}, &error), qPrintable(error));
    QVERIFY2(cache->store(parts(u"org:acme"_s, u"one"_s), answer(u"acme's"_s), {}, &error), qPrintable(error));
    QThread::msleep(5); // created_at orders the listing
    QVERIFY2(cache->store(parts(u"local"_s, u"two"_s), answer(u"second"_s), {}, &error), qPrintable(error));

    // A hit returns output, usage and the hits so far; a changed bot version misses.
    auto hit = cache->lookup(one.key(), &error);
    QVERIFY2(hit, qPrintable(error));
    QVERIFY(hit->output == answer(u"first"_s));
    QCOMPARE(hit->usage.inputTokens, 12);
    QCOMPARE(hit->usage.outputTokens, 34);
    QCOMPARE(hit->hits, 1);
    QCOMPARE(cache->lookup(one.key())->hits, 2);
    QVERIFY(!cache->lookup(parts(u"local"_s, u"one"_s, u"2025-01-01T00:00:00.000Z"_s).key(), &error));
    QVERIFY(error.isEmpty());

    const CacheStats stats = cache->stats(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(stats.entries, 3);
    QCOMPARE(stats.hits, 2);
    QVERIFY(stats.bytes > 0);
    QVERIFY(!stats.file.isEmpty());

    const QList<CacheEntry> all = cache->list({}, &error);
    QCOMPARE(all.size(), 3);
    QVERIFY(all.first().parts.parameters == parts(u"local"_s, u"two"_s).parameters); // newest first
    CacheFilter local;
    local.scope = u"local"_s;
    const QList<CacheEntry> mine = cache->list(local, &error);
    QCOMPARE(mine.size(), 2);
    const auto first = std::find_if(mine.cbegin(), mine.cend(), [&](const CacheEntry &e) { return e.key == one.key(); });
    QVERIFY(first != mine.cend());
    QVERIFY(first->parts == one);
    QCOMPARE(first->hits, 2); // written through by the listing
    QVERIFY(first->createdAt.isValid());
    // An entry read back is the entry format: it passes its own key check.
    QVERIFY2(CacheEntry::fromJson(first->toJson(), &error), qPrintable(error));
    local.limit = 1;
    QCOMPARE(cache->list(local, &error).size(), 1);

    QCOMPARE(cache->scopes(&error), (QList<CacheScope>{{u"local"_s, 2}, {u"org:acme"_s, 1}}));
    const auto found = cache->find(one.key().left(10), &error);
    QVERIFY2(found, qPrintable(error));
    QCOMPARE(found->key, one.key());
    QVERIFY(!cache->find(u"zz"_s, &error));
    QVERIFY(error.contains(u"not a cache key"_s));
    QVERIFY(!cache->find(u"f"_s.repeated(64), &error));
    QVERIFY(error.contains(u"no replay cache entry"_s));

    const auto nearest = cache->nearest(parts(u"local"_s, u"three"_s, u"2030-01-01T00:00:00.000Z"_s), &error);
    QVERIFY2(nearest, qPrintable(error));
    QVERIFY(nearest->parts.parameters == parts(u"local"_s, u"two"_s).parameters);

    // insert keeps times and hits (an import).
    CacheEntry imported = *first;
    imported.parts.scope = u"org:globex"_s;
    imported.key = imported.parts.key();
    imported.hits = 7;
    imported.createdAt = QDateTime(QDate(2020, 1, 2), QTime(3, 4, 5, 678), Qt::UTC);
    QVERIFY2(cache->insert({imported}, &error), qPrintable(error));
    const auto back = cache->find(imported.key, &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(*back == imported);

    QCOMPARE(cache->clear(u"org:acme"_s, &error), 1);
    QCOMPARE(cache->stats(&error).entries, 3);
    QCOMPARE(cache->clear({}, &error), 3);
    QCOMPARE(cache->stats(&error).entries, 0);
}

void TstPostgresCache::refreshOverwritesInPlace_data()
{
    sameBehaviourOnBothStores_data();
}

void TstPostgresCache::refreshOverwritesInPlace()
{
    QFETCH(QString, kind);
    const auto cache = store(kind);
    QVERIFY(cache);
    QString error;
    const CacheKeyParts p = parts(u"local"_s, u"again"_s);
    QVERIFY(cache->store(p, answer(u"old"_s), {}, &error));
    QVERIFY(cache->lookup(p.key()));
    QVERIFY2(cache->store(p, answer(u"new"_s), wire::Usage{1, 2}, &error), qPrintable(error));
    const auto entry = cache->lookup(p.key(), &error);
    QVERIFY(entry);
    QVERIFY(entry->output == answer(u"new"_s));
    QCOMPARE(entry->hits, 1); // the overwritten entry counts again
    QCOMPARE(cache->stats(&error).entries, 1);
}

void TstPostgresCache::schemaIsMadeOnceAndVersioned()
{
    const QString url = freshDatabase();
    const QString database = CacheUrl::parse(url)->database;
    QString error;
    {
        // Two caches opening a fresh database at once: both succeed, one schema.
        PostgresReplayCache a(*CacheUrl::parse(url));
        PostgresReplayCache b(*CacheUrl::parse(url));
        std::atomic<int> opened{0};
        std::thread other([&] { opened += a.open() ? 1 : 0; });
        opened += b.open(&error) ? 1 : 0;
        other.join();
        QCOMPARE(opened.load(), 2);
    }
    QCOMPARE(m_pg.sql(u"DO $$ BEGIN IF (SELECT version FROM invoke_schema WHERE component = 'replay_cache') <> 1 "
                      "THEN RAISE EXCEPTION 'wrong version'; END IF; END $$"_s, database),
             QString());
    PostgresReplayCache again(*CacheUrl::parse(url));
    QVERIFY2(again.open(&error), qPrintable(error));
    QVERIFY(again.store(parts(u"local"_s, u"x"_s), answer(u"y"_s), {}, &error));
}

void TstPostgresCache::newerSchemaIsRefusedUntouched()
{
    const QString url = freshDatabase();
    const QString database = CacheUrl::parse(url)->database;
    QString error;
    {
        PostgresReplayCache cache(*CacheUrl::parse(url));
        QVERIFY2(cache.open(&error), qPrintable(error));
        QVERIFY(cache.store(parts(u"local"_s, u"kept"_s), answer(u"kept"_s), {}, &error));
    }
    QCOMPARE(m_pg.sql(u"UPDATE invoke_schema SET version = 99"_s, database), QString());
    PostgresReplayCache newer(*CacheUrl::parse(url));
    QVERIFY(!newer.open(&error));
    QVERIFY2(error.contains(u"newer version"_s) && error.contains(u"schema 99"_s)
                 && error.contains(u"left untouched"_s) && error.contains(u"127.0.0.1:%1"_s.arg(m_pg.port())),
             qPrintable(error));
    QVERIFY(!error.contains(m_pg.password()));
    QVERIFY(!newer.lookup(parts(u"local"_s, u"kept"_s).key(), &error));
    QVERIFY(error.contains(u"newer version"_s));
    // Still version 99, the entry still there.
    QCOMPARE(m_pg.sql(u"DO $$ BEGIN IF (SELECT version FROM invoke_schema) <> 99 OR "
                      "(SELECT count(*) FROM invoke_replay_entries) <> 1 THEN RAISE EXCEPTION 'altered'; END IF; END $$"_s,
                      database),
             QString());
}

void TstPostgresCache::roleWithDataRightsOnlyUsesAReadyCache()
{
    const QString ownerUrl = freshDatabase();
    const QString database = CacheUrl::parse(ownerUrl)->database;
    QCOMPARE(m_pg.sql(u"CREATE ROLE replay_app LOGIN PASSWORD 'app-pass-123'"_s, u"postgres"_s), QString());
    QCOMPARE(m_pg.sql(u"REVOKE CREATE ON SCHEMA public FROM PUBLIC"_s, database), QString());
    const QString appUrl = m_pg.urlAs(u"replay_app"_s, u"app-pass-123"_s, database);
    QString error;
    {
        // Before the owner set it up: a clear refusal, nothing half-made.
        PostgresReplayCache early(*CacheUrl::parse(appUrl));
        QVERIFY(!early.open(&error));
        QVERIFY2(error.contains(u"permission denied"_s) && error.contains(u"docs/cache.md"_s), qPrintable(error));
    }
    {
        PostgresReplayCache owner(*CacheUrl::parse(ownerUrl));
        QVERIFY2(owner.open(&error), qPrintable(error));
    }
    // The grants docs/cache.md gives the role a team's processes use.
    QCOMPARE(m_pg.sql(u"GRANT SELECT ON invoke_schema TO replay_app; "
                      "GRANT SELECT, INSERT, UPDATE, DELETE ON invoke_replay_entries TO replay_app"_s,
                      database),
             QString());
    PostgresReplayCache app(*CacheUrl::parse(appUrl));
    QVERIFY2(app.open(&error), qPrintable(error));
    const CacheKeyParts p = parts(u"org:acme"_s, u"least"_s);
    QVERIFY2(app.store(p, answer(u"ok"_s), {}, &error), qPrintable(error));
    QVERIFY(app.lookup(p.key(), &error));
    QVERIFY2(app.stats(&error).entries == 1, qPrintable(error));
    QCOMPARE(app.clear(u"org:acme"_s, &error), 1);
}

void TstPostgresCache::secondClaimWaitsForTheFirst()
{
    const QString url = freshDatabase();
    // Two caches are two processes' pools: separate sessions, as across machines.
    PostgresReplayCache first(*CacheUrl::parse(url));
    PostgresReplayCache second(*CacheUrl::parse(url));
    QString error;
    QVERIFY2(first.open(&error) && second.open(&error), qPrintable(error));
    const CacheKeyParts p = parts(u"local"_s, u"contended"_s);

    FillTicket mine = first.claimFill(p.key(), &error);
    QVERIFY2(mine.claim && !mine.waited, qPrintable(error));
    std::atomic<bool> done{false};
    FillTicket theirs;
    QString theirError;
    std::thread waiter([&] {
        theirs = second.claimFill(p.key(), &theirError);
        done = true;
    });
    QTest::qWait(300);
    const bool waitedWhileHeld = !done;
    QVERIFY(first.store(p, answer(u"fetched once"_s), {}, &error));
    mine = {}; // released
    waiter.join();
    QVERIFY(waitedWhileHeld);
    QVERIFY2(theirError.isEmpty(), qPrintable(theirError));
    QVERIFY(theirs.waited && !theirs.timedOut && theirs.claim);
    QVERIFY(theirs.waitedMs >= 200);
    const auto entry = second.lookup(p.key(), &error);
    QVERIFY(entry && entry->output == answer(u"fetched once"_s));
    theirs = {};
    // A key stored (and let go) between a miss and the claim: free at once, yet "look again".
    const FillTicket late = first.claimFill(p.key(), &error);
    QVERIFY2(late.claim && late.waited && !late.timedOut, qPrintable(error));
    // Another key is never held up by this one.
    FillTicket other = second.claimFill(parts(u"local"_s, u"other"_s).key(), &error);
    QVERIFY(other.claim && !other.waited);
}

void TstPostgresCache::claimWaitTimesOut()
{
    const QString url = freshDatabase(u"fill_timeout=0.3"_s);
    PostgresReplayCache first(*CacheUrl::parse(url));
    PostgresReplayCache second(*CacheUrl::parse(url));
    QString error;
    const QString key = parts(u"local"_s, u"slow"_s).key();
    FillTicket held = first.claimFill(key, &error);
    QVERIFY2(held.claim, qPrintable(error));
    const FillTicket late = second.claimFill(key, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(late.waited && late.timedOut && !late.claim);
    QVERIFY(late.waitedMs >= 250);
    // The session that timed out is healthy: it claims the key once it is free.
    held = {};
    const FillTicket after = second.claimFill(key, &error);
    QVERIFY2(after.claim && !after.waited, qPrintable(error));
}

void TstPostgresCache::unreachableAndWrongPasswordNameServerAndCause()
{
    QString error;
    PostgresReplayCache wrong(*CacheUrl::parse(m_pg.urlAs(u"invoke"_s, u"not-the-password"_s)));
    QVERIFY(!wrong.open(&error));
    QVERIFY2(error.contains(u"PostgreSQL server 127.0.0.1:%1"_s.arg(m_pg.port()))
                 && error.contains(u"password authentication failed"_s),
             qPrintable(error));
    QVERIFY(!error.contains(u"not-the-password"_s));

    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close(); // nobody listens there now
    PostgresReplayCache nobody(*CacheUrl::parse(u"postgresql://invoke:pw@127.0.0.1:%1/invoke"_s.arg(port)));
    QVERIFY(!nobody.lookup(parts(u"local"_s, u"x"_s).key(), &error));
    QVERIFY2(error.contains(u"PostgreSQL server 127.0.0.1:%1"_s.arg(port)) && error.contains(u"refused"_s),
             qPrintable(error));
}

void TstPostgresCache::serverStoppedAndStartedIsUsedAgain()
{
    const QString url = freshDatabase();
    PostgresReplayCache cache(*CacheUrl::parse(url));
    QString error;
    const CacheKeyParts p = parts(u"local"_s, u"survives"_s);
    QVERIFY2(cache.store(p, answer(u"kept"_s), {}, &error), qPrintable(error));
    QVERIFY(cache.lookup(p.key(), &error));
    QVERIFY(cache.claimFill(p.key(), &error).claim); // leaves an idle lock connection behind

    QVERIFY2(m_pg.stopServer(&error), qPrintable(error));
    const bool missed = !cache.lookup(p.key(), &error);
    const QString whileDown = error;
    QVERIFY2(m_pg.startServer(&error), qPrintable(error));
    QVERIFY(missed);
    QVERIFY2(whileDown.contains(u"PostgreSQL server 127.0.0.1:%1"_s.arg(m_pg.port())), qPrintable(whileDown));

    // The same object, no reopen: the next call connects again.
    const auto back = cache.lookup(p.key(), &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(back->output == answer(u"kept"_s));
    const FillTicket claim = cache.claimFill(parts(u"local"_s, u"after"_s).key(), &error);
    QVERIFY2(claim.claim && error.isEmpty(), qPrintable(error));
}

QTEST_GUILESS_MAIN(TstPostgresCache)
#include "tst_postgrescache.moc"
