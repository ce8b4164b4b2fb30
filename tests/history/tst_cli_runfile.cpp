// The "Done when", second half, through the real invoke-cli on two homes (each
// its own XDG folders): a run recorded in replay mode on one is exported with the
// replay-cache entries its steps used (secrets masked), and on a second, empty home it
// re-runs from the file in replay mode to the same result with zero LLM calls, answered
// from the file's entries in a cache of their own: the second home's replay cache stays
// empty unless `runs import --add-cache-entries` is asked (docs/runs.md).
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"

#include "core/cache/cacheentry.h"
#include "core/history/runfile.h"
#include "core/model/json.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <zlib.h>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {
const QString kApiKey = u"sk-test-runfile-0123456789abcdef"_s;
}

class TstCliRunFile : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_homeA, m_homeB, m_homeC;
    test::OpenAiStubServer m_llmA; // the first machine's model
    test::OpenAiStubServer m_llmB; // what the other machines could reach: it must not be asked
    QString m_file;
    Json m_resultA;

    test::CliRun run(const QTemporaryDir &home, const test::OpenAiStubServer &llm, const QStringList &args)
    {
        QProcessEnvironment env = test::ServerProcess::scratchEnvironment(home.path(), llm.baseUrl());
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
};

QTEST_GUILESS_MAIN(TstCliRunFile)
#include "tst_cli_runfile.moc"
