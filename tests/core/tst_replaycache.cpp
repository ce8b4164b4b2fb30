// The replay cache on real SQLite files in a temporary folder.
#include "core/cache/sqlite/sqlitereplaycache.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::cache;

namespace {

CacheKeyParts parts(const QString &query, const QString &updatedAt = u"2024-05-01T10:00:00Z"_s,
                    const QString &scope = u"local"_s)
{
    return {scope, u"chat"_s, updatedAt, u"llm.message"_s,
            Json{{"model", "m"}, {"query", toStd(query)}, {"temperature", 0.5}}};
}

wire::Usage usage(qint64 in, qint64 out)
{
    wire::Usage u;
    u.inputTokens = in;
    u.outputTokens = out;
    return u;
}

} // namespace

class TestReplayCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QVERIFY(m_dir.isValid()); }

    void canonicalKeyIsSortedCompactJsonAndItsSha256()
    {
        const CacheKeyParts p = parts(u"héllo \"quoted\""_s);
        const Json whole = {{"scope", "local"}, {"bot_key", "chat"}, {"bot_updated_at", "2024-05-01T10:00:00Z"},
                            {"action_type", "llm.message"}, {"parameters", p.parameters}};
        QCOMPARE(p.canonical(), dumpJson(whole));
        QVERIFY(p.canonical().startsWith("{\"action_type\":\"llm.message\",\"bot_key\":\"chat\""));
        QCOMPARE(p.key(), QString::fromLatin1(
                              QCryptographicHash::hash(dumpJson(whole), QCryptographicHash::Sha256).toHex()));
        QCOMPARE(p.key().size(), 64);
        // Key order in the parameters does not matter; their values do.
        CacheKeyParts reordered = p;
        reordered.parameters = Json::parse("{\"temperature\":0.5,\"query\":\"héllo \\\"quoted\\\"\",\"model\":\"m\"}");
        QCOMPARE(reordered.key(), p.key());
        QVERIFY(parts(u"other"_s).key() != p.key());

        // Every part is escaped exactly as nlohmann writes strings.
        const CacheKeyParts odd{u"org \"x\"\\ \u00e9\u4e2d"_s, u"tab\there\nnew"_s,
                                QString(QChar(0x01)) + u"\b\f\r"_s + QChar(0x1f), u"llm.message"_s,
                                Json{{"k", "\x02 \x7f"}}};
        const Json oddWhole = {{"scope", toStd(odd.scope)}, {"bot_key", toStd(odd.botKey)},
                               {"bot_updated_at", toStd(odd.botUpdatedAt)}, {"action_type", "llm.message"},
                               {"parameters", odd.parameters}};
        QCOMPARE(odd.canonical(), dumpJson(oddWhole));
    }

    void storeThenLookup()
    {
        SqliteReplayCache cache(file(u"a.sqlite"_s));
        QString error;
        QVERIFY2(cache.open(&error), qPrintable(error));
        const CacheKeyParts p = parts(u"hi"_s);
        QVERIFY(!cache.lookup(p.key(), &error));
        QVERIFY2(error.isEmpty(), qPrintable(error)); // a miss, not a failure
        QVERIFY2(cache.store(p, Json{{"content", "hello"}}, usage(12, 3), &error), qPrintable(error));

        const auto entry = cache.lookup(p.key(), &error);
        QVERIFY2(entry, qPrintable(error));
        QCOMPARE(entry->key, p.key());
        QCOMPARE(dumpJson(entry->output), "{\"content\":\"hello\"}");
        QCOMPARE(entry->usage.inputTokens, 12);
        QCOMPARE(entry->usage.outputTokens, 3);
        // The parts are kept readable; find() reads them (lookup() leaves them to the caller).
        const auto found = cache.find(p.key());
        QVERIFY(found);
        QCOMPARE(found->parts.scope, u"local"_s);
        QCOMPARE(found->parts.botKey, u"chat"_s);
        QCOMPARE(found->parts.botUpdatedAt, u"2024-05-01T10:00:00Z"_s);
        QCOMPARE(found->parts.actionType, u"llm.message"_s);
        QCOMPARE(dumpJson(found->parts.parameters), dumpJson(p.parameters));
        QCOMPARE(dumpJson(found->output), dumpJson(entry->output));
        QVERIFY(found->createdAt.isValid());
        QVERIFY(qAbs(found->createdAt.secsTo(QDateTime::currentDateTimeUtc())) < 3600);
        QCOMPARE(entry->hits, 1);
        QCOMPARE(found->hits, 1);
        QCOMPARE(cache.lookup(p.key())->hits, 2);
    }

    void unknownUsageIsKeptUnknown()
    {
        SqliteReplayCache cache(file(u"u.sqlite"_s));
        QVERIFY(cache.open());
        QVERIFY(cache.store(parts(u"x"_s), Json("plain"), {}));
        const auto entry = cache.lookup(parts(u"x"_s).key());
        QVERIFY(entry);
        QVERIFY(!entry->usage.known());
        QCOMPARE(dumpJson(entry->output), "\"plain\"");
    }

    void storeOverwrites()
    {
        SqliteReplayCache cache(file(u"b.sqlite"_s));
        QVERIFY(cache.open());
        const CacheKeyParts p = parts(u"hi"_s);
        QVERIFY(cache.store(p, Json{{"content", "first"}}, usage(1, 1)));
        QVERIFY(cache.lookup(p.key()));
        QVERIFY(cache.store(p, Json{{"content", "second"}}, usage(2, 2)));
        const auto entry = cache.lookup(p.key());
        QCOMPARE(dumpJson(entry->output), "{\"content\":\"second\"}");
        QCOMPARE(entry->hits, 1); // counting starts again for the new answer
        QCOMPARE(cache.stats().entries, 1);
    }

    void newUpdatedAtMissesAndScopesAreIsolated()
    {
        SqliteReplayCache cache(file(u"c.sqlite"_s));
        QVERIFY(cache.open());
        QVERIFY(cache.store(parts(u"hi"_s), Json("old bot"), {}));
        QVERIFY(!cache.lookup(parts(u"hi"_s, u"2024-05-02T08:00:00Z"_s).key()));
        QVERIFY(!cache.lookup(parts(u"hi"_s, u"2024-05-01T10:00:00Z"_s, u"org-b"_s).key()));
        QVERIFY(cache.store(parts(u"hi"_s, u"2024-05-01T10:00:00Z"_s, u"org-b"_s), Json("b's answer"), {}));
        QCOMPARE(dumpJson(cache.lookup(parts(u"hi"_s).key())->output), "\"old bot\"");
        QCOMPARE(dumpJson(cache.lookup(parts(u"hi"_s, u"2024-05-01T10:00:00Z"_s, u"org-b"_s).key())->output),
                 "\"b's answer\"");
    }

    void listFindStatsClear()
    {
        SqliteReplayCache cache(file(u"d.sqlite"_s));
        QVERIFY(cache.open());
        QStringList keys;
        for (int i = 0; i < 5; ++i) {
            QVERIFY(cache.store(parts(u"q%1"_s.arg(i)), Json(i), usage(i, i)));
            keys.append(parts(u"q%1"_s.arg(i)).key());
        }
        QVERIFY(cache.lookup(keys[1]));
        QVERIFY(cache.lookup(keys[1]));
        QVERIFY(cache.lookup(keys[3]));

        const QList<CacheEntry> all = cache.list();
        QCOMPARE(all.size(), 5);
        QCOMPARE(all.first().key, keys[4]);
        QCOMPARE(all.last().key, keys[0]);
        QCOMPARE(all[3].hits, 2); // keys[1]
        QCOMPARE(cache.list(CacheFilter{{}, {}, {}, 2}).size(), 2);

        QString error;
        const auto found = cache.find(keys[2].left(12).toUpper(), &error);
        QVERIFY2(found, qPrintable(error));
        QCOMPARE(found->key, keys[2]);
        QCOMPARE(dumpJson(found->output), "2");
        QCOMPARE(found->hits, 0); // looking is not replaying
        QVERIFY(!cache.find(u"zz"_s, &error));
        QVERIFY2(error.contains(u"not a cache key"_s), qPrintable(error));
        for (const QString &k : keys)
            QVERIFY(!k.startsWith(u"00000000"_s));
        QVERIFY(!cache.find(u"00000000"_s, &error));
        QVERIFY2(error.contains(u"no replay cache entry"_s), qPrintable(error));
        // Sixteen keys cannot all differ in their first hex digit: some prefix is ambiguous.
        for (int i = 5; i < 17; ++i)
            QVERIFY(cache.store(parts(u"q%1"_s.arg(i)), Json(i), {}));
        bool sawAmbiguous = false;
        for (const char c : "0123456789abcdef"_ba) {
            if (!cache.find(QString(QChar::fromLatin1(c)), &error) && error.contains(u"several"_s))
                sawAmbiguous = true;
        }
        QVERIFY(sawAmbiguous);

        const CacheStats stats = cache.stats(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(stats.entries, 17);
        QCOMPARE(stats.hits, 3);
        QCOMPARE(stats.file, file(u"d.sqlite"_s));
        QVERIFY(stats.bytes > 0);

        QCOMPARE(cache.clear({}, &error), 17);
        QCOMPARE(cache.stats().entries, 0);
        QVERIFY(!cache.lookup(keys[0]));
    }

    void nearestFiltersAndScopes()
    {
        // Through the interface, as the gate and the coming stores use it.
        SqliteReplayCache sqlite(file(u"n.sqlite"_s));
        ReplayCache &cache = sqlite;
        QString error;
        QVERIFY(!cache.nearest(parts(u"never"_s), &error));
        QVERIFY2(error.isEmpty(), qPrintable(error)); // nothing cached is no failure

        QVERIFY(cache.store(parts(u"old"_s, u"2024-01-01T00:00:00Z"_s), Json("a"), {}));
        QTest::qWait(2); // created_at has millisecond precision: make "newest" unambiguous
        QVERIFY(cache.store(parts(u"new"_s, u"2024-02-01T00:00:00Z"_s), Json("b"), {}));
        QTest::qWait(2);
        QVERIFY(cache.store(parts(u"other org"_s, u"2024-03-01T00:00:00Z"_s, u"org:beta"_s), Json("c"), {}));
        CacheKeyParts search = parts(u"something else"_s, u"2024-09-09T00:00:00Z"_s);
        search.actionType = u"memory.search"_s;
        QVERIFY(cache.store(search, Json("d"), {}));

        // The newest entry of the same scope, bot and action type, whatever else differs.
        const auto near = cache.nearest(parts(u"a question never asked"_s, u"2025-01-01T00:00:00Z"_s), &error);
        QVERIFY2(near, qPrintable(error));
        QVERIFY(near->parts == parts(u"new"_s, u"2024-02-01T00:00:00Z"_s));
        QVERIFY(near->output == Json("b"));
        QVERIFY(!cache.nearest(parts(u"x"_s, u"2024-01-01T00:00:00Z"_s, u"org:gamma"_s)));

        QCOMPARE(cache.list({u"local"_s, {}, {}, -1}).size(), 3);
        QCOMPARE(cache.list({u"local"_s, {}, u"llm.message"_s, -1}).size(), 2);
        QCOMPARE(cache.list({{}, u"chat"_s, u"llm.message"_s, -1}).size(), 3);
        QVERIFY(cache.list({u"org:beta"_s, {}, {}, -1}).constFirst().output == Json("c"));
        QCOMPARE(cache.list({{}, u"no-such-bot"_s, {}, -1}).size(), 0);
        QCOMPARE(cache.scopes(&error), (QList<CacheScope>{{u"local"_s, 3}, {u"org:beta"_s, 1}}));

        QCOMPARE(cache.clear(u"org:beta"_s, &error), 1);
        QCOMPARE(cache.scopes(), (QList<CacheScope>{{u"local"_s, 3}}));
    }

    void entryFormatRoundTripsThroughAnotherStore()
    {
        SqliteReplayCache from(file(u"from.sqlite"_s));
        wire::Usage used = usage(12, 34);
        QVERIFY(from.store(parts(u"héllo \"quoted\""_s), Json{{"content", "hi"}, {"n", {1, 2}}}, used));
        QVERIFY(from.store(parts(u"no usage"_s), Json("plain"), usage(-1, -1)));
        QVERIFY(from.lookup(parts(u"no usage"_s).key())); // one hit, kept by the copy
        QList<CacheEntry> entries = from.list();
        QCOMPARE(entries.size(), 2);

        // The documented format: each entry as one JSON line, read back member for member.
        QList<CacheEntry> read;
        for (const CacheEntry &e : std::as_const(entries)) {
            const QByteArray line = dumpJson(e.toJson());
            QVERIFY(!line.contains('\n'));
            QString error;
            const auto back = CacheEntry::fromJson(parseJson(line), &error);
            QVERIFY2(back, qPrintable(error));
            QVERIFY(*back == e);
            read.append(*back);
        }
        SqliteReplayCache to(file(u"to.sqlite"_s));
        QVERIFY(to.insert(read));
        QVERIFY(to.list() == entries);
        const auto hit = to.lookup(parts(u"no usage"_s).key());
        QVERIFY(hit);
        QVERIFY(hit->output == Json("plain"));
        QCOMPARE(hit->hits, 2);

        // An entry changed after it was made, or missing a member, is refused by name.
        Json tampered = entries.first().toJson();
        tampered["output"] = "forged";
        QVERIFY(CacheEntry::fromJson(tampered)); // the output is not part of the key
        tampered["parameters"]["query"] = "forged";
        QString error;
        QVERIFY(!CacheEntry::fromJson(tampered, &error));
        QVERIFY2(error.contains(u"is not the SHA-256 of the entry's parts"_s), qPrintable(error));
        Json missing = entries.first().toJson();
        missing.erase("action_type");
        QVERIFY(!CacheEntry::fromJson(missing, &error));
        QCOMPARE(error, u"\"action_type\" must be a string"_s);
        // Optional members keep their type when given.
        for (const Json &hits : {Json("many"), Json(-1), Json(1.5), Json(nullptr)}) {
            Json wrong = entries.first().toJson();
            wrong["hits"] = hits;
            QVERIFY2(!CacheEntry::fromJson(wrong, &error), hits.dump().c_str());
            QCOMPARE(error, u"\"hits\" must be a whole number, 0 or more"_s);
        }
        Json wrongTime = entries.first().toJson();
        wrongTime["created_at"] = 5;
        QVERIFY(!CacheEntry::fromJson(wrongTime, &error));
        QCOMPARE(error, u"\"created_at\" must be a string (an ISO 8601 time)"_s);
        Json noHits = entries.first().toJson();
        noHits.erase("hits");
        QVERIFY(CacheEntry::fromJson(noHits)); // left out is fine: 0
    }

    void fileSurvivesReopen()
    {
        const QString path = file(u"sub/folder/e.sqlite"_s); // the folders are created
        const CacheKeyParts p = parts(u"keep me"_s);
        {
            SqliteReplayCache cache(path);
            QString error;
            QVERIFY2(cache.open(&error), qPrintable(error));
            QVERIFY(cache.store(p, Json{{"content", "kept"}}, usage(5, 6)));
            QVERIFY(cache.lookup(p.key())); // one hit, written when the cache closes
        }
        SqliteReplayCache again(path);
        QVERIFY(again.open());
        QCOMPARE(again.find(p.key())->hits, 1);
        const auto entry = again.lookup(p.key());
        QVERIFY(entry);
        QCOMPARE(dumpJson(entry->output), "{\"content\":\"kept\"}");
        QCOMPARE(entry->usage.outputTokens, 6);

        // The parts are readable in the file itself, and the journal is WAL.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"inspect"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"SELECT bot_key, action_type, parameters FROM replay_entries"_s));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), u"chat"_s);
            QCOMPARE(q.value(1).toString(), u"llm.message"_s);
            QCOMPARE(q.value(2).toString(), QString::fromUtf8(dumpJson(p.parameters)));
            QVERIFY(q.exec(u"PRAGMA journal_mode"_s) && q.next());
            QCOMPARE(q.value(0).toString(), u"wal"_s);
        }
        QSqlDatabase::removeDatabase(u"inspect"_s);
    }

    void notADatabaseIsReportedAndLeftUntouched()
    {
        const QString path = file(u"notes.sqlite"_s);
        const QByteArray precious = QByteArray("my notes, not a database\n").repeated(200);
        writeFile(path, precious);
        SqliteReplayCache cache(path);
        QString error;
        QVERIFY(!cache.open(&error));
        QVERIFY2(error.contains(u"is not a SQLite database"_s), qPrintable(error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QVERIFY(!cache.store(parts(u"x"_s), Json(1), {}, &error));
        QVERIFY(!cache.lookup(parts(u"x"_s).key(), &error));
        QVERIFY2(error.contains(u"is not a SQLite database"_s), qPrintable(error));
        QCOMPARE(readFile(path), precious);
    }

    void anotherSqliteDatabaseIsLeftUntouched()
    {
        const QString path = file(u"other.sqlite"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"other"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"CREATE TABLE contacts (name TEXT)"_s));
            QVERIFY(q.exec(u"INSERT INTO contacts VALUES ('Ada')"_s));
        }
        QSqlDatabase::removeDatabase(u"other"_s);
        const QByteArray before = readFile(path);
        SqliteReplayCache cache(path);
        QString error;
        QVERIFY(!cache.open(&error));
        QVERIFY2(error.contains(u"not a replay cache"_s) && error.contains(u"contacts"_s), qPrintable(error));
        QCOMPARE(readFile(path), before);
    }

    void twoThreadsShareOneCache()
    {
        SqliteReplayCache cache(file(u"threads.sqlite"_s));
        QVERIFY(cache.open());
        QAtomicInt failures = 0;
        const auto work = [&](int thread) {
            for (int i = 0; i < 200; ++i) {
                const CacheKeyParts p = parts(u"t%1-%2"_s.arg(thread).arg(i));
                QString error;
                if (!cache.store(p, Json(i), usage(i, thread), &error))
                    failures.fetchAndAddRelaxed(1);
                const auto entry = cache.lookup(p.key(), &error);
                if (!entry || entry->output != Json(i))
                    failures.fetchAndAddRelaxed(1);
                // and the other thread's entries, written through its own connection
                const auto other = cache.lookup(parts(u"t%1-%2"_s.arg(1 - thread).arg(i / 2)).key(), &error);
                if (!error.isEmpty() || (other && other->output != Json(i / 2)))
                    failures.fetchAndAddRelaxed(1);
            }
        };
        std::unique_ptr<QThread> a(QThread::create(work, 0));
        std::unique_ptr<QThread> b(QThread::create(work, 1));
        a->start();
        b->start();
        QVERIFY(a->wait(60000));
        QVERIFY(b->wait(60000));
        QCOMPARE(failures.loadRelaxed(), 0);
        QCOMPARE(cache.stats().entries, 400);
        QVERIFY(cache.lookup(parts(u"t1-199"_s).key()));
    }

private:
    QString file(const QString &name) const { return m_dir.filePath(name); }
    static void writeFile(const QString &path, const QByteArray &bytes)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }
    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestReplayCache)
#include "tst_replaycache.moc"
