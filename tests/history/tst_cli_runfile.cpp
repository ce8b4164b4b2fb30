// The issue's "Done when", second half, through the real invoke-cli on two homes (each
// its own XDG folders): a run recorded in replay mode on one is exported with the
// replay-cache entries its steps used (secrets masked), and on a second, empty home it
// re-runs from the file in replay mode to the same result with zero LLM calls, answered
// from the file's entries in a cache of their own: the second home's replay cache stays
// empty unless `runs import --add-cache-entries` is asked (docs/runs.md).
//
// Then the whole "Done when" with a user's OWN bot (and its own sub-bot) run LIVE: the
// export carries the live LLM answers as cache entries and both bots' definitions; on a
// second home that has no such bot, no cache and no reachable LLM, `runs rerun FILE
// --mode replay` runs the file's definitions (in a folder of their own, not the user's
// bots folder) and is answered from the file's entries: the same result, zero LLM calls.
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"

#include "core/cache/cacheentry.h"
#include "core/history/runfile.h"
#include "core/model/json/json.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

#include <zlib.h>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {
const QString kApiKey = u"sk-test-runfile-0123456789abcdef"_s;

// The user's own bot and its own sub-bot (not bundled examples): a draft, polished by the
// sub-bot, whose answer is the result.
const QByteArray kTeaBrewer = R"({
  "bot": {"key": "tea-brewer", "name": "Tea brewer", "description": "Drafts brewing advice, then has it polished."},
  "parameter_definitions": [{"key": "tone", "name": "Tone", "type": "string", "required": false, "default": "warm"}],
  "steps": [
    {"key": "draft", "action_type": "llm.message",
     "parameters": {"system_prompt": "Draft brewing advice in a {{tone}} tone.", "query": "{{query}}"},
     "user_output_visibility": "hidden"},
    {"key": "polish", "action_type": "bot.invoke", "depends_on": ["draft"],
     "parameters": {"bot_key": "tea-polisher", "messages": "{{steps.draft.content}}"}}
  ]
})";
const QByteArray kTeaPolisher = R"({
  "bot": {"key": "tea-polisher", "name": "Tea polisher"},
  "steps": [
    {"key": "answer", "action_type": "llm.message",
     "parameters": {"system_prompt": "Polish this advice.", "query": "{{query}}"},
     "user_output_visibility": "visible"}
  ]
})";

// The user's bots folder of a scratch home (paths::userBots() under its XDG_DATA_HOME).
QString userBotsOf(const QTemporaryDir &home)
{
    return home.filePath(u"data/Invoke Studio/invoke-studio/bots"_s);
}

// A loopback URL where nothing listens: an LLM that cannot be reached.
QString unreachableLlm()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost))
        return {};
    const quint16 port = probe.serverPort();
    probe.close();
    return u"http://127.0.0.1:%1/v1"_s.arg(port);
}
}

class TstCliRunFile : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_homeA, m_homeB, m_homeC;
    QTemporaryDir m_homeD, m_homeE; // the own bot's first machine, and the offline one
    test::OpenAiStubServer m_llmA; // the first machine's model
    test::OpenAiStubServer m_llmB; // what the other machines could reach: it must not be asked
    QString m_file;
    Json m_resultA;

    test::CliRun run(const QTemporaryDir &home, const test::OpenAiStubServer &llm, const QStringList &args)
    {
        return runAt(home, llm.baseUrl(), args);
    }
    test::CliRun runAt(const QTemporaryDir &home, const QString &llmUrl, const QStringList &args)
    {
        QProcessEnvironment env = test::ServerProcess::scratchEnvironment(home.path(), llmUrl);
        env.insert(u"INVOKE_LLM_API_KEY"_s, kApiKey);
        return test::runProcess(test::cliProgram(), args, env, home.path());
    }
    static QString newest(const test::CliRun &list)
    {
        const Json runs = parseJson(list.out.toUtf8());
        return runs.is_array() && !runs.empty() ? stringField(runs[0], "invocation_id") : QString();
    }
    // What must agree between two runs of the same answers (`--format json`): the steps'
    // keys, actions and statuses, and the result's text (ids and times differ).
    static Json comparable(const Json &summary)
    {
        return Json{{"steps", summary.value("steps", Json())}, {"result", summary.value("result", Json())}};
    }
    // `runs diff A B --json` on `home`: the same steps with the same outputs, and B's LLM
    // steps answered by replay.
    void verifySameRun(const QTemporaryDir &home, const QString &a, const QString &b)
    {
        const test::CliRun diff = run(home, m_llmB, {u"runs"_s, u"diff"_s, a, b, u"--json"_s});
        QVERIFY2(diff.exitCode == 0, qPrintable(diff.err));
        const Json d = parseJson(diff.out.toUtf8(), nullptr, kJsonMaxWireDepth);
        QVERIFY2(d.value("first_divergence", Json(0)).is_null(), qPrintable(diff.out));
        QCOMPARE(d["steps"].size(), size_t(4));
        int replayed = 0;
        for (const Json &step : d["steps"]) {
            QVERIFY2(step["a"].is_object() && step["b"].is_object(), qPrintable(diff.out));
            QVERIFY(step["a"]["output"] == step["b"]["output"]);
            if (stringField(step["b"], "source") == u"replay_hit"_s)
                ++replayed;
        }
        QCOMPARE(replayed, 2); // gather and summarise/answer
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_llmA.listen());
        QVERIFY(m_llmB.listen());
        m_llmA.setReply(test::StubReply::text({u"Green tea "_s, u"is steamed."_s}, 12, 5));
        m_llmB.setReply(test::StubReply::text({u"an answer from the wrong machine"_s}, 1, 1));
    }

    void exportCarriesTheEntriesItsReplayUsed()
    {
        // research-assistant: gather (llm.message) and summarise, a sub-bot (summariser/answer).
        const QStringList invoke{u"invoke"_s, u"research-assistant"_s, u"-m"_s, u"tea?"_s, u"--mode"_s, u"replay"_s,
                                 u"--format"_s, u"json"_s};
        const test::CliRun first = run(m_homeA, m_llmA, invoke);
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        QCOMPARE(m_llmA.requestCount(), 2);
        const test::CliRun second = run(m_homeA, m_llmA, invoke); // replayed
        QVERIFY2(second.exitCode == 0, qPrintable(second.err));
        QCOMPARE(m_llmA.requestCount(), 2);
        m_resultA = parseJson(second.out.toUtf8(), nullptr, kJsonMaxWireDepth);
        QVERIFY(m_resultA.is_object());

        const QString id = newest(run(m_homeA, m_llmA, {u"runs"_s, u"list"_s, u"--json"_s}));
        QVERIFY(!id.isEmpty());
        m_file = m_homeA.filePath(u"tea.invokerun"_s);
        const test::CliRun exported = run(m_homeA, m_llmA, {u"runs"_s, u"export"_s, id.left(8), m_file});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QVERIFY2(exported.err.contains(u"2 replay-cache entries"_s), qPrintable(exported.err));

        QString error;
        const auto file = history::readRunFile(m_file, &error);
        QVERIFY2(file, qPrintable(error));
        QCOMPARE(file->cacheEntries.size(), size_t(2));
        QStringList bots;
        for (const Json &e : file->cacheEntries) {
            const auto entry = cache::CacheEntry::fromJson(e, &error); // its key is its parts' SHA-256
            QVERIFY2(entry, qPrintable(error));
            QCOMPARE(entry->parts.scope, u"local"_s);
            QCOMPARE(entry->parts.actionType, u"llm.message"_s);
            QVERIFY(!entry->parts.botUpdatedAt.isEmpty());
            bots << entry->parts.botKey;
            QVERIFY2(dumpJson(entry->output).contains("Green tea is steamed."), dumpJson(entry->output).constData());
        }
        bots.sort();
        QCOMPARE(bots, (QStringList{u"research-assistant"_s, u"summariser"_s}));

        // The API key is nowhere in the file.
        gzFile gz = gzopen(QFile::encodeName(m_file).constData(), "rb");
        QVERIFY(gz);
        QByteArray text;
        char chunk[1 << 15];
        int n = 0;
        while ((n = gzread(gz, chunk, sizeof chunk)) > 0)
            text.append(chunk, n);
        gzclose(gz);
        QVERIFY(text.contains("\"cache_entries\""));
        QVERIFY(!text.contains(kApiKey.toUtf8()));
    }

    void reRunsOfflineOnAnotherHomeWithZeroCalls()
    {
        QVERIFY(!m_file.isEmpty());
        const test::CliRun rerun = run(m_homeB, m_llmB, {u"runs"_s, u"rerun"_s, m_file, u"--format"_s, u"json"_s});
        QVERIFY2(rerun.exitCode == 0, qPrintable(rerun.err + rerun.out));
        QCOMPARE(m_llmB.requestCount(), 0);
        const Json resultB = parseJson(rerun.out.toUtf8(), nullptr, kJsonMaxWireDepth);
        QVERIFY2(comparable(resultB) == comparable(m_resultA), qPrintable(rerun.out));
        QVERIFY2(stringField(resultB, "result").contains(u"Green tea is steamed."_s), qPrintable(rerun.out));
        const QString rerunId = newest(run(m_homeB, m_llmB, {u"runs"_s, u"list"_s, u"--json"_s}));
        verifySameRun(m_homeB, m_file, rerunId);
        if (QTest::currentTestFailed())
            return;

        // The entries served the run in a cache of their own: the home's stays empty.
        const Json stats = parseJson(run(m_homeB, m_llmB, {u"cache"_s, u"stats"_s, u"--json"_s}).out.toUtf8());
        QCOMPARE(intField(stats, "entries", -1), 0);
        // So a plain replay run on this home misses and asks its model.
        const test::CliRun plain = run(m_homeB, m_llmB, {u"invoke"_s, u"research-assistant"_s, u"-m"_s, u"tea?"_s,
                                                         u"--mode"_s, u"replay"_s});
        QCOMPARE(plain.exitCode, 0);
        QCOMPARE(m_llmB.requestCount(), 2);

        // The re-run (recorded on this home with the file's entries) exports them again: its
        // replay was answered from them, not from this home's cache.
        const QString again = m_homeB.filePath(u"again.invokerun"_s);
        const test::CliRun exported = run(m_homeB, m_llmB, {u"runs"_s, u"export"_s, rerunId, again});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QVERIFY2(exported.err.contains(u"2 replay-cache entries"_s) && !exported.err.contains(u"made from"_s),
                 qPrintable(exported.err));
    }

    void reRunRefusesWhatWouldChangeTheRequest()
    {
        // --mode chooses another mode; options that would change the request are refused.
        const test::CliRun changed = run(m_homeB, m_llmB, {u"runs"_s, u"rerun"_s, m_file, u"-m"_s, u"coffee?"_s});
        QCOMPARE(changed.exitCode, 2);
        QVERIFY2(changed.err.contains(u"would change the run's request"_s), qPrintable(changed.err));
        const test::CliRun missing = run(m_homeB, m_llmB, {u"runs"_s, u"rerun"_s, u"ffffffff"_s});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(u"no run ffffffff"_s), qPrintable(missing.err));
    }

    void importAddsTheEntriesOnlyWhenAsked()
    {
        const test::CliRun imported = run(m_homeC, m_llmB, {u"runs"_s, u"import"_s, m_file});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        Json stats = parseJson(run(m_homeC, m_llmB, {u"cache"_s, u"stats"_s, u"--json"_s}).out.toUtf8());
        QCOMPARE(intField(stats, "entries", -1), 0);
        // Imported again with its entries (the history holds one copy of a run).
        const test::CliRun again = run(m_homeC, m_llmB, {u"runs"_s, u"rm"_s, newest(run(m_homeC, m_llmB, {u"runs"_s, u"list"_s, u"--json"_s}))});
        QCOMPARE(again.exitCode, 0);
        const test::CliRun added = run(m_homeC, m_llmB, {u"runs"_s, u"import"_s, m_file, u"--add-cache-entries"_s});
        QVERIFY2(added.exitCode == 0, qPrintable(added.err));
        QVERIFY2(added.err.contains(u"Added 2 replay-cache entries"_s), qPrintable(added.err));
        stats = parseJson(run(m_homeC, m_llmB, {u"cache"_s, u"stats"_s, u"--json"_s}).out.toUtf8());
        QCOMPARE(intField(stats, "entries", -1), 2);
        const int before = m_llmB.requestCount();
        const test::CliRun replay = run(m_homeC, m_llmB, {u"invoke"_s, u"research-assistant"_s, u"-m"_s, u"tea?"_s,
                                                          u"--mode"_s, u"replay"_s, u"--format"_s, u"json"_s});
        QCOMPARE(replay.exitCode, 0);
        QCOMPARE(m_llmB.requestCount(), before);
        QVERIFY(comparable(parseJson(replay.out.toUtf8(), nullptr, kJsonMaxWireDepth)) == comparable(m_resultA));
        verifySameRun(m_homeC, m_file, newest(run(m_homeC, m_llmB, {u"runs"_s, u"list"_s, u"--json"_s})));
    }

    void anOwnBotRunLiveReRunsOfflineOnAnotherHome()
    {
        // The first machine: the user's own bots, run live against its model.
        QVERIFY(QDir().mkpath(userBotsOf(m_homeD)));
        for (const auto &[name, bytes] : {std::pair{u"tea-brewer.bot.json"_s, kTeaBrewer},
                                          std::pair{u"tea-polisher.bot.json"_s, kTeaPolisher}}) {
            QFile f(QDir(userBotsOf(m_homeD)).filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        }
        test::OpenAiStubServer llmD;
        QVERIFY(llmD.listen());
        llmD.setReply(test::StubReply::text({u"Steep green tea "_s, u"at 80 degrees."_s}, 9, 6));
        const test::CliRun live = run(m_homeD, llmD, {u"invoke"_s, u"tea-brewer"_s, u"-m"_s, u"how long to steep?"_s,
                                                      u"--mode"_s, u"live"_s, u"--format"_s, u"json"_s});
        QVERIFY2(live.exitCode == 0, qPrintable(live.err + live.out));
        QCOMPARE(llmD.requestCount(), 2); // draft and polish/answer
        const Json resultD = parseJson(live.out.toUtf8(), nullptr, kJsonMaxWireDepth);
        QVERIFY2(stringField(resultD, "result").contains(u"Steep green tea at 80 degrees."_s), qPrintable(live.out));

        const QString id = newest(run(m_homeD, llmD, {u"runs"_s, u"list"_s, u"--json"_s}));
        QVERIFY(!id.isEmpty());
        const QString file = m_homeD.filePath(u"brew.invokerun"_s);
        const test::CliRun exported = run(m_homeD, llmD, {u"runs"_s, u"export"_s, id, file});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QVERIFY2(exported.err.contains(u"2 replay-cache entries, the definitions of tea-brewer, tea-polisher"_s),
                 qPrintable(exported.err));
        QVERIFY2(exported.err.contains(u"made from the live answers of draft, polish/answer"_s), qPrintable(exported.err));
        QString error;
        const auto written = history::readRunFile(file, &error);
        QVERIFY2(written, qPrintable(error));
        QCOMPARE(written->bots.size(), 2);
        QCOMPARE(written->bots[0].content, kTeaBrewer);
        for (const Json &e : written->cacheEntries) {
            const auto entry = cache::CacheEntry::fromJson(e, &error);
            QVERIFY2(entry, qPrintable(error));
            const history::BotSource &bot = entry->parts.botKey == u"tea-brewer"_s ? written->bots[0] : written->bots[1];
            QCOMPARE(entry->parts.botKey, bot.key);
            QCOMPARE(entry->parts.botUpdatedAt, bot.updatedAt); // the sub-bot's own version too
        }

        // `cache explain` keys a sub-bot's step with the sub-bot's version from the recorded
        // plan: after a replay run stored both answers, both would hit now.
        const test::CliRun stored = run(m_homeD, llmD, {u"invoke"_s, u"tea-brewer"_s, u"-m"_s, u"how long to steep?"_s,
                                                        u"--mode"_s, u"replay"_s});
        QVERIFY2(stored.exitCode == 0, qPrintable(stored.err + stored.out));
        const QString storedId = newest(run(m_homeD, llmD, {u"runs"_s, u"list"_s, u"--json"_s}));
        const test::CliRun explained = run(m_homeD, llmD, {u"cache"_s, u"explain"_s, storedId, u"--json"_s});
        QVERIFY2(explained.exitCode == 0, qPrintable(explained.err));
        const Json why = parseJson(explained.out.toUtf8(), nullptr, kJsonMaxWireDepth);
        QStringList wouldHit;
        for (const Json &step : why.value("steps", Json::array()))
            if (step["now"].value("hit", Json()) == Json(true))
                wouldHit << stringField(step, "path");
        QVERIFY2(wouldHit == (QStringList{u"draft"_s, u"polish/answer"_s}), qPrintable(explained.out));
        const test::CliRun explainedText = run(m_homeD, llmD, {u"cache"_s, u"explain"_s, storedId, u"--step"_s,
                                                               u"polish/answer"_s});
        QVERIFY2(explainedText.out.contains(u"now: a replay would hit"_s), qPrintable(explainedText.out));
        // Once the sub-bot is edited, its own version is the field that changed.
        {
            QFile f(QDir(userBotsOf(m_homeD)).filePath(u"tea-polisher.bot.json"_s));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
            f.write("\n");
            QVERIFY(f.setFileTime(QDateTime::currentDateTimeUtc().addSecs(60), QFileDevice::FileModificationTime));
        }
        const test::CliRun edited = run(m_homeD, llmD, {u"invoke"_s, u"tea-brewer"_s, u"-m"_s, u"how long to steep?"_s,
                                                        u"--mode"_s, u"replay"_s, u"-v"_s, u"--format"_s, u"text"_s});
        QVERIFY2(edited.exitCode == 0, qPrintable(edited.err + edited.out));
        const QString editedId = newest(run(m_homeD, llmD, {u"runs"_s, u"list"_s, u"--json"_s}));
        const test::CliRun explainedEdit = run(m_homeD, llmD, {u"cache"_s, u"explain"_s, editedId, u"--step"_s,
                                                               u"polish/answer"_s});
        QVERIFY2(explainedEdit.out.contains(u"replay miss: bot updated_at changed"_s), qPrintable(explainedEdit.out));
        QVERIFY2(explainedEdit.out.contains(u"now: a replay would hit"_s), qPrintable(explainedEdit.out));

        // The second machine: no such bot, no cache, and its LLM cannot be reached.
        const QString offline = unreachableLlm();
        QVERIFY(!offline.isEmpty());
        const test::CliRun noBot = runAt(m_homeE, offline, {u"invoke"_s, u"tea-brewer"_s, u"-m"_s, u"x"_s,
                                                            u"--mode"_s, u"replay"_s});
        QVERIFY2(noBot.exitCode != 0 && noBot.err.contains(u"tea-brewer"_s), qPrintable(noBot.err));
        const test::CliRun rerun = runAt(m_homeE, offline, {u"runs"_s, u"rerun"_s, file, u"--mode"_s, u"replay"_s,
                                                            u"--format"_s, u"json"_s});
        QVERIFY2(rerun.exitCode == 0, qPrintable(rerun.err + rerun.out));
        const Json resultE = parseJson(rerun.out.toUtf8(), nullptr, kJsonMaxWireDepth);
        QCOMPARE(stringField(resultE, "result"), stringField(resultD, "result"));
        // Step by step the same answers, both LLM steps replayed (no call could have
        // succeeded: a live step would have failed the run).
        const QString rerunId = newest(runAt(m_homeE, offline, {u"runs"_s, u"list"_s, u"--json"_s}));
        const test::CliRun diff = runAt(m_homeE, offline, {u"runs"_s, u"diff"_s, file, rerunId, u"--json"_s});
        QVERIFY2(diff.exitCode == 0, qPrintable(diff.err));
        const Json d = parseJson(diff.out.toUtf8(), nullptr, kJsonMaxWireDepth);
        QVERIFY2(d.value("first_divergence", Json(0)).is_null(), qPrintable(diff.out));
        QStringList replayed;
        for (const Json &step : d["steps"]) {
            QVERIFY2(step["a"].is_object() && step["b"].is_object(), qPrintable(diff.out));
            QVERIFY(step["a"]["output"] == step["b"]["output"]);
            if (stringField(step["b"], "source") == u"replay_hit"_s)
                replayed << stringField(step, "path");
        }
        QCOMPARE(replayed, (QStringList{u"draft"_s, u"polish/answer"_s}));

        // The definitions ran from a folder of their own: the home's bots folder and cache
        // are as they were, and without them (--current-bots) the bot is not there.
        QVERIFY(!QFileInfo::exists(QDir(userBotsOf(m_homeE)).filePath(u"tea-brewer.bot.json"_s)));
        const Json stats = parseJson(runAt(m_homeE, offline, {u"cache"_s, u"stats"_s, u"--json"_s}).out.toUtf8());
        QCOMPARE(intField(stats, "entries", -1), 0);
        const test::CliRun current = runAt(m_homeE, offline, {u"runs"_s, u"rerun"_s, file, u"--current-bots"_s});
        QVERIFY2(current.exitCode != 0 && current.err.contains(u"tea-brewer"_s), qPrintable(current.err + current.out));

        // Added to the bots folder only when asked, with the version the run had.
        const test::CliRun imported = runAt(m_homeE, offline, {u"runs"_s, u"import"_s, file, u"--add-bots"_s});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY2(imported.err.contains(u"Added 2 bot definitions"_s), qPrintable(imported.err));
        const Json bots = parseJson(runAt(m_homeE, offline, {u"bots"_s, u"--json"_s}).out.toUtf8());
        QString brewerVersion;
        QVERIFY2(bots.is_array(), dumpJson(bots).constData());
        for (const Json &bot : bots)
            if (stringField(bot, "key") == u"tea-brewer"_s)
                brewerVersion = stringField(bot, "updated_at");
        QCOMPARE(brewerVersion, written->bots[0].updatedAt);
    }
};

QTEST_GUILESS_MAIN(TstCliRunFile)
#include "tst_cli_runfile.moc"
