// A run file's replay-cache entries (docs/runs.md, Run files and Re-running a run file):
// core/history/runcacheentries finds the entries a recorded run's replay steps used (by
// key for the bot's own steps, by bot and parameters for a sub-bot's; made from the
// recorded answer when the store lost one), and a request carrying them
// (InvokeRequest::replayEntries) is answered from them in a cache of their own
// (core/cache/runreplaycache): zero LLM calls, the user's cache neither read nor
// written, a miss explained against them; a changed entry or mixed scopes are refused.
// The real embedded engine, real SQLite caches, the stub LLM counting requests.
#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "core/cache/runreplaycache.h"
#include "core/cache/sqlite/sqlitereplaycache.h"
#include "core/history/runcacheentries.h"
#include "core/wire/requestcodec.h"
#include "tests/support/openaistubserver.h"

#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::history;

class TstRunCacheEntries : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::OpenAiStubServer m_llm;
    BotPlan m_plan;
    RunRecord m_recorded; // a replay run that stored both answers

    std::unique_ptr<LocalBackend> backend(const QString &cacheName)
    {
        LocalBackend::Options o;
        o.botFolders = {u":/bots"_s};
        o.replayCacheFile = m_dir.filePath(cacheName);
        o.datasetFolders = {u":/datasets"_s};
        o.datasetIndexFile = m_dir.filePath(u"dataset-index.sqlite"_s);
        o.llm.baseUrl = m_llm.baseUrl();
        o.llm.model = u"stub-model"_s;
        return std::make_unique<LocalBackend>(o);
    }
    InvokeResult invoke(LocalBackend &engine, const InvokeRequest &request)
    {
        Invocation *invocation = engine.invoke(request, this);
        invocation->setKeepEvents(true);
        QSignalSpy finished(invocation, &Invocation::finished);
        if (!finished.wait(60000))
            return {};
        const InvokeResult result = finished.first().first().value<InvokeResult>();
        invocation->deleteLater();
        return result;
    }
    static InvokeRequest research(const QString &text)
    {
        InvokeRequest r;
        r.botKey = u"research-assistant"_s;
        r.messages = {Message::user(text)};
        r.mode = Mode::replay();
        return r;
    }
    RunRecord record(const InvokeResult &result, const InvokeRequest &request)
    {
        RunRecord r = RunRecord::fromResult(result, request, 10, u"Embedded"_s);
        r.botPlan = m_plan.toJson();
        r.summary.botUpdatedAt = m_plan.updatedAt.toUTC().toString(Qt::ISODateWithMs);
        return r;
    }
    static const StepRecord *step(const InvokeResult &result, const QString &path)
    {
        for (const StepRecord &s : result.steps)
            if (s.path == path)
                return &s;
        return nullptr;
    }
    qint64 entriesIn(const QString &cacheName)
    {
        cache::SqliteReplayCache store(m_dir.filePath(cacheName));
        return store.open() ? store.stats().entries : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<InvokeResult>();
        QVERIFY(m_llm.listen());
        m_llm.setReply(test::StubReply::text({u"Tea is "_s, u"a drink."_s}, 5, 3));
        auto engine = backend(u"user.sqlite"_s);
        bool done = false;
        engine->botPlan(u"research-assistant"_s, this, [&](const BotPlanResult &r) {
            if (r.plan)
                m_plan = *r.plan;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
        QVERIFY(!m_plan.steps.isEmpty());
        const InvokeRequest request = research(u"tea"_s);
        const InvokeResult result = invoke(*engine, request);
        QVERIFY2(result.success, qPrintable(result.error));
        QCOMPARE(m_llm.requestCount(), 2);
        m_recorded = record(result, request);
    }

    void findsTheEntriesTheReplayStepsUsed()
    {
        cache::SqliteReplayCache store(m_dir.filePath(u"user.sqlite"_s));
        QVERIFY(store.open());
        QString error;
        const auto found = runCacheEntries(m_recorded, &store, u"local"_s, &error);
        QVERIFY2(found, qPrintable(error));
        QVERIFY(found->fromRecording.isEmpty());
        QVERIFY(found->missing.isEmpty());
        QCOMPARE(found->entries.size(), 2);
        QList<cache::CacheEntry> stored = store.list();
        QCOMPARE(stored.size(), 2);
        QSet<QString> keys{stored.at(0).key, stored.at(1).key};
        for (const cache::CacheEntry &e : found->entries)
            QVERIFY(keys.contains(e.key));
        QCOMPARE(found->entries.at(0).parts.botKey, u"research-assistant"_s); // gather, then the sub-bot's
        QCOMPARE(found->entries.at(1).parts.botKey, u"summariser"_s);
        // Looking counted no hit.
        for (const cache::CacheEntry &e : store.list())
            QCOMPARE(e.hits, 0);
    }

    void aLostEntryIsMadeFromTheRecording()
    {
        cache::SqliteReplayCache store(m_dir.filePath(u"empty.sqlite"_s));
        QVERIFY(store.open());
        QString error;
        const auto found = runCacheEntries(m_recorded, &store, u"local"_s, &error);
        QVERIFY2(found, qPrintable(error));
        // The plan holds the sub-bot's version (PlannedStep::botUpdatedAt): both are made.
        QCOMPARE(found->fromRecording, (QStringList{u"gather"_s, u"summarise/answer"_s}));
        QVERIFY(found->missing.isEmpty());
        QCOMPARE(found->entries.size(), 2);
        // The same keys and answers as the ones the user's cache holds.
        cache::SqliteReplayCache user(m_dir.filePath(u"user.sqlite"_s));
        QVERIFY(user.open());
        for (const cache::CacheEntry &made : found->entries) {
            const auto original = user.find(made.key, &error);
            QVERIFY2(original, qPrintable(error));
            QVERIFY(original->output == made.output);
        }

        // A run recorded before plans carried sub-bot versions: the sub-bot's lost entry
        // cannot be rebuilt.
        RunRecord older = m_recorded;
        BotPlan plan = m_plan;
        for (PlannedStep &step : plan.steps)
            step.botUpdatedAt.clear();
        older.botPlan = plan.toJson();
        const auto olderFound = runCacheEntries(older, &store, u"local"_s, &error);
        QVERIFY2(olderFound, qPrintable(error));
        QCOMPARE(olderFound->fromRecording, QStringList{u"gather"_s});
        QCOMPARE(olderFound->missing, QStringList{u"summarise/answer"_s});
        QCOMPARE(olderFound->entries.size(), 1);
    }

    void aLiveRunsAnswersBecomeTheEntriesItsReplayHits()
    {
        // A live run: nothing of it is in any cache.
        m_llm.setReply(test::StubReply::text({u"Live tea "_s, u"answer."_s}, 7, 4));
        auto engine = backend(u"live.sqlite"_s);
        InvokeRequest request = research(u"live tea"_s);
        request.mode = Mode::live();
        const int before = m_llm.requestCount();
        const InvokeResult live = invoke(*engine, request);
        QVERIFY2(live.success, qPrintable(live.error));
        QCOMPARE(m_llm.requestCount(), before + 2);
        QCOMPARE(entriesIn(u"live.sqlite"_s), 0);
        const RunRecord recorded = record(live, request);

        QString error;
        const auto found = runCacheEntries(recorded, nullptr, u"local"_s, &error);
        QVERIFY2(found, qPrintable(error));
        QCOMPARE(found->fromLive, (QStringList{u"gather"_s, u"summarise/answer"_s}));
        QVERIFY(found->fromRecording.isEmpty());
        QVERIFY(found->missing.isEmpty());
        QCOMPARE(found->entries.size(), 2);
        QCOMPARE(found->entries.at(1).parts.botKey, u"summariser"_s);
        QVERIFY(!found->entries.at(1).parts.botUpdatedAt.isEmpty());
        QCOMPARE(found->entries.at(0).usage.inputTokens, 7);

        // The same request in replay mode, on an engine with an empty cache, is answered by
        // them: the keys are the ones the action gate computes.
        request.mode = Mode::replay();
        request.replayEntries = cacheEntriesJson(found->entries);
        m_llm.setReply(test::StubReply::text({u"a different answer"_s}, 1, 1));
        auto other = backend(u"other-live.sqlite"_s);
        const InvokeResult replayed = invoke(*other, request);
        QVERIFY2(replayed.success, qPrintable(replayed.error));
        QCOMPARE(m_llm.requestCount(), before + 2);
        QCOMPARE(step(replayed, u"gather"_s)->source, Source::ReplayHit);
        QCOMPARE(step(replayed, u"summarise/answer"_s)->source, Source::ReplayHit);
        QCOMPARE(replayed.visibleText(), live.visibleText());
        QCOMPARE(entriesIn(u"other-live.sqlite"_s), 0);

        // A live step that failed makes none (errors are never stored), nor do the steps
        // after it, which did not run.
        m_llm.setReply(test::StubReply::error(500, u"the model is down"_s));
        request.mode = Mode::live();
        request.replayEntries = Json();
        const InvokeResult down = invoke(*engine, request);
        QVERIFY(!down.success);
        const auto noneFromFailures = runCacheEntries(record(down, request), nullptr, u"local"_s, &error);
        QVERIFY2(noneFromFailures, qPrintable(error));
        QVERIFY(noneFromFailures->entries.isEmpty() && noneFromFailures->fromLive.isEmpty());
        m_llm.setReply(test::StubReply::text({u"Tea is "_s, u"a drink."_s}, 5, 3));
    }

    void reRunIsAnsweredFromItsOwnEntriesOnly()
    {
        cache::SqliteReplayCache store(m_dir.filePath(u"user.sqlite"_s));
        QVERIFY(store.open());
        const auto found = runCacheEntries(m_recorded, &store, u"local"_s);
        QVERIFY(found);
        InvokeRequest request = m_recorded.request;
        request.replayEntries = cacheEntriesJson(found->entries);

        // Another user's engine with an empty cache of its own.
        auto other = backend(u"other.sqlite"_s);
        const int before = m_llm.requestCount();
        const InvokeResult result = invoke(*other, request);
        QVERIFY2(result.success, qPrintable(result.error));
        QCOMPARE(m_llm.requestCount(), before);
        QCOMPARE(step(result, u"gather"_s)->source, Source::ReplayHit);
        QCOMPARE(step(result, u"summarise/answer"_s)->source, Source::ReplayHit);
        QCOMPARE(result.visibleText(), m_recorded.result().visibleText());
        QCOMPARE(entriesIn(u"other.sqlite"_s), 0);

        // Another question misses the run's entries: it goes live, says why against them, and
        // what it records stays with the run, not in the user's cache.
        request.messages = {Message::user(u"coffee"_s)};
        const InvokeResult missed = invoke(*other, request);
        QVERIFY2(missed.success, qPrintable(missed.error));
        // Only gather: the sub-bot is asked about gather's answer, which the stub gives
        // again word for word, so its entry in the run's own cache answers it.
        QCOMPARE(m_llm.requestCount(), before + 1);
        QCOMPARE(step(missed, u"summarise/answer"_s)->source, Source::ReplayHit);
        const StepRecord *gather = step(missed, u"gather"_s);
        QCOMPARE(gather->source, Source::ReplayStored);
        QCOMPARE(stringField(gather->replayMiss, "reason"), u"inputs_differ"_s);
        QVERIFY2(stringField(gather->replayMiss, "summary").contains(u"parameters.query changed from \"tea\" to \"coffee\""_s),
                 dumpJson(gather->replayMiss).constData());
        QCOMPARE(entriesIn(u"other.sqlite"_s), 0);
    }

    void anEmptyListIsAStoreOfItsOwnNotTheUsersCache()
    {
        // The user's cache holds both answers of this request (initTestCase).
        auto user = backend(u"user.sqlite"_s);
        const qint64 cached = entriesIn(u"user.sqlite"_s);
        QCOMPARE(cached, 2);
        InvokeRequest request = m_recorded.request;
        QVERIFY(request.replayEntries.is_null());

        // A run file with no entries: "given, empty". Nothing is read from the user's cache
        // (both steps run live) nor written to it.
        request.replayEntries = Json::array();
        const int before = m_llm.requestCount();
        const InvokeResult own = invoke(*user, request);
        QVERIFY2(own.success, qPrintable(own.error));
        QCOMPARE(m_llm.requestCount(), before + 2);
        QCOMPARE(step(own, u"gather"_s)->source, Source::ReplayStored);
        QCOMPARE(step(own, u"summarise/answer"_s)->source, Source::ReplayStored);
        QCOMPARE(entriesIn(u"user.sqlite"_s), cached);
        cache::SqliteReplayCache store(m_dir.filePath(u"user.sqlite"_s));
        QVERIFY(store.open());
        for (const cache::CacheEntry &e : store.list())
            QCOMPARE(e.hits, 0);

        // "Not given": the ordinary cache answers, no call.
        request.replayEntries = Json();
        const InvokeResult ordinary = invoke(*user, request);
        QVERIFY2(ordinary.success, qPrintable(ordinary.error));
        QCOMPARE(m_llm.requestCount(), before + 2);
        QCOMPARE(step(ordinary, u"gather"_s)->source, Source::ReplayHit);
        QCOMPARE(step(ordinary, u"summarise/answer"_s)->source, Source::ReplayHit);
    }

    void changedOrMixedEntriesAreRefused()
    {
        cache::SqliteReplayCache store(m_dir.filePath(u"user.sqlite"_s));
        QVERIFY(store.open());
        const auto found = runCacheEntries(m_recorded, &store, u"local"_s);
        QVERIFY(found);
        Json entries = cacheEntriesJson(found->entries);
        Json changed = entries;
        changed[1]["parameters"]["model"] = "another-model"; // its key no longer fits
        InvokeRequest request = m_recorded.request;
        request.replayEntries = changed;
        auto other = backend(u"other.sqlite"_s);
        const int before = m_llm.requestCount();
        InvokeResult result = invoke(*other, request);
        QVERIFY(!result.success);
        QVERIFY2(result.error.contains(u"replay_entries[1]"_s) && result.error.contains(u"SHA-256"_s),
                 qPrintable(result.error));
        QCOMPARE(m_llm.requestCount(), before);

        QString error;
        Json mixed = entries;
        cache::CacheKeyParts parts{u"org:acme"_s, u"chat"_s, u"2026-01-01T00:00:00.000Z"_s, u"llm.message"_s,
                                   Json{{"model", "m"}}};
        mixed.push_back(cache::CacheEntry{parts.key(), parts, Json{{"content", "x"}}, {}, QDateTime::currentDateTimeUtc(), 0}
                            .toJson());
        QVERIFY(!cache::RunReplayCache::fromJson(mixed, &error));
        QVERIFY2(error.contains(u"replay_entries[2]"_s) && error.contains(u"one scope"_s), qPrintable(error));
        QVERIFY(!cache::RunReplayCache::fromJson(Json::object(), &error));
    }

    void entriesTravelInTheRequest()
    {
        InvokeRequest request = m_recorded.request;
        request.replayEntries = Json::array({Json{{"key", "k"}}});
        QString error;
        const auto back = wire::requestFromBody(wire::requestBody(request), request.botKey, &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(back->replayEntries == request.replayEntries);
        const auto saved = InvokeRequest::fromJson(request.toJson(), &error);
        QVERIFY2(saved, qPrintable(error));
        QVERIFY(saved->replayEntries == request.replayEntries);
        // Left out when not given; an empty list travels (it is a store of its own, empty);
        // refused when not an array.
        QVERIFY(!wire::requestBody(m_recorded.request).contains("replay_entries"));
        QVERIFY(!m_recorded.request.toJson().contains("replay_entries"));
        request.replayEntries = Json::array();
        const Json body = wire::requestBody(request);
        QVERIFY(body.contains("replay_entries") && body["replay_entries"] == Json::array());
        const auto emptyBack = wire::requestFromBody(body, request.botKey, &error);
        QVERIFY2(emptyBack, qPrintable(error));
        QVERIFY(emptyBack->replayEntries.is_array() && emptyBack->replayEntries.empty());
        const auto emptySaved = InvokeRequest::fromJson(request.toJson(), &error);
        QVERIFY2(emptySaved, qPrintable(error));
        QVERIFY(emptySaved->replayEntries.is_array() && emptySaved->replayEntries.empty());
        const auto notGiven = wire::requestFromBody(wire::requestBody(m_recorded.request), request.botKey, &error);
        QVERIFY2(notGiven, qPrintable(error));
        QVERIFY(notGiven->replayEntries.is_null());
        QVERIFY(!wire::requestFromBody(Json{{"replay_entries", "x"}}, u"chat"_s, &error));
        QVERIFY2(error.startsWith(u"replay_entries"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TstRunCacheEntries)
#include "tst_runcacheentries.moc"
