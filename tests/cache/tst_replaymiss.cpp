// Why a replay missed (core/cache/missexplanation.h, docs/cache.md): the field-level
// comparison of a call's key parts with the nearest entry, and the action gate putting it
// on the answer (metadata.replay_miss) for a miss, a refresh and an offline run, against a
// real SQLite cache file.
#include "core/cache/missexplanation.h"
#include "core/cache/sqlite/sqlitereplaycache.h"
#include "core/engine/actiongate.h"
#include "core/model/actiontypes.h"

#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::cache;
using namespace invoke::engine;

namespace {

CacheKeyParts parts(const QString &updatedAt, const Json &parameters)
{
    return CacheKeyParts{u"local"_s, u"chat"_s, updatedAt, QString(ActionType::LlmMessage), parameters};
}

Json chatParameters(const QString &model, const QString &last)
{
    return Json{{"model", toStd(model)},
                {"temperature", 0.2},
                {"messages", Json::array({Json{{"role", "system"}, {"content", "be brief"}},
                                          Json{{"role", "user"}, {"content", "hello"}},
                                          Json{{"role", "user"}, {"content", toStd(last)}}})}};
}

CacheEntry entry(const CacheKeyParts &p, const QDateTime &at)
{
    CacheEntry e;
    e.parts = p;
    e.key = p.key();
    e.createdAt = at;
    return e;
}

ActionCall callOf(const CacheKeyParts &p, const QString &path = u"answer"_s)
{
    ActionCall c;
    c.botKey = p.botKey;
    c.botUpdatedAt = p.botUpdatedAt;
    c.stepPath = path;
    c.stepKey = path;
    c.actionType = p.actionType;
    c.parameters = p.parameters;
    return c;
}

ActionGate::Options gateOptions(Mode mode, ReplayCache *cache)
{
    ActionGate::Options o;
    o.mode = mode;
    o.cache = cache;
    return o;
}

const QString v1 = u"2026-01-01T10:00:00Z"_s;
const QString v2 = u"2026-02-03T11:30:00Z"_s;

} // namespace

class TstReplayMiss : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void nothingCached()
    {
        const CacheKeyParts wanted = parts(v1, chatParameters(u"gpt-4o"_s, u"tea?"_s));
        const MissExplanation e = explainMiss(wanted, {}, false);
        QCOMPARE(e.reason, u"never_cached"_s);
        QVERIFY(e.fields.isEmpty());
        QCOMPARE(e.summary(wanted), u"nothing was ever cached for this step (bot chat, llm.message, scope local)"_s);
        const Json j = e.toJson(wanted);
        QVERIFY(j["nearest"].is_null());
        QCOMPARE(stringField(j, "reason"), u"never_cached"_s);
    }

    void botUpdatedAtChanged()
    {
        const Json p = chatParameters(u"gpt-4o"_s, u"tea?"_s);
        const CacheKeyParts wanted = parts(v2, p);
        const MissExplanation e = explainMiss(wanted, {entry(parts(v1, p), QDateTime::currentDateTimeUtc())}, false);
        QCOMPARE(e.reason, u"inputs_differ"_s);
        QCOMPARE(e.fields.size(), 1);
        QCOMPARE(e.fields[0].field, u"bot updated_at"_s);
        QCOMPARE(e.summary(wanted), u"bot updated_at changed from %1 to %2"_s.arg(v1, v2));
    }

    void parameterFieldsAreNamed()
    {
        const CacheKeyParts cached = parts(v1, chatParameters(u"gpt-4o"_s, u"tea?"_s));
        CacheKeyParts wanted = parts(v1, chatParameters(u"gpt-4.1"_s, u"coffee?"_s));
        wanted.parameters["seed"] = 7;
        wanted.parameters["messages"].push_back(Json{{"role", "user"}, {"content", "and milk?"}});
        const QList<FieldDifference> d = keyDifferences(cached, wanted);
        QStringList names;
        for (const FieldDifference &f : d)
            names << f.field + u':' + f.change;
        QCOMPARE(names, (QStringList{u"model:changed"_s, u"parameters.messages[2].content:changed"_s,
                                     u"parameters.messages[3]:added"_s, u"parameters.seed:added"_s}));
        const MissExplanation e = explainMiss(wanted, {entry(cached, QDateTime::currentDateTimeUtc())}, false);
        QCOMPARE(e.summary(wanted),
                 u"the model changed from gpt-4o to gpt-4.1; parameters.messages[2].content changed from \"tea?\" "
                 "to \"coffee?\"; parameters.messages[3] was added; parameters.seed was added (7)"_s);
    }

    void longValuesAreNamedNotQuoted()
    {
        const QString a(200, u'a'), b(200, u'b');
        const CacheKeyParts wanted = parts(v1, chatParameters(u"m"_s, b));
        const MissExplanation e = explainMiss(wanted, {entry(parts(v1, chatParameters(u"m"_s, a)), {})}, false);
        QCOMPARE(e.summary(wanted), u"parameters.messages[2].content differs"_s);
    }

    void closestCandidateWins()
    {
        // The newest entry is another step's (many differences); an older one differs in one.
        const CacheKeyParts wanted = parts(v1, chatParameters(u"m"_s, u"tea?"_s));
        const CacheKeyParts otherStep = parts(v1, Json{{"model", "m"}, {"prompt", "summarise"}});
        const CacheKeyParts sameStep = parts(v1, chatParameters(u"m"_s, u"tea!"_s));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const MissExplanation e = explainMiss(wanted, {entry(otherStep, now), entry(sameStep, now.addSecs(-60))}, false);
        QCOMPARE(e.nearestKey, sameStep.key());
        QCOMPARE(e.fields.size(), 1);
        QCOMPARE(e.fields[0].field, u"parameters.messages[2].content"_s);
    }

    void manyDifferencesAreCounted()
    {
        Json a = Json::object(), b = Json::object();
        for (int i = 0; i < 20; ++i) {
            a[("k" + std::to_string(i))] = i;
            b[("k" + std::to_string(i))] = i + 1;
        }
        const CacheKeyParts wanted = parts(v1, b);
        const MissExplanation e = explainMiss(wanted, {entry(parts(v1, a), {})}, false);
        QCOMPARE(e.fields.size(), MissExplanation::kMaxFields);
        QCOMPARE(e.omittedFields, 20 - MissExplanation::kMaxFields);
        QVERIFY(e.summary(wanted).endsWith(u"; 8 more fields differ"_s));
        QCOMPARE(e.toJson(wanted)["omitted_fields"].get<int>(), 8);
    }

    // The gate against a real cache file: a first miss, a changed bot, a changed
    // parameter, a refresh of an existing answer, and an offline run that may only read.
    void gateAttachesTheExplanation()
    {
        QTemporaryDir dir;
        SqliteReplayCache store(dir.filePath(u"replay.sqlite"_s));
        QVERIFY(store.open());
        int calls = 0;
        const auto compute = [&calls] {
            ++calls;
            return ActionOutcome::success(Json{{"content", "live"}}, {});
        };
        ActionGate replay(gateOptions(Mode::replay(), &store));

        const CacheKeyParts first = parts(v1, chatParameters(u"m"_s, u"tea?"_s));
        GateAnswer a = replay.run(callOf(first), compute);
        QCOMPARE(a.source, Source::ReplayStored);
        QCOMPARE(stringField(a.replayMiss, "reason"), u"never_cached"_s);

        a = replay.run(callOf(first), compute); // a hit says nothing
        QCOMPARE(a.source, Source::ReplayHit);
        QVERIFY(a.replayMiss.is_null());

        const CacheKeyParts newerBot = parts(v2, first.parameters);
        a = replay.run(callOf(newerBot), compute);
        QCOMPARE(a.source, Source::ReplayStored);
        QCOMPARE(stringField(a.replayMiss, "summary"), u"bot updated_at changed from %1 to %2"_s.arg(v1, v2));
        QCOMPARE(stringField(a.replayMiss["fields"][0], "field"), u"bot updated_at"_s);
        QVERIFY(a.replayMiss["nearest"].is_object());

        const CacheKeyParts edited = parts(v2, chatParameters(u"m"_s, u"coffee?"_s));
        a = replay.run(callOf(edited), compute);
        QCOMPARE(stringField(a.replayMiss, "summary"),
                 u"parameters.messages[2].content changed from \"tea?\" to \"coffee?\""_s);

        ActionGate refresh(gateOptions(Mode::replay(true), &store));
        a = refresh.run(callOf(edited), compute);
        QCOMPARE(a.source, Source::Refreshed);
        QCOMPARE(stringField(a.replayMiss, "reason"), u"refresh"_s);
        QVERIFY(stringField(a.replayMiss, "summary").startsWith(u"refresh asked: the answer cached at "_s));

        ActionGate::Options offline = gateOptions(Mode::replay(), &store);
        offline.lookupOnly = true;
        const int before = calls;
        a = ActionGate(offline).run(callOf(parts(v2, chatParameters(u"gpt-5"_s, u"coffee?"_s))), compute);
        QCOMPARE(calls, before);
        QVERIFY(!a.outcome.ok);
        QVERIFY2(a.outcome.error.contains(u"replay miss: the model changed from m to gpt-5"_s),
                 qPrintable(a.outcome.error));

        // Live and manual runs never explain.
        a = ActionGate(gateOptions(Mode::live(), &store)).run(callOf(first), compute);
        QVERIFY(a.replayMiss.is_null());
    }
};

QTEST_GUILESS_MAIN(TstReplayMiss)
#include "tst_replaymiss.moc"
