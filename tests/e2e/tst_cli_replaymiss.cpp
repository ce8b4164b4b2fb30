// End to end, through the real invoke-cli and the stub LLM: a replay step that missed
// says why, as a line under the step in --format text -v ("replay miss: ..."), in its
// step_finished event (metadata.replay_miss) and from `invoke-cli cache explain RUN_ID`
// over the recorded run (docs/cache.md, Why a replay missed).
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"

#include "core/model/json/json.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

class TstCliReplayMiss : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    test::OpenAiStubServer m_llm;

    test::CliRun run(const QStringList &args)
    {
        QProcessEnvironment env = test::ServerProcess::scratchEnvironment(m_home.path(), m_llm.baseUrl());
        env.insert(u"INVOKE_LLM_API_KEY"_s, u"sk-test-replaymiss"_s);
        return test::runProcess(test::cliProgram(), args, env, m_home.path());
    }
    QString newestRun()
    {
        const Json runs = parseJson(run({u"runs"_s, u"list"_s, u"--json"_s, u"--limit"_s, u"1"_s}).out.toUtf8());
        return runs.is_array() && !runs.empty() ? stringField(runs[0], "invocation_id") : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_llm.listen());
        test::StubReply reply;
        reply.deltas = {u"Tea is a drink."_s};
        m_llm.setReply(reply);
    }

    void textVerboseSaysWhy()
    {
        const QStringList base{u"invoke"_s, u"chat"_s, u"-m"_s, u"tea?"_s, u"--mode"_s, u"replay"_s,
                               u"--format"_s, u"text"_s, u"-v"_s};
        test::CliRun first = run(base);
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        QVERIFY2(first.out.contains(u"  • answer (llm.message)\n      replay miss: nothing was ever cached for this "
                                    "step (bot chat, llm.message, scope local)\n"_s)
                     || first.out.contains(u"  ✓ answer (llm.message)\n      replay miss: nothing was ever cached "
                                           "for this step (bot chat, llm.message, scope local)\n"_s),
                 qPrintable(first.out));
        QCOMPARE(m_llm.requestCount(), 1);

        const test::CliRun hit = run(base);
        QCOMPARE(hit.exitCode, 0);
        QVERIFY2(!hit.out.contains(u"replay miss"_s), qPrintable(hit.out));
        QCOMPARE(m_llm.requestCount(), 1);

        // One parameter changed: the line names it, with both values.
        const test::CliRun changed = run(base + QStringList{u"-p"_s, u"temperature=0.2"_s});
        QCOMPARE(changed.exitCode, 0);
        QVERIFY2(changed.out.contains(u"      replay miss: parameters.temperature changed from 0.7 to 0.2\n"_s),
                 qPrintable(changed.out));
        QCOMPARE(m_llm.requestCount(), 2);

        // Without -v the text output is as before.
        const test::CliRun quiet = run({u"invoke"_s, u"chat"_s, u"-m"_s, u"milk?"_s, u"--mode"_s, u"replay"_s});
        QCOMPARE(quiet.exitCode, 0);
        QVERIFY(!quiet.out.contains(u"replay miss"_s));
    }

    void eventCarriesTheExplanation()
    {
        const test::CliRun r = run({u"invoke"_s, u"chat"_s, u"-m"_s, u"tea?"_s, u"--mode"_s, u"replay"_s,
                                    u"-p"_s, u"temperature=0.3"_s, u"--format"_s, u"events"_s});
        QCOMPARE(r.exitCode, 0);
        const Json doc = parseJson(r.out.toUtf8());
        Json miss;
        for (const Json &event : doc.value("events", Json::array()))
            if (stringField(event, "type") == u"step_finished"_s)
                miss = event["metadata"].value("replay_miss", Json());
        QVERIFY(miss.is_object());
        QCOMPARE(stringField(miss, "reason"), u"inputs_differ"_s);
        QVERIFY(miss["nearest"].is_object());
        QCOMPARE(stringField(miss["fields"][0], "field"), u"parameters.temperature"_s);
        QVERIFY(miss["fields"][0]["now"] == Json(0.3));
    }

    void cacheExplainReadsTheRecordedRun()
    {
        // The newest recorded run is the temperature=0.3 one: it missed, and now it would hit.
        const QString id = newestRun();
        QVERIFY(!id.isEmpty());
        const test::CliRun text = run({u"cache"_s, u"explain"_s, id.left(8)});
        QVERIFY2(text.exitCode == 0, qPrintable(text.err));
        QVERIFY2(text.out.contains(u"answer (llm.message): replay_stored\n"
                                   "  when it ran: replay miss: parameters.temperature changed from"_s),
                 qPrintable(text.out));
        QVERIFY2(text.out.contains(u"  now: a replay would hit (key "_s), qPrintable(text.out));

        const test::CliRun json = run({u"cache"_s, u"explain"_s, id, u"--step"_s, u"answer"_s, u"--json"_s});
        QCOMPARE(json.exitCode, 0);
        const Json doc = parseJson(json.out.toUtf8());
        QCOMPARE(stringField(doc, "invocation_id"), id);
        QCOMPARE(doc["steps"].size(), size_t(1));
        QVERIFY(doc["steps"][0]["now"]["hit"] == Json(true));
        QCOMPARE(stringField(doc["steps"][0]["at_run"], "reason"), u"inputs_differ"_s);

        // After the cache is cleared, the same run would miss: nothing cached.
        QCOMPARE(run({u"cache"_s, u"clear"_s}).exitCode, 0);
        const test::CliRun after = run({u"cache"_s, u"explain"_s, id});
        QVERIFY2(after.out.contains(u"  now: replay miss: nothing was ever cached for this step"_s), qPrintable(after.out));

        const test::CliRun noStep = run({u"cache"_s, u"explain"_s, id, u"--step"_s, u"nope"_s});
        QCOMPARE(noStep.exitCode, 1);
        QVERIFY2(noStep.err.contains(u"has no step \"nope\""_s), qPrintable(noStep.err));
        const test::CliRun noRun = run({u"cache"_s, u"explain"_s, u"ffffffff"_s});
        QCOMPARE(noRun.exitCode, 1);
        QVERIFY(!noRun.err.isEmpty());
        QCOMPARE(run({u"cache"_s, u"explain"_s}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TstCliReplayMiss)
#include "tst_cli_replaymiss.moc"
