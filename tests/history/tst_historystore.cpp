// The run history's SQLite store: a run recorded in pieces reads back whole; list
// filters and orders; ids by unique prefix; pins survive eviction; an unfinished run
// folds with its running steps failed; a newer schema and a file that is not a history
// are refused with a message.
#include "core/history/historystore.h"
#include "core/wire/events.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::history;

namespace {

Event ev(const Json &json)
{
    return Event::fromJson(json);
}

// A run of one llm step that says `text`, finished or not.
QList<TimedEvent> runEvents(const QString &id, const QString &text, bool finished = true)
{
    QList<TimedEvent> out;
    out.append({0, ev({{"type", "invocation_started"}, {"payload", {{"bot_key", "chat"}, {"bot_name", "Chat"}, {"invocation_id", toStd(id)}}}, {"metadata", Json::object()}})});
    out.append({1, ev({{"type", "step_started"}, {"payload", {{"key", "answer"}, {"action_type", "llm.message"}, {"parameters", Json::object()}}}, {"metadata", {{"path", "answer"}}}})});
    out.append({2, ev({{"type", "message_content"}, {"payload", toStd(text)}, {"metadata", {{"path", "answer"}, {"message_content_id", "m1"}, {"user_visibility", "visible"}}}})});
    if (!finished)
        return out;
    out.append({3, ev({{"type", "step_finished"}, {"payload", {{"status", "step finished"}, {"key", "answer"}, {"action_type", "llm.message"}, {"result", {{"status", "success"}, {"output", {{"content", toStd(text)}}}}}}}, {"metadata", {{"path", "answer"}, {"source", "mock"}}}})});
    out.append({4, ev({{"type", "invocation_finished"}, {"payload", {{"status", "success"}, {"output", {{"content", Json::array({{{"content_type", "text"}, {"content", toStd(text)}}})}}}}}, {"metadata", Json::object()}})});
    return out;
}

RunSummary summary(const QString &id, const QString &bot, qint64 startedMs, Outcome outcome, const QString &text = {})
{
    RunSummary s;
    s.invocationId = id;
    s.botKey = bot;
    s.botName = bot;
    s.startedAt = QDateTime::fromMSecsSinceEpoch(startedMs, Qt::UTC);
    s.mode = u"manual"_s;
    s.profile = u"Embedded"_s;
    s.outcome = outcome;
    s.durationMs = 5;
    s.resultText = text;
    return s;
}

} // namespace

class TestHistoryStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString file(const QString &name) const { return m_dir.filePath(name); }

    qint64 record(HistoryStore &store, const QString &id, const QString &bot, qint64 startedMs, const QString &text,
                  Outcome outcome = Outcome::Succeeded)
    {
        QString why;
        InvokeRequest request;
        request.botKey = bot;
        request.messages = {Message::user(u"question about "_s + text)};
        const qint64 row = store.begin(summary({}, bot, startedMs, Outcome::Unfinished), request, &why);
        if (row == 0)
            qWarning("%s", qPrintable(why));
        const QList<TimedEvent> events = runEvents(id, text);
        store.append(row, events.mid(0, 2), &why);
        store.append(row, events.mid(2), &why);
        store.finish(row, summary(id, bot, startedMs, outcome, text), &why);
        return row;
    }

private Q_SLOTS:
    void aRunInPiecesReadsBackWhole()
    {
        HistoryStore store(file(u"a.sqlite"_s));
        QString why;
        QVERIFY2(store.open(&why), qPrintable(why));
        record(store, u"aaaa-1111"_s, u"chat"_s, 1000, u"Hello there"_s);
        const auto run = store.load(u"aaaa"_s, &why);
        QVERIFY2(run, qPrintable(why));
        QCOMPARE(run->summary.invocationId, u"aaaa-1111"_s);
        QCOMPARE(run->summary.outcome, Outcome::Succeeded);
        QCOMPARE(run->summary.eventCount, 5);
        QCOMPARE(run->events.size(), 5);
        QVERIFY(run->events == runEvents(u"aaaa-1111"_s, u"Hello there"_s));
        QCOMPARE(run->request.messages.first().content, u"question about Hello there"_s);
        const InvokeResult result = run->result();
        QVERIFY(result.success);
        QCOMPARE(result.visibleText(), u"Hello there"_s);
        QCOMPARE(result.events.size(), 5);
    }

    void listFiltersAndOrders()
    {
        HistoryStore store(file(u"b.sqlite"_s));
        QString why;
        QVERIFY(store.open(&why));
        record(store, u"r1"_s, u"chat"_s, 1000, u"tea is green"_s);
        record(store, u"r2"_s, u"summariser"_s, 2000, u"coffee 100%"_s, Outcome::Failed);
        record(store, u"r3"_s, u"chat"_s, 3000, u"black tea"_s);
        auto ids = [](const QList<RunSummary> &runs) {
            QStringList out;
            for (const RunSummary &r : runs)
                out << r.invocationId;
            return out;
        };
        QCOMPARE(ids(store.list({}, &why)), (QStringList{u"r3"_s, u"r2"_s, u"r1"_s}));
        QCOMPARE(ids(store.list({.botKey = u"chat"_s}, &why)), (QStringList{u"r3"_s, u"r1"_s}));
        QCOMPARE(ids(store.list({.text = u"TEA"_s}, &why)), (QStringList{u"r3"_s, u"r1"_s}));
        QCOMPARE(ids(store.list({.text = u"100%"_s}, &why)), QStringList{u"r2"_s}); // % is text
        QCOMPARE(ids(store.list({.outcome = Outcome::Failed}, &why)), QStringList{u"r2"_s});
        QCOMPARE(ids(store.list({.from = QDateTime::fromMSecsSinceEpoch(1500, Qt::UTC),
                                 .to = QDateTime::fromMSecsSinceEpoch(3000, Qt::UTC)}, &why)), QStringList{u"r2"_s});
        QCOMPARE(ids(store.list({.limit = 1}, &why)), QStringList{u"r3"_s});
        const Json listed = store.list({.limit = 1}, &why).first().toListJson();
        QVERIFY(listed == (Json{{"invocation_id", "r3"}, {"bot_key", "chat"}, {"started_at", "1970-01-01T00:00:03.000Z"},
                                {"mode", "manual"}, {"profile", "Embedded"}, {"outcome", "succeeded"},
                                {"duration_ms", 5}, {"tokens", 0}}));
    }

    void idsByUniquePrefix()
    {
        HistoryStore store(file(u"c.sqlite"_s));
        QString why;
        QVERIFY(store.open(&why));
        record(store, u"abc-1"_s, u"chat"_s, 1, u"x"_s);
        record(store, u"abd-2"_s, u"chat"_s, 2, u"y"_s);
        QCOMPARE(store.resolve(u"abc"_s, &why).value_or(QString()), u"abc-1"_s);
        QVERIFY(!store.resolve(u"ab"_s, &why));
        QVERIFY2(why.contains(u"more than one run"_s), qPrintable(why));
        QVERIFY(!store.resolve(u"zz"_s, &why));
        QVERIFY2(why.contains(u"no run zz"_s), qPrintable(why));
        QVERIFY(store.remove(u"abc-1"_s, &why));
        QCOMPARE(store.resolve(u"ab"_s, &why).value_or(QString()), u"abd-2"_s);
    }

    void evictionKeepsPinnedRuns()
    {
        HistoryStore store(file(u"d.sqlite"_s));
        QString why;
        QVERIFY(store.open(&why));
        for (int i = 0; i < 10; ++i)
            record(store, u"run-%1"_s.arg(i), u"chat"_s, 1000 + i, u"answer number %1"_s.arg(i));
        QVERIFY(store.setPinned(u"run-0"_s, true, &why));
        const qint64 total = store.storedBytes(&why);
        QVERIFY(total > 0);
        const int removed = store.evict(total / 2, &why);
        QVERIFY(removed >= 4);
        QVERIFY(store.storedBytes(&why) <= total / 2);
        QVERIFY(store.resolve(u"run-0"_s, &why)); // pinned, the oldest, kept
        QVERIFY(!store.resolve(u"run-1"_s, &why)); // the oldest unpinned went first
        QVERIFY(store.resolve(u"run-9"_s, &why));
    }

    void anUnfinishedRunKeepsWhatStreamed()
    {
        HistoryStore store(file(u"e.sqlite"_s));
        QString why;
        QVERIFY(store.open(&why));
        InvokeRequest request;
        request.botKey = u"chat"_s;
        RunSummary start = summary({}, u"chat"_s, 5, Outcome::Unfinished);
        const qint64 row = store.begin(start, request, &why);
        QVERIFY(store.append(row, runEvents(u"crash-1"_s, u"half an ans"_s, false), &why));
        // The process dies here: no finish(). The invocation id is in the events.
        const auto runs = store.list({}, &why);
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first().outcome, Outcome::Unfinished);
        QCOMPARE(runs.first().eventCount, 3);
        QVERIFY(store.setInvocationId(row, u"crash-1"_s, &why)); // as RunHistory does at the first event
        HistoryStore again(file(u"e.sqlite"_s));
        QVERIFY(again.open(&why));
        const auto run = again.load(u"crash"_s, &why);
        QVERIFY2(run, qPrintable(why));
        const InvokeResult result = run->result();
        QVERIFY(!result.success);
        QCOMPARE(result.steps.size(), 1);
        QCOMPARE(result.steps.first().status, StepStatus::Error);
        QVERIFY2(result.error.contains(u"did not finish"_s), qPrintable(result.error));
        QCOMPARE(result.visibleText(), u"half an ans"_s);
    }

    void aNewerSchemaIsRefusedAndLeftAlone()
    {
        const QString path = file(u"newer.sqlite"_s);
        {
            HistoryStore store(path);
            QString why;
            QVERIFY(store.open(&why));
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"poke"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"UPDATE meta SET value = '99' WHERE key = 'schema_version'"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"poke"_s);
        HistoryStore store(path);
        QString why;
        QVERIFY(!store.open(&why));
        QVERIFY2(why.contains(u"newer version (schema 99"_s), qPrintable(why));
    }

    void aFileThatIsNotAHistoryIsRefused()
    {
        const QString path = file(u"garbage.sqlite"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        HistoryStore store(path);
        QString why;
        QVERIFY(!store.open(&why));
        QVERIFY2(why.contains(path), qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
