// Run files: a run written and read back is the same run; secrets are masked in what is
// written; a file cut short, damaged, of a newer version or not a run file is refused
// with the file's name and what is wrong. Version 2's bot definitions: found in bots
// folders only at the version the run recorded, written back with that version as the
// file's time, masked like the rest; a file without them stays version 1.
#include "core/history/runfile.h"
#include "core/model/botplan.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <zlib.h>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::history;

namespace {

RunFile sampleRun(int events = 50)
{
    RunFile run;
    run.record.summary.invocationId = u"inv-42"_s;
    run.record.summary.botKey = u"chat"_s;
    run.record.summary.botName = u"Chat"_s;
    run.record.summary.startedAt = QDateTime::fromMSecsSinceEpoch(1765000000000, Qt::UTC);
    run.record.summary.mode = u"replay"_s;
    run.record.summary.profile = u"Embedded"_s;
    run.record.summary.outcome = Outcome::Succeeded;
    run.record.summary.durationMs = 12;
    run.record.summary.tokens = 30;
    run.record.request.botKey = u"chat"_s;
    run.record.request.messages = {Message::user(u"my key is sk-secret-value-123456789"_s)};
    run.record.request.mode = Mode::replay();
    run.record.botPlan = Json{{"bot", {{"key", "chat"}}}, {"steps", Json::array()}};
    for (int i = 0; i < events; ++i)
        run.record.events.append({i, Event::fromJson({{"type", "message_content"}, {"payload", toStd(u"chunk %1 "_s.arg(i))},
                                                      {"metadata", {{"path", "answer"}, {"message_content_id", "m"}}}})});
    run.cacheEntries = Json::array({Json{{"key", "abc"}, {"output", {{"content", "x"}}}}});
    return run;
}

// The run file's header line, parsed.
Json headerOf(const QByteArray &text)
{
    return parseJson(text.left(text.indexOf('\n')));
}

QByteArray gunzip(const QString &path)
{
    gzFile gz = gzopen(QFile::encodeName(path).constData(), "rb");
    QByteArray all(1 << 20, Qt::Uninitialized);
    all.resize(gzread(gz, all.data(), unsigned(all.size())));
    gzclose(gz);
    return all;
}

// A bot file of `key` in `folder`, its time `at` (the version the catalog reads).
void writeBot(const QString &folder, const QString &name, const QString &key, const QDateTime &at,
              const QByteArray &extra = {})
{
    QDir().mkpath(folder);
    QFile f(QDir(folder).filePath(name));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"bot\": {\"key\": \"" + key.toUtf8() + "\"" + extra + "}, \"steps\": []}\n");
    f.close(); // a write flushed on close would set the time again
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.setFileTime(at, QFileDevice::FileModificationTime));
}

void gzipWrite(const QString &path, const QByteArray &bytes)
{
    gzFile gz = gzopen(QFile::encodeName(path).constData(), "wb");
    gzwrite(gz, bytes.constData(), unsigned(bytes.size()));
    gzclose(gz);
}

} // namespace

class TestRunFile : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void writtenAndReadBack()
    {
        const QString path = m_dir.filePath(u"a.invokerun"_s);
        const RunFile run = sampleRun();
        QString why;
        QVERIFY2(writeRunFile(path, run, {u"sk-secret-value-123456789"_s}, &why), qPrintable(why));
        const auto back = readRunFile(path, &why);
        QVERIFY2(back, qPrintable(why));
        QCOMPARE(back->record.summary.invocationId, u"inv-42"_s);
        QCOMPARE(back->record.summary.outcome, Outcome::Succeeded);
        QCOMPARE(back->record.summary.startedAt, run.record.summary.startedAt);
        QCOMPARE(back->record.summary.tokens, 30);
        QVERIFY(back->record.events == run.record.events);
        QVERIFY(back->record.botPlan == run.record.botPlan);
        QVERIFY(back->cacheEntries == run.cacheEntries);
        // The secret never reached the file.
        QCOMPARE(back->record.request.messages.first().content, u"my key is [redacted]"_s);
        gzFile gz = gzopen(QFile::encodeName(path).constData(), "rb");
        QByteArray all(1 << 20, Qt::Uninitialized);
        all.resize(gzread(gz, all.data(), unsigned(all.size())));
        gzclose(gz);
        QVERIFY(!all.contains("sk-secret-value"));
        QVERIFY(all.startsWith("{"));
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<QString>("message");
        QTest::newRow("not gzip, not a run") << QByteArray("hello") << false << u"not a run file"_s;
        QTest::newRow("another format") << QByteArray("{\"format\": \"other\"}\n") << true << u"not a run file"_s;
        QTest::newRow("newer") << QByteArray("{\"format\": \"invoke-run\", \"version\": 7, \"request\": {\"bot_key\": \"chat\"}}\n")
                               << true << u"written by a newer version (run file version 7"_s;
        QTest::newRow("bad event line") << QByteArray("{\"format\": \"invoke-run\", \"version\": 1, \"request\": {\"bot_key\": \"chat\"}}\n{\"t\": 1}\n")
                                        << true << u"line 2: an event line is"_s;
        QTest::newRow("missing events") << QByteArray("{\"format\": \"invoke-run\", \"version\": 1, \"summary\": {\"event_count\": 3}, \"request\": {\"bot_key\": \"chat\"}}\n{\"t\": 1, \"event\": {\"type\": \"status\"}}\n")
                                        << true << u"cut short: 1 of the 3 events"_s;
        QTest::newRow("empty") << QByteArray() << true << u"empty"_s;
        QTest::newRow("cache entries not an array")
            << QByteArray("{\"format\": \"invoke-run\", \"version\": 1, \"request\": {\"bot_key\": \"chat\"}, \"cache_entries\": {}}\n")
            << true << u"line 1: \"cache_entries\" must be an array"_s;
        // The compact shape the writer uses, with a broken event inside: the general parse names the line.
        QTest::newRow("broken compact event")
            << QByteArray("{\"format\": \"invoke-run\", \"version\": 1, \"request\": {\"bot_key\": \"chat\"}}\n{\"t\":1,\"event\":{\"type\":}}\n")
            << true << u"line 2: "_s;
        QTest::newRow("bots not an array")
            << QByteArray("{\"format\": \"invoke-run\", \"version\": 2, \"request\": {\"bot_key\": \"chat\"}, \"bots\": {}}\n")
            << true << u"line 1: bots: must be an array"_s;
        QTest::newRow("a bot's time")
            << QByteArray("{\"format\": \"invoke-run\", \"version\": 2, \"request\": {\"bot_key\": \"chat\"}, \"bots\": "
                          "[{\"key\": \"chat\", \"updated_at\": \"soon\", \"content\": \"{}\"}]}\n")
            << true << u"line 1: bots[0].updated_at: \"soon\" is not an ISO 8601 time"_s;
        QTest::newRow("a bot's content")
            << QByteArray("{\"format\": \"invoke-run\", \"version\": 2, \"request\": {\"bot_key\": \"chat\"}, \"bots\": "
                          "[{\"key\": \"chat\", \"updated_at\": \"2026-01-01T00:00:00.000Z\"}]}\n")
            << true << u"line 1: bots[0].content: must be a string"_s;
    }

    void botDefinitionsTravelInVersion2()
    {
        // Without bot definitions: version 1, which a reader of version 1 opens.
        const QString plain = m_dir.filePath(u"plain.invokerun"_s);
        QString why;
        QVERIFY2(writeRunFile(plain, sampleRun(3), {}, &why), qPrintable(why));
        QCOMPARE(intField(headerOf(gunzip(plain)), "version"), 1);
        QVERIFY(!gunzip(plain).contains("\"bots\""));
        QVERIFY(readRunFile(plain, &why)->bots.isEmpty());

        RunFile run = sampleRun(3);
        run.bots = {BotSource{u"chat"_s, u"2026-01-02T03:04:05.678Z"_s, u"chat.bot.json"_s,
                              "{\"bot\": {\"key\": \"chat\", \"note\": \"sk-secret-value-123456789\"}, \"steps\": []}"},
                    BotSource{u"helper"_s, u"2026-01-01T00:00:00.000Z"_s, u"helper.bot.json"_s, "{}"}};
        const QString path = m_dir.filePath(u"bots.invokerun"_s);
        QVERIFY2(writeRunFile(path, run, {u"sk-secret-value-123456789"_s}, &why), qPrintable(why));
        const QByteArray text = gunzip(path);
        QCOMPARE(intField(headerOf(text), "version"), 2);
        QVERIFY(!text.contains("sk-secret-value"));
        const auto back = readRunFile(path, &why);
        QVERIFY2(back, qPrintable(why));
        QCOMPARE(back->bots.size(), 2);
        QCOMPARE(back->bots[0].key, u"chat"_s);
        QCOMPARE(back->bots[0].updatedAt, u"2026-01-02T03:04:05.678Z"_s);
        QVERIFY(back->bots[0].content.contains("\"note\": \"[redacted]\""));
        QVERIFY(back->bots[1] == run.bots[1]);

        // A version 1 file written before version 2 existed still opens.
        const QString old = m_dir.filePath(u"old.invokerun"_s);
        gzipWrite(old, "{\"format\": \"invoke-run\", \"version\": 1, \"request\": {\"bot_key\": \"chat\"}, "
                       "\"bot_plan\": null, \"mocks\": null, \"cache_entries\": []}\n");
        const auto opened = readRunFile(old, &why);
        QVERIFY2(opened, qPrintable(why));
        QVERIFY(opened->bots.isEmpty());
    }

    void botFilesAreTakenAtTheRecordedVersionOnly()
    {
        const QDateTime ran(QDate(2026, 5, 4), QTime(3, 2, 1, 250), Qt::UTC);
        const QDateTime subRan(QDate(2026, 4, 1), QTime(8, 0, 0, 5), Qt::UTC);
        const QString bundled = m_dir.filePath(u"found/bundled"_s), mine = m_dir.filePath(u"found/mine"_s);
        writeBot(bundled, u"tea.bot.json"_s, u"tea"_s, ran.addDays(-9)); // shadowed by the user's
        writeBot(mine, u"tea.bot.json"_s, u"tea"_s, ran);
        writeBot(mine, u"polish.bot.json"_s, u"polisher"_s, subRan, ", \"name\": \"Polisher\"");
        writeBot(mine, u"other.bot.json"_s, u"other"_s, ran);

        RunRecord run;
        run.summary.botKey = u"tea"_s;
        run.summary.botUpdatedAt = ran.toString(Qt::ISODateWithMs);
        BotPlan plan;
        plan.botKey = u"tea"_s;
        plan.steps = {PlannedStep{u"draft"_s, u"draft"_s, u"llm.message"_s, u"tea"_s, 0},
                      PlannedStep{u"polish"_s, u"polish"_s, u"bot.invoke"_s, u"tea"_s, 0},
                      PlannedStep{u"polish/answer"_s, u"answer"_s, u"llm.message"_s, u"polisher"_s, 1}};
        plan.steps[2].botUpdatedAt = subRan.toString(Qt::ISODateWithMs);
        run.botPlan = plan.toJson();
        const QList<BotVersion> versions = runBotVersions(run);
        QCOMPARE(versions.size(), 2);
        QCOMPARE(versions[1].key, u"polisher"_s);

        FoundBotSources found = findBotSources(versions, {bundled, mine});
        QVERIFY2(found.notCarried.isEmpty(), qPrintable(found.notCarried.join(u"; "_s)));
        QCOMPARE(found.sources.size(), 2);
        QCOMPARE(found.sources[0].updatedAt, ran.toString(Qt::ISODateWithMs));
        QCOMPARE(found.sources[1].fileName, u"polish.bot.json"_s);
        QVERIFY(found.sources[1].content.contains("Polisher"));

        // Written back in a folder of its own, each file's time is its version.
        const QString copy = m_dir.filePath(u"found/copy"_s);
        QString why;
        QVERIFY2(writeBotSources(found.sources, copy, &why), qPrintable(why));
        const QFileInfo polisher(QDir(copy).filePath(u"polisher.bot.json"_s));
        QVERIFY(polisher.exists());
        QCOMPARE(polisher.lastModified().toUTC(), subRan);
        QCOMPARE(QFileInfo(QDir(copy).filePath(u"tea.bot.json"_s)).lastModified().toUTC(), ran);
        const FoundBotSources again = findBotSources(versions, {copy});
        QCOMPARE(again.sources.size(), 2);
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(again.sources[i].updatedAt, found.sources[i].updatedAt);
            QCOMPARE(again.sources[i].content, found.sources[i].content);
        }
        // keepExisting leaves a file of other bytes alone.
        QStringList skipped;
        QList<BotSource> changed = found.sources;
        changed[0].content = "{\"bot\": {\"key\": \"tea\"}, \"steps\": [], \"x\": 1}";
        QVERIFY2(writeBotSources(changed, copy, &why, true, &skipped), qPrintable(why));
        QCOMPARE(skipped, QStringList{QDir(copy).filePath(u"tea.bot.json"_s)});

        // Edited since the run, or gone: not carried, and why.
        writeBot(mine, u"tea.bot.json"_s, u"tea"_s, ran.addSecs(60));
        QFile::remove(QDir(mine).filePath(u"polish.bot.json"_s));
        found = findBotSources(versions, {bundled, mine});
        QVERIFY(found.sources.isEmpty());
        QCOMPARE(found.notCarried.size(), 2);
        QVERIFY2(found.notCarried[0].startsWith(u"tea: its file changed since the run"_s), qPrintable(found.notCarried[0]));
        QVERIFY2(found.notCarried[1].startsWith(u"polisher: no bot file"_s), qPrintable(found.notCarried[1]));
    }

    void bothSpellingsOfAnEventLineReadTheSame()
    {
        // The writer's compact line is read by slicing the event out; any other spelling of
        // the same line by a full parse. Both give the event as written.
        const QByteArray event = "{\"type\":\"status\",\"payload\":{\"status\":\"ok\"},\"metadata\":{\"path\":\"a\",\"seq\":4,\"t_ms\":9}}";
        const QString path = m_dir.filePath(u"spellings.invokerun"_s);
        gzipWrite(path, "{\"format\": \"invoke-run\", \"version\": 1, \"request\": {\"bot_key\": \"chat\"}}\n"
                        "{\"t\":7,\"event\":" + event + "}\n"
                        "{ \"event\": " + event + ", \"t\": 7 }\n");
        QString why;
        const auto back = readRunFile(path, &why);
        QVERIFY2(back, qPrintable(why));
        QCOMPARE(back->record.events.size(), 2);
        const TimedEvent &fast = back->record.events.at(0);
        const TimedEvent &general = back->record.events.at(1);
        QCOMPARE(fast.atMs, 7);
        QCOMPARE(fast.event.raw, event);
        QCOMPARE(fast.event.type, u"status"_s);
        QCOMPARE(fast.event.path, u"a"_s);
        QCOMPARE(fast.event.seq, 4);
        QCOMPARE(fast.event.tMs, 9);
        QCOMPARE(general.atMs, fast.atMs);
        QVERIFY(general.event.json() == fast.event.json());
        QCOMPARE(general.event.type, fast.event.type);
        QCOMPARE(general.event.path, fast.event.path);
        QCOMPARE(general.event.seq, fast.event.seq);
        QCOMPARE(general.event.tMs, fast.event.tMs);
    }

    void refusals()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, gzip);
        QFETCH(QString, message);
        const QString path = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_') + u".invokerun"_s);
        if (gzip) {
            gzipWrite(path, content);
        } else {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        QString why;
        QVERIFY(!readRunFile(path, &why));
        QVERIFY2(why.startsWith(path + u": "_s), qPrintable(why));
        QVERIFY2(why.contains(message), qPrintable(why));
    }

    void aTruncatedFileIsRefused()
    {
        const QString path = m_dir.filePath(u"whole.invokerun"_s);
        QString why;
        QVERIFY(writeRunFile(path, sampleRun(5000), {}, &why));
        QFile whole(path);
        QVERIFY(whole.open(QIODevice::ReadOnly));
        const QByteArray bytes = whole.readAll();
        const QString cut = m_dir.filePath(u"cut.invokerun"_s);
        QFile f(cut);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes.left(bytes.size() / 2));
        f.close();
        QVERIFY(!readRunFile(cut, &why));
        QVERIFY2(why.contains(u"cut short"_s) || why.contains(u"damaged"_s), qPrintable(why));
    }

    void aFileOnePastTheLimitIsRefused()
    {
        const QString path = m_dir.filePath(u"limit.invokerun"_s);
        QString why;
        QVERIFY(writeRunFile(path, sampleRun(10), {}, &why));
        gzFile gz = gzopen(QFile::encodeName(path).constData(), "rb");
        QByteArray all(1 << 20, Qt::Uninitialized);
        all.resize(gzread(gz, all.data(), unsigned(all.size())));
        gzclose(gz);
        QVERIFY(readRunFile(path, &why, all.size()));
        QVERIFY(!readRunFile(path, &why, all.size() - 1));
        QVERIFY2(why.contains(u"more than a run file may hold"_s), qPrintable(why));
    }

    void aMissingFile()
    {
        QString why;
        QVERIFY(!readRunFile(m_dir.filePath(u"none.invokerun"_s), &why));
        QVERIFY2(why.contains(u"cannot be opened"_s), qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(TestRunFile)
#include "tst_runfile.moc"
