// Re-run from here (core/history/forkfromstep.h, docs/runs.md): which steps are downstream
// of the chosen one over the bot's plan (depends_on, sub-bots, handlers); the fork request
// answers the rest from the recording through pinned answers, which hold in every mode
// (the action gate) and travel on the wire. Against the bundled research-assistant on the
// embedded engine with the stub LLM counting requests: nothing answered from the
// recording calls the LLM.
#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "core/history/forkfromstep.h"
#include "core/wire/requestcodec.h"
#include "tests/support/openaistubserver.h"

#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::history;

class TstForkFromStep : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::OpenAiStubServer m_llm;
    std::unique_ptr<LocalBackend> m_backend;
    BotPlan m_plan;

    InvokeResult invoke(const InvokeRequest &request)
    {
        Invocation *invocation = m_backend->invoke(request, this);
        QSignalSpy finished(invocation, &Invocation::finished);
        if (!finished.wait(60000))
            return {};
        const InvokeResult result = finished.first().first().value<InvokeResult>();
        invocation->deleteLater();
        return result;
    }
    static const StepRecord *step(const InvokeResult &result, const QString &path)
    {
        for (const StepRecord &s : result.steps)
            if (s.path == path)
                return &s;
        return nullptr;
    }
    static InvokeRequest research(Mode mode)
    {
        InvokeRequest r;
        r.botKey = u"research-assistant"_s;
        r.messages = {Message::user(u"tea"_s)};
        r.mode = mode;
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<InvokeResult>();
        QVERIFY(m_llm.listen());
        m_llm.setReply(test::StubReply::text({u"Tea is "_s, u"a drink."_s}, 5, 3));
        LocalBackend::Options o;
        o.botFolders = {u":/bots"_s};
        o.replayCacheFile = m_dir.filePath(u"replay.sqlite"_s);
        o.datasetFolders = {u":/datasets"_s};
        o.datasetIndexFile = m_dir.filePath(u"dataset-index.sqlite"_s);
        o.llm.baseUrl = m_llm.baseUrl();
        o.llm.model = u"stub-model"_s;
        m_backend = std::make_unique<LocalBackend>(o);
        BotPlanResult planned;
        bool done = false;
        m_backend->botPlan(u"research-assistant"_s, this, [&](const BotPlanResult &r) {
            planned = r;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
        QVERIFY2(planned.plan, qPrintable(planned.error));
        m_plan = *planned.plan;
    }

    void downstreamFollowsDependsOn()
    {
        // announce -> gather -> summarise (bot.invoke summariser: answer), handler notes-only.
        QCOMPARE(m_plan.steps.size(), 5);
        QCOMPARE(m_plan.steps.at(1).dependsOn, QStringList{u"announce"_s});
        const auto sorted = [](const QSet<QString> &set) {
            QStringList list(set.begin(), set.end());
            list.sort();
            return list;
        };
        QCOMPARE(sorted(downstreamOf(m_plan, u"gather"_s)),
                 (QStringList{u"gather"_s, u"notes-only"_s, u"summarise"_s, u"summarise/answer"_s}));
        // A nested step: its sub-bot step re-runs (its output changes), the rest of the
        // parent bot is answered.
        QCOMPARE(sorted(downstreamOf(m_plan, u"summarise/answer"_s)),
                 (QStringList{u"notes-only"_s, u"summarise"_s, u"summarise/answer"_s}));
        QCOMPARE(sorted(downstreamOf(m_plan, u"announce"_s)),
                 (QStringList{u"announce"_s, u"gather"_s, u"notes-only"_s, u"summarise"_s, u"summarise/answer"_s}));
    }

    void pinnedAnswersTravelOnTheWire()
    {
        InvokeRequest r = research(Mode::replay());
        r.pinnedAnswers.insert(u"summarise/answer"_s, MockResponse{true, Json{{"content", "pinned"}}, {}});
        r.pinnedAnswers.insert(u"gather"_s, MockResponse{false, Json(), u"it failed then"_s});
        QString error;
        const auto back = wire::decodeRequestBody(wire::encodeRequestBody(r), r.botKey, &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(back->pinnedAnswers == r.pinnedAnswers);
        const auto saved = InvokeRequest::fromJson(r.toJson(), &error);
        QVERIFY2(saved, qPrintable(error));
        QVERIFY(saved->pinnedAnswers == r.pinnedAnswers);
        QVERIFY(!research(Mode::live()).toJson().contains("pinned_answers")); // nothing when none
        const auto bad = wire::decodeRequestBody(R"({"pinned_answers": 3})", r.botKey, &error);
        QVERIFY(!bad);
        QVERIFY2(error.startsWith(u"pinned_answers"_s), qPrintable(error));
    }

    void forkAnswersUpstreamFromTheRecording_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("live") << int(Mode::Live);
        QTest::newRow("replay") << int(Mode::Replay);
    }

    void forkAnswersUpstreamFromTheRecording()
    {
        QFETCH(int, mode);
        const Mode chosenMode = mode == Mode::Live ? Mode::live() : Mode::replay(true); // refresh: always calls
        const InvokeRequest original = research(Mode::live());
        const int before = m_llm.requestCount();
        const InvokeResult recorded = invoke(original);
        QVERIFY2(recorded.success, qPrintable(recorded.error));
        QCOMPARE(m_llm.requestCount(), before + 2); // gather, summarise/answer

        QString error;
        const auto fork = forkFromStep(original, recorded, m_plan, u"summarise/answer"_s, chosenMode, {}, &error);
        QVERIFY2(fork, qPrintable(error));
        QCOMPARE(fork->pinned, (QStringList{u"announce"_s, u"gather"_s}));
        QVERIFY(fork->rerun.contains(u"summarise/answer"_s));
        const InvokeResult forked = invoke(fork->request);
        QVERIFY2(forked.success, qPrintable(forked.error));
        QCOMPARE(m_llm.requestCount(), before + 3); // only the chosen step called the LLM
        QCOMPARE(step(forked, u"gather"_s)->source, Source::Mock);
        QVERIFY(step(forked, u"gather"_s)->output["content"] == step(recorded, u"gather"_s)->output["content"]);
        QCOMPARE(step(forked, u"summarise/answer"_s)->source,
                 mode == Mode::Live ? Source::Live : Source::Refreshed);
    }

    void editedOutputCallsNothing()
    {
        const InvokeRequest original = research(Mode::live());
        const InvokeResult recorded = invoke(original);
        QVERIFY(recorded.success);
        const int before = m_llm.requestCount();
        const Json edited{{"content", "An edited summary."}};
        const auto fork = forkFromStep(original, recorded, m_plan, u"summarise/answer"_s, Mode::live(), edited);
        QVERIFY(fork);
        QVERIFY(fork->rerun.contains(u"summarise"_s));
        QVERIFY(!fork->rerun.contains(u"summarise/answer"_s));
        const InvokeResult forked = invoke(fork->request);
        QVERIFY2(forked.success, qPrintable(forked.error));
        QCOMPARE(m_llm.requestCount(), before);
        QVERIFY2(forked.visibleText().contains(u"An edited summary."_s), qPrintable(forked.visibleText()));

        // Forking from the first step re-runs both LLM steps.
        const auto fromStart = forkFromStep(original, recorded, m_plan, u"announce"_s, Mode::live());
        QVERIFY(fromStart && fromStart->pinned.isEmpty());
        QVERIFY(invoke(fromStart->request).success);
        QCOMPARE(m_llm.requestCount(), before + 2);

        QString error;
        QVERIFY(!forkFromStep(original, recorded, m_plan, u"nope"_s, Mode::live(), {}, &error));
        QCOMPARE(error, u"the run has no step \"nope\" to re-run from"_s);
    }
};

QTEST_GUILESS_MAIN(TstForkFromStep)
#include "tst_forkfromstep.moc"
