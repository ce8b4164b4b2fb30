// The action gate: every mode with governed and pure actions, mocks by step path and by
// action type, and replay against a real cache file.
#include "core/engine/actiongate.h"
#include "core/cache/sqlite/sqlitereplaycache.h"
#include "core/model/invocation/invokeresult.h"
#include "tests/support/jsontext.h"

#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::engine;
using namespace invoke::cache;
using invoke::test::jsonText;

namespace {

ActionCall call(const QString &stepPath, const QString &actionType, const QString &query = u"hi"_s,
                const QString &updatedAt = u"2024-05-01T10:00:00Z"_s)
{
    ActionCall c;
    c.botKey = u"chat"_s;
    c.botUpdatedAt = updatedAt;
    c.stepPath = stepPath;
    c.stepKey = stepPath.section(u'/', -1);
    c.actionType = actionType;
    c.parameters = Json{{"query", toStd(query)}};
    return c;
}

MockResponse ok(const Json &output)
{
    return {true, output, {}};
}

MockResponse failed(const QString &error)
{
    return {false, Json(), error};
}

// A compute function that counts its calls and answers `output`.
struct Compute
{
    int calls = 0;
    Json output = Json{{"content", "live answer"}};
    bool fail = false;
    std::function<ActionOutcome()> fn()
    {
        return [this] {
            ++calls;
            if (fail)
                return ActionOutcome::failure(u"provider said no"_s);
            wire::Usage usage;
            usage.inputTokens = 7;
            usage.outputTokens = 3;
            return ActionOutcome::success(output, usage);
        };
    }
};

} // namespace

class TestActionGate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir.emplace();
        QVERIFY(m_dir->isValid());
        m_cache.emplace(m_dir->filePath(u"replay.sqlite"_s));
        QString error;
        QVERIFY2(m_cache->open(&error), qPrintable(error));
    }
    void cleanup()
    {
        m_cache.reset();
        m_dir.reset();
    }

    void governedTypes()
    {
        for (const char *type : {"llm.message", "memory.search", "codeexec.execute", "codeexec.run"})
            QVERIFY2(ActionGate::isGoverned(QString::fromLatin1(type)), type);
        for (const char *type : {"utils.echo", "utils.parse_json", "utils.write", "bot.invoke", ""})
            QVERIFY2(!ActionGate::isGoverned(QString::fromLatin1(type)), type);
    }

    void manual_data()
    {
        QTest::addColumn<QString>("actionType");
        QTest::addColumn<QStringList>("mockKeys"); // each answers {"from": key}
        QTest::addColumn<QString>("expectedSource");
        QTest::addColumn<QString>("expectedOutput");
        QTest::addColumn<bool>("expectCompute");

        const QString live = jsonText(Json{{"content", "live answer"}});
        QTest::newRow("governed, step path") << u"llm.message"_s << QStringList{u"research/answer"_s}
                                             << u"mock"_s << u"{\"from\":\"research/answer\"}"_s << false;
        QTest::newRow("governed, action type") << u"llm.message"_s << QStringList{u"llm.message"_s}
                                               << u"mock"_s << u"{\"from\":\"llm.message\"}"_s << false;
        QTest::newRow("governed, step path beats type")
            << u"llm.message"_s << QStringList{u"llm.message"_s, u"research/answer"_s} << u"mock"_s
            << u"{\"from\":\"research/answer\"}"_s << false;
        QTest::newRow("codeexec.run, action type") << u"codeexec.run"_s << QStringList{u"codeexec.run"_s}
                                                   << u"mock"_s << u"{\"from\":\"codeexec.run\"}"_s << false;
        QTest::newRow("pure, step path") << u"utils.echo"_s << QStringList{u"research/answer"_s} << u"mock"_s
                                         << u"{\"from\":\"research/answer\"}"_s << false;
        QTest::newRow("pure, action type ignored") << u"utils.echo"_s << QStringList{u"utils.echo"_s}
                                                   << u"live"_s << live << true;
        QTest::newRow("pure, no mock") << u"utils.echo"_s << QStringList{} << u"live"_s << live << true;
        QTest::newRow("bot.invoke, no mock") << u"bot.invoke"_s << QStringList{} << u"live"_s << live << true;
        QTest::newRow("another step's mock") << u"utils.echo"_s << QStringList{u"answer"_s} << u"live"_s
                                             << live << true;
    }
    void manual()
    {
        QFETCH(QString, actionType);
        QFETCH(QStringList, mockKeys);
        QFETCH(QString, expectedSource);
        QFETCH(QString, expectedOutput);
        QFETCH(bool, expectCompute);

        ActionGate::Options options{Mode::manual(), {}, m_cache ? &*m_cache : nullptr};
        for (const QString &key : mockKeys)
            options.mocks.insert(key, ok(Json{{"from", toStd(key)}}));
        ActionGate gate(options);
        Compute compute;
        const GateAnswer answer = gate.run(call(u"research/answer"_s, actionType), compute.fn());
        QVERIFY2(answer.outcome.ok, qPrintable(answer.outcome.error));
        QVERIFY(!answer.missingMock);
        QCOMPARE(QString(wireName(answer.source)), expectedSource);
        QCOMPARE(jsonText(answer.outcome.output), expectedOutput);
        QCOMPARE(compute.calls, expectCompute ? 1 : 0);
        QCOMPARE(answer.computed, expectCompute);
        QCOMPARE(m_cache->stats().entries, 0); // manual never touches the cache
    }

    void manualMissingMockNamesStepAndType()
    {
        ActionGate::Options options{Mode::manual()};
        options.mocks.insert(u"other"_s, ok(Json("x")));
        options.mocks.insert(u"memory.search"_s, ok(Json("x")));
        ActionGate gate(options);
        Compute compute;
        const GateAnswer answer = gate.run(call(u"answer"_s, u"llm.message"_s), compute.fn());
        QVERIFY(answer.missingMock);
        QVERIFY(!answer.outcome.ok);
        QCOMPARE(answer.outcome.error,
                 u"no mock for step \"answer\" (llm.message): add a mock keyed \"answer\" or "
                 "\"llm.message\" to the mock set"_s);
        QCOMPARE(compute.calls, 0); // never a silent live call
    }

    void manualErrorMocks()
    {
        ActionGate::Options options{Mode::manual()};
        options.mocks.insert(u"answer"_s, failed(u"rate limited (mocked)"_s));
        options.mocks.insert(u"memory.search"_s, failed(u"index offline (mocked)"_s));
        ActionGate gate(options);
        Compute compute;
        GateAnswer answer = gate.run(call(u"answer"_s, u"llm.message"_s), compute.fn());
        QVERIFY(!answer.outcome.ok);
        QVERIFY(!answer.missingMock);
        QCOMPARE(answer.outcome.error, u"rate limited (mocked)"_s);
        QCOMPARE(answer.source, Source::Mock);
        answer = gate.run(call(u"search"_s, u"memory.search"_s), compute.fn());
        QVERIFY(!answer.outcome.ok);
        QCOMPARE(answer.outcome.error, u"index offline (mocked)"_s);
        QCOMPARE(compute.calls, 0);
    }

    void manualMockUsageBecomesTheStepsUsage()
    {
        ActionGate::Options options{Mode::manual()};
        options.mocks.insert(u"answer"_s, ok(Json{{"content", "hi"}, {"usage", {{"input_tokens", 24}, {"output_tokens", 27}}}}));
        options.mocks.insert(u"other"_s, ok(Json{{"content", "no usage"}}));
        ActionGate gate(options);
        Compute compute;
        GateAnswer answer = gate.run(call(u"answer"_s, u"llm.message"_s), compute.fn());
        QCOMPARE(answer.outcome.usage.inputTokens, 24);
        QCOMPARE(answer.outcome.usage.outputTokens, 27);
        answer = gate.run(call(u"other"_s, u"llm.message"_s), compute.fn());
        QVERIFY(!answer.outcome.usage.known());
    }

    void liveComputesAndTouchesNoCache()
    {
        // An entry for exactly this call is in the cache: live must not read it...
        const ActionCall c = call(u"answer"_s, u"llm.message"_s);
        QVERIFY(m_cache->store(partsOf(c), Json("cached"), {}));
        ActionGate::Options options{Mode::live(), {}, &*m_cache};
        options.mocks.insert(u"answer"_s, ok(Json("mocked"))); // ...nor use mocks
        options.mocks.insert(u"llm.message"_s, ok(Json("mocked")));
        ActionGate gate(options);
        Compute compute;
        for (const QString &type : {u"llm.message"_s, u"utils.echo"_s}) {
            const GateAnswer answer = gate.run(call(u"answer"_s, type), compute.fn());
            QVERIFY(answer.outcome.ok);
            QCOMPARE(answer.source, Source::Live);
            QVERIFY(answer.computed);
            QCOMPARE(jsonText(answer.outcome.output), jsonText(compute.output));
            QCOMPARE(answer.outcome.usage.inputTokens, 7);
        }
        QCOMPARE(compute.calls, 2);
        // ...nor write it: the one entry is still the old one, never hit.
        QCOMPARE(m_cache->stats().entries, 1);
        QCOMPARE(m_cache->find(partsOf(c).key())->hits, 0);
        QCOMPARE(jsonText(m_cache->find(partsOf(c).key())->output), u"\"cached\""_s);
    }

    void replayMissStoresThenHitsWithoutCompute()
    {
        ActionGate gate({Mode::replay(), {}, &*m_cache});
        Compute compute;
        const ActionCall c = call(u"answer"_s, u"llm.message"_s);

        GateAnswer answer = gate.run(c, compute.fn());
        QVERIFY(answer.outcome.ok);
        QCOMPARE(answer.source, Source::ReplayStored);
        QVERIFY(answer.computed);
        QCOMPARE(compute.calls, 1);
        QCOMPARE(m_cache->stats().entries, 1);

        compute.output = Json("a different live answer"); // a hit must not see it
        answer = gate.run(c, compute.fn());
        QVERIFY(answer.outcome.ok);
        QCOMPARE(answer.source, Source::ReplayHit);
        QVERIFY(!answer.computed);
        QCOMPARE(compute.calls, 1);
        QCOMPARE(jsonText(answer.outcome.output), jsonText(Json{{"content", "live answer"}}));
        QCOMPARE(answer.outcome.usage.inputTokens, 7);
        QCOMPARE(answer.outcome.usage.outputTokens, 3);

        // The entry is keyed by scope, bot, updated_at, type and the rendered parameters.
        const auto entry = m_cache->find(partsOf(c).key());
        QVERIFY(entry);
        QCOMPARE(entry->parts.scope, u"local"_s);
        QCOMPARE(entry->parts.botKey, u"chat"_s);
        QCOMPARE(entry->hits, 1);
    }

    void replayRefreshComputesAndOverwrites()
    {
        Compute compute;
        const ActionCall c = call(u"answer"_s, u"llm.message"_s);
        QVERIFY(ActionGate({Mode::replay(), {}, &*m_cache}).run(c, compute.fn()).outcome.ok);

        compute.output = Json("fresher");
        const GateAnswer refreshed = ActionGate({Mode::replay(true), {}, &*m_cache}).run(c, compute.fn());
        QVERIFY(refreshed.outcome.ok);
        QCOMPARE(refreshed.source, Source::Refreshed);
        QVERIFY(refreshed.computed);
        QCOMPARE(compute.calls, 2);
        QCOMPARE(jsonText(refreshed.outcome.output), u"\"fresher\""_s);

        const GateAnswer hit = ActionGate({Mode::replay(), {}, &*m_cache}).run(c, compute.fn());
        QCOMPARE(hit.source, Source::ReplayHit);
        QCOMPARE(jsonText(hit.outcome.output), u"\"fresher\""_s);
        QCOMPARE(compute.calls, 2);
        QCOMPARE(m_cache->stats().entries, 1);
    }

    void replayInvalidatedWhenBotChanges()
    {
        ActionGate gate({Mode::replay(), {}, &*m_cache});
        Compute compute;
        QCOMPARE(gate.run(call(u"answer"_s, u"llm.message"_s), compute.fn()).source, Source::ReplayStored);
        QCOMPARE(gate.run(call(u"answer"_s, u"llm.message"_s), compute.fn()).source, Source::ReplayHit);
        const ActionCall edited = call(u"answer"_s, u"llm.message"_s, u"hi"_s, u"2024-06-01T09:00:00Z"_s);
        QCOMPARE(gate.run(edited, compute.fn()).source, Source::ReplayStored);
        QCOMPARE(compute.calls, 2);
        // Different rendered parameters miss too.
        QCOMPARE(gate.run(call(u"answer"_s, u"llm.message"_s, u"bye"_s), compute.fn()).source,
                 Source::ReplayStored);
        QCOMPARE(compute.calls, 3);
    }

    void replayScopesAreSeparate()
    {
        Compute compute;
        const ActionCall c = call(u"answer"_s, u"llm.message"_s);
        ActionGate::Options a{Mode::replay(), {}, &*m_cache};
        a.scope = u"org-a"_s;
        ActionGate::Options b = a;
        b.scope = u"org-b"_s;
        QCOMPARE(ActionGate(a).run(c, compute.fn()).source, Source::ReplayStored);
        QCOMPARE(ActionGate(b).run(c, compute.fn()).source, Source::ReplayStored);
        QCOMPARE(ActionGate(a).run(c, compute.fn()).source, Source::ReplayHit);
        QCOMPARE(compute.calls, 2);
    }

    void replayNeverStoresErrors()
    {
        ActionGate gate({Mode::replay(), {}, &*m_cache});
        Compute compute;
        compute.fail = true;
        const ActionCall c = call(u"answer"_s, u"llm.message"_s);
        GateAnswer answer = gate.run(c, compute.fn());
        QVERIFY(!answer.outcome.ok);
        QCOMPARE(answer.outcome.error, u"provider said no"_s);
        QCOMPARE(answer.source, Source::Live);
        QCOMPARE(m_cache->stats().entries, 0);
        compute.fail = false;
        answer = gate.run(c, compute.fn());
        QCOMPARE(answer.source, Source::ReplayStored);
        QCOMPARE(compute.calls, 2);
    }

    void replayOnlyCachesCacheableGovernedTypes()
    {
        ActionGate gate({Mode::replay(), {}, &*m_cache});
        Compute compute;
        for (int i = 0; i < 2; ++i) {
            for (const QString &type : {u"memory.search"_s, u"utils.echo"_s, u"bot.invoke"_s}) {
                const GateAnswer answer = gate.run(call(u"step"_s, type), compute.fn());
                QCOMPARE(answer.source, Source::Live);
                QVERIFY(answer.computed);
            }
        }
        QCOMPARE(compute.calls, 6);
        QCOMPARE(m_cache->stats().entries, 0);

        // Caching more types is a setting.
        ActionGate::Options options{Mode::replay(), {}, &*m_cache};
        options.cacheableTypes.insert(u"memory.search"_s);
        ActionGate wider(options);
        QCOMPARE(wider.run(call(u"step"_s, u"memory.search"_s), compute.fn()).source, Source::ReplayStored);
        QCOMPARE(wider.run(call(u"step"_s, u"memory.search"_s), compute.fn()).source, Source::ReplayHit);
        QCOMPARE(compute.calls, 7);
    }

    void lookupOnlyReplaysButNeverRunsOrStores()
    {
        Compute compute;
        const ActionCall recorded = call(u"answer"_s, u"llm.message"_s);
        QCOMPARE(ActionGate({Mode::replay(), {}, &*m_cache}).run(recorded, compute.fn()).source, Source::ReplayStored);
        QCOMPARE(compute.calls, 1);

        ActionGate::Options options{Mode::replay(), {}, &*m_cache};
        options.lookupOnly = true;
        ActionGate offline(options);
        GateAnswer answer = offline.run(recorded, compute.fn());
        QCOMPARE(answer.source, Source::ReplayHit);
        QVERIFY(answer.outcome.ok);

        ActionCall unseen = recorded;
        unseen.parameters["query"] = "never recorded";
        answer = offline.run(unseen, compute.fn());
        QVERIFY(!answer.outcome.ok);
        QVERIFY2(answer.outcome.error.startsWith(u"no recorded answer for step \"answer\" (llm.message, key "_s),
                 qPrintable(answer.outcome.error));
        QVERIFY2(answer.outcome.error.contains(m_cache->filePath()), qPrintable(answer.outcome.error));
        QCOMPARE(compute.calls, 1); // nothing ran live
        QCOMPARE(m_cache->stats().entries, 1); // nothing stored

        // Pure and uncached actions still compute: the offline rule is about paid calls.
        QCOMPARE(offline.run(call(u"shape"_s, u"utils.echo"_s), compute.fn()).source, Source::Live);
        QCOMPARE(compute.calls, 2);
    }

    void replayWithoutCacheFailsClearly()
    {
        ActionGate gate({Mode::replay()});
        Compute compute;
        const GateAnswer answer = gate.run(call(u"answer"_s, u"llm.message"_s), compute.fn());
        QVERIFY(!answer.outcome.ok);
        QVERIFY2(answer.outcome.error.contains(u"replay cache"_s), qPrintable(answer.outcome.error));
        QCOMPARE(compute.calls, 0);
    }

    void unreadableCacheFailsTheStepWithoutGoingLive()
    {
        const QString path = m_dir->filePath(u"broken.sqlite"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("definitely not sqlite\n").repeated(100));
        f.close();
        SqliteReplayCache broken(path);
        ActionGate gate({Mode::replay(), {}, &broken});
        Compute compute;
        const GateAnswer answer = gate.run(call(u"answer"_s, u"llm.message"_s), compute.fn());
        QVERIFY(!answer.outcome.ok);
        QVERIFY2(answer.outcome.error.contains(u"is not a SQLite database"_s), qPrintable(answer.outcome.error));
        QCOMPARE(compute.calls, 0);
    }

    void unwritableCacheFailsTheStepButKeepsTheAnswer()
    {
        // Another connection holds the write lock for longer than the cache waits.
        QSqlDatabase other = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"locker"_s);
        other.setDatabaseName(m_cache->filePath());
        QVERIFY(other.open());
        {
            QSqlQuery q(other);
            QVERIFY(q.exec(u"BEGIN IMMEDIATE"_s));
        }
        ActionGate gate({Mode::replay(), {}, &*m_cache});
        Compute compute;
        const GateAnswer answer = gate.run(call(u"answer"_s, u"llm.message"_s), compute.fn());
        {
            QSqlQuery q(other);
            q.exec(u"ROLLBACK"_s);
        }
        other.close();
        other = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"locker"_s);

        QVERIFY(!answer.outcome.ok);
        QVERIFY2(answer.outcome.error.contains(u"could not be stored in the replay cache"_s),
                 qPrintable(answer.outcome.error));
        QCOMPARE(jsonText(answer.outcome.output), jsonText(compute.output)); // the paid-for answer is kept
        QCOMPARE(compute.calls, 1);
    }

private:
    CacheKeyParts partsOf(const ActionCall &c) const
    {
        return {u"local"_s, c.botKey, c.botUpdatedAt, c.actionType, c.parameters};
    }

    std::optional<QTemporaryDir> m_dir;
    std::optional<SqliteReplayCache> m_cache;
};

QTEST_GUILESS_MAIN(TestActionGate)
#include "tst_actiongate.moc"
