// The bot definitions the run history keeps (schema 2, docs/runs.md), on real SQLite
// files: a history of schema 1 (made here with that version's own tables and a run in
// it) is brought to schema 2 and keeps its runs; each definition is kept once however
// many runs ran it; a definition goes with the last run that refers to it, whether the
// run is removed or evicted; the versions kept already are tied to a new run without
// reading anything.
#include "core/history/eventchunks.h"
#include "core/history/historystore.h"
#include "core/wire/events.h"

#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::history;

namespace {

// Schema 1 as invoke-cli and the studio wrote it before bot definitions were kept.
const char *const kSchemaVersion1[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE runs(id INTEGER PRIMARY KEY, invocation_id TEXT NOT NULL DEFAULT '',"
    " bot_key TEXT NOT NULL, bot_name TEXT NOT NULL DEFAULT '',"
    " started_at INTEGER NOT NULL, mode TEXT NOT NULL DEFAULT '', profile TEXT NOT NULL DEFAULT '',"
    " bot_updated_at TEXT NOT NULL DEFAULT '', bot_plan TEXT,"
    " outcome TEXT NOT NULL, duration_ms INTEGER NOT NULL DEFAULT -1, tokens INTEGER NOT NULL DEFAULT 0,"
    " event_count INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,"
    " pinned INTEGER NOT NULL DEFAULT 0, request TEXT NOT NULL, error TEXT NOT NULL DEFAULT '',"
    " result_text TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX runs_started ON runs(started_at)",
    "CREATE INDEX runs_bot ON runs(bot_key, started_at)",
    "CREATE INDEX runs_invocation ON runs(invocation_id)",
    "CREATE TABLE run_events(run_id INTEGER NOT NULL, chunk INTEGER NOT NULL,"
    " data BLOB NOT NULL, PRIMARY KEY(run_id, chunk)) WITHOUT ROWID",
    "INSERT INTO meta(key, value) VALUES('schema_version', '1')",
};

QList<TimedEvent> runEvents(const QString &id, const QString &text)
{
    const auto ev = [](const Json &json) { return Event::fromJson(json); };
    return {
        {0, ev({{"type", "invocation_started"}, {"payload", {{"bot_key", "tea"}, {"bot_name", "Tea"}, {"invocation_id", toStd(id)}}}, {"metadata", Json::object()}})},
        {3, ev({{"type", "message_content"}, {"payload", toStd(text)}, {"metadata", {{"path", "answer"}, {"message_content_id", "m1"}, {"user_visibility", "visible"}}}})},
        {4, ev({{"type", "invocation_finished"}, {"payload", {{"status", "success"}, {"output", {{"content", Json::array({{{"content_type", "text"}, {"content", toStd(text)}}})}}}}}, {"metadata", Json::object()}})},
    };
}

BotSource bot(const QString &key, const QString &updatedAt, const QByteArray &description)
{
    return BotSource{key, updatedAt, key + u".bot.json"_s,
                     R"({"bot": {"key": ")" + key.toUtf8() + R"(", "description": ")" + description + R"("}, "steps": []})"};
}

// How many rows `table` of the history file holds, read apart from the store.
qint64 rows(const QString &path, const char *table)
{
    qint64 count = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"count"_s);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"SELECT COUNT(*) FROM "_s + QLatin1String(table)) && q.next())
                count = q.value(0).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"count"_s);
    return count;
}

} // namespace

class TestHistoryBots : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // A whole run, started at `startedMs`, with `bots` kept; returns its row.
    qint64 record(HistoryStore &store, const QString &id, qint64 startedMs, const QList<BotSource> &bots)
    {
        QString why;
        RunSummary s;
        s.invocationId = id;
        s.botKey = u"tea"_s;
        s.startedAt = QDateTime::fromMSecsSinceEpoch(startedMs, Qt::UTC);
        s.profile = u"Embedded"_s;
        InvokeRequest request;
        request.botKey = u"tea"_s;
        const qint64 row = store.begin(s, request, &why);
        if (row == 0 || !store.append(row, runEvents(id, u"answer of "_s + id), &why) || !store.addBots(row, bots, &why))
            qWarning("%s", qPrintable(why));
        s.outcome = Outcome::Succeeded;
        store.finish(row, s, &why);
        return row;
    }

private Q_SLOTS:
    void aVersion1HistoryIsMigratedAndKeepsItsRuns()
    {
        const QString path = m_dir.filePath(u"v1.sqlite"_s);
        const QList<TimedEvent> events = runEvents(u"old-run-1"_s, u"kept from before"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"v1"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"PRAGMA journal_mode=WAL"_s));
            for (const char *statement : kSchemaVersion1)
                QVERIFY2(q.exec(QString::fromLatin1(statement)), qPrintable(q.lastError().text()));
            InvokeRequest request;
            request.botKey = u"tea"_s;
            request.messages = {Message::user(u"an old question"_s)};
            q.prepare(u"INSERT INTO runs(invocation_id, bot_key, started_at, profile, bot_updated_at, outcome, "
                      "event_count, bytes, request, result_text) VALUES(?, 'tea', 1000, 'Embedded', "
                      "'2026-01-02T03:04:05.000Z', 'succeeded', ?, 10, ?, 'kept from before')"_s);
            q.addBindValue(u"old-run-1"_s);
            q.addBindValue(events.size());
            q.addBindValue(QString::fromUtf8(dumpJson(request.toJson())));
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
            q.prepare(u"INSERT INTO run_events(run_id, chunk, data) VALUES(1, 0, ?)"_s);
            q.addBindValue(packEvents(events));
            QVERIFY(q.exec());
            db.close();
        }
        QSqlDatabase::removeDatabase(u"v1"_s);

        QString why;
        {
            HistoryStore store(path);
            QVERIFY2(store.open(&why), qPrintable(why));
            const auto old = store.load(u"old-run"_s, &why);
            QVERIFY2(old, qPrintable(why));
            QVERIFY(old->events == events);
            QCOMPARE(old->request.messages.first().content, u"an old question"_s);
            QCOMPARE(old->summary.botUpdatedAt, u"2026-01-02T03:04:05.000Z"_s);
            QCOMPARE(old->result().visibleText(), u"kept from before"_s);
            const auto none = store.bots(u"old-run-1"_s, &why);
            QVERIFY2(none && none->isEmpty(), qPrintable(why)); // nothing was kept then
            // The migrated file keeps new runs' bots.
            record(store, u"new-run-1"_s, 2000, {bot(u"tea"_s, u"2026-02-01T00:00:00.000Z"_s, "new")});
            QCOMPARE(store.bots(u"new-run-1"_s, &why).value_or(QList<BotSource>()).size(), 1);
            QCOMPARE(store.list({}, &why).size(), 2);
        }
        QCOMPARE(rows(path, "bot_sources"), 1);
        // The schema says 2, and opening it again changes nothing.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"v2"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"SELECT value FROM meta WHERE key = 'schema_version'"_s) && q.next());
            QCOMPARE(q.value(0).toString(), QString::number(HistoryStore::kSchemaVersion));
            QCOMPARE(HistoryStore::kSchemaVersion, 2);
            db.close();
        }
        QSqlDatabase::removeDatabase(u"v2"_s);
        HistoryStore again(path);
        QVERIFY2(again.open(&why), qPrintable(why));
        QVERIFY(again.load(u"old-run-1"_s, &why));
    }

    void eachDefinitionIsKeptOnceAndGoesWithItsLastRun()
    {
        const QString path = m_dir.filePath(u"dedup.sqlite"_s);
        HistoryStore store(path);
        QString why;
        QVERIFY(store.open(&why));
        const BotSource teaV1 = bot(u"tea"_s, u"2026-03-01T10:00:00.000Z"_s, "first");
        const BotSource polisher = bot(u"polisher"_s, u"2026-03-01T09:00:00.000Z"_s, "polish");
        const BotSource teaV2 = bot(u"tea"_s, u"2026-03-02T10:00:00.000Z"_s, "second");
        for (int i = 0; i < 5; ++i)
            record(store, u"v1-run-%1"_s.arg(i), 1000 + i, {teaV1, polisher});
        record(store, u"v2-run"_s, 2000, {teaV2, polisher});
        QCOMPARE(rows(path, "bot_sources"), 3); // tea twice (two versions), polisher once
        QCOMPARE(rows(path, "run_bots"), 12);
        const auto first = store.bots(u"v1-run-0"_s, &why);
        QVERIFY2(first, qPrintable(why));
        QVERIFY(*first == (QList<BotSource>{teaV1, polisher}));
        QVERIFY(store.bots(u"v2-run"_s, &why).value_or(QList<BotSource>()) == (QList<BotSource>{teaV2, polisher}));

        // Removing runs of a version keeps it while one run refers to it.
        for (int i = 0; i < 4; ++i)
            QVERIFY(store.remove(u"v1-run-%1"_s.arg(i), &why));
        QCOMPARE(rows(path, "bot_sources"), 3);
        QVERIFY(store.remove(u"v1-run-4"_s, &why));
        QCOMPARE(rows(path, "bot_sources"), 2); // tea of the first version went with its last run
        QVERIFY(store.bots(u"v2-run"_s, &why).value_or(QList<BotSource>()) == (QList<BotSource>{teaV2, polisher}));

        // The size cap's eviction takes the definitions with the runs.
        const auto evicted = store.evict(0, &why);
        QCOMPARE(evicted, 1);
        QCOMPARE(rows(path, "bot_sources"), 0);
        QCOMPARE(rows(path, "run_bots"), 0);
    }

    void evictionKeepsTheDefinitionsOfPinnedRuns()
    {
        const QString path = m_dir.filePath(u"pinned.sqlite"_s);
        HistoryStore store(path);
        QString why;
        QVERIFY(store.open(&why));
        const BotSource tea = bot(u"tea"_s, u"2026-03-01T10:00:00.000Z"_s, "kept");
        record(store, u"pinned-run"_s, 1000, {tea});
        record(store, u"other-run"_s, 2000, {tea, bot(u"other"_s, u"2026-03-01T10:00:00.000Z"_s, "gone")});
        QVERIFY(store.setPinned(u"pinned-run"_s, true, &why));
        QCOMPARE(store.evict(0, &why), 1);
        QCOMPARE(rows(path, "bot_sources"), 1);
        QVERIFY(store.bots(u"pinned-run"_s, &why).value_or(QList<BotSource>()) == QList<BotSource>{tea});
    }

    void keptVersionsAreTiedWithoutTheirFiles()
    {
        HistoryStore store(m_dir.filePath(u"kept.sqlite"_s));
        QString why;
        QVERIFY(store.open(&why));
        const BotSource tea = bot(u"tea"_s, u"2026-03-01T10:00:00.000Z"_s, "tea");
        record(store, u"first"_s, 1000, {tea});
        const qint64 row = record(store, u"second"_s, 2000, {});
        const auto missing = store.addKeptBots(row, {{u"tea"_s, tea.updatedAt}, {u"tea"_s, u"2027-01-01T00:00:00.000Z"_s},
                                                     {u"sub"_s, u"2026-03-01T10:00:00.000Z"_s}, {u"old"_s, QString()}},
                                               &why);
        QVERIFY2(missing, qPrintable(why));
        QCOMPARE(missing->size(), 3); // another version, a bot never kept, a version not recorded
        QCOMPARE(missing->at(0).updatedAt, u"2027-01-01T00:00:00.000Z"_s);
        QCOMPARE(missing->at(1).key, u"sub"_s);
        QCOMPARE(missing->at(2).key, u"old"_s);
        QVERIFY(store.bots(u"second"_s, &why).value_or(QList<BotSource>()) == QList<BotSource>{tea});
    }
};

QTEST_GUILESS_MAIN(TestHistoryBots)
#include "tst_historybots.moc"
