// invoke-cli invoke on a real invoke-server records the bot's plan and updated_at with the
// run (docs/runs.md) without asking GET /bots/{key}/plan on every run: the invoke answer
// names the version of the bot's plan, its sub-bots included (Invoke-Plan-Version,
// docs/server.md), and the plan kept from an earlier answer for that version is used
// (core/backend/remoteplancache.h). The server's log counts the plan requests; the
// history's record is read back each time:
//  - the first run asks for the plan, the next ones do not, and every run records the
//    same plan and updated_at the server answers;
//  - an edited bot (a newer file time) is asked for again, and recorded with its new
//    updated_at;
//  - an edited sub-bot (the top bot's file untouched) is a new version too: asked for
//    again, recorded with the sub-bot's new updated_at and its new steps;
//  - a bot overridden in a later bot folder a moment after a run (the server's bot index
//    is then still the one before) is told by the next answer's version at once;
//  - a damaged or forged kept plan is never used: the plan is asked for again;
//  - the kept plans are trimmed: at most three versions of a bot;
//  - a burst of runs of one bot (sharing the server's reads of its version): every
//    answer names the version, none is lost.
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/history/historystore.h"
#include "core/model/botplan.h"
#include "core/wire/plancodec.h"
#include "core/wire/planversion.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

class TstCliRemotePlan : public QObject
{
    Q_OBJECT

private:
    // One `invoke-cli invoke planned` on the server; its invocation id.
    QString invokeOnce(const QString &question, const QString &bot = QStringLiteral("planned"));
    int planRequests(const QString &bot = QStringLiteral("planned"));
    QFileInfoList keptPlans() const;
    history::RunRecord recorded(const QString &id);
    Json servedPlan(const QString &bot = QStringLiteral("planned")); // GET /bots/{bot}/plan, as the server answers it now
    void setBotTime(const QDateTime &at, const QString &file = {});

    QTemporaryDir m_home;
    QString m_bots;
    QString m_botFile;
    QString m_laterBots; // a second bot folder, after m_bots: its bots override those of m_bots
    test::OpenAiStubServer m_llm;
    std::unique_ptr<test::ServerProcess> m_server;
    QProcessEnvironment m_cli;

private Q_SLOTS:
    void initTestCase();
    void thePlanIsAskedForOncePerVersion();
    void aDamagedKeptPlanIsNeverUsed();
    void anEditedSubBotIsANewVersion();
    void aBotOverriddenAMomentAgoIsToldAtOnce();
    void keptPlansAreTrimmed();
    void aBurstOfRunsEachNamesTheVersion();
    void cleanupTestCase();
};

void TstCliRemotePlan::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY2(QFileInfo(test::binDir() + u"/invoke-server"_s).isExecutable(), "build invoke-server first");
    QVERIFY(m_llm.listen());
    m_llm.setReply(test::StubReply::text({u"Planned"_s, u" answer."_s}, 5, 2));

    // A bot of the test's own (the bundled chat under another key), whose file time it sets.
    m_bots = m_home.filePath(u"bots"_s);
    QVERIFY(QDir().mkpath(m_bots));
    QFile chat(u":/bots/chat.bot.json"_s);
    QVERIFY(chat.open(QIODevice::ReadOnly));
    QByteArray bot = chat.readAll();
    QVERIFY(bot.contains("\"key\": \"chat\""));
    bot.replace("\"key\": \"chat\"", "\"key\": \"planned\"");
    m_botFile = test::writeFile(m_bots + u"/planned.bot.json"_s, bot);
    setBotTime(QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 678), Qt::UTC));

    // "nested" runs the sub-bot "helper" (one llm.message), edited by anEditedSubBotIsANewVersion.
    test::writeFile(m_bots + u"/nested.bot.json"_s, R"({"bot": {"key": "nested", "name": "Nested"},
 "steps": [{"key": "ask", "action_type": "bot.invoke", "parameters": {"bot_key": "helper", "messages": "{{query}}"}}]})");
    test::writeFile(m_bots + u"/helper.bot.json"_s, R"({"bot": {"key": "helper", "name": "Helper"},
 "steps": [{"key": "answer", "action_type": "llm.message", "parameters": {"query": "{{query}}"}}]})");
    setBotTime(QDateTime(QDate(2026, 3, 1), QTime(1, 1, 1, 100), Qt::UTC), m_bots + u"/nested.bot.json"_s);
    setBotTime(QDateTime(QDate(2026, 3, 1), QTime(2, 2, 2, 200), Qt::UTC), m_bots + u"/helper.bot.json"_s);
    m_laterBots = m_home.filePath(u"later-bots"_s);
    QVERIFY(QDir().mkpath(m_laterBots));

    m_server = test::ServerProcess::launch({u"--insecure-no-auth"_s, u"--bots-dir"_s, m_bots, u"--bots-dir"_s,
                                            m_laterBots, u"--cache"_s,
                                            m_home.filePath(u"server-replay.sqlite"_s)},
                                           test::ServerProcess::scratchEnvironment(m_home.filePath(u"server"_s),
                                                                                   m_llm.baseUrl()));
    QVERIFY(m_server);
    m_cli = test::ServerProcess::scratchEnvironment(m_home.filePath(u"developer"_s));
}

void TstCliRemotePlan::cleanupTestCase()
{
    if (m_server)
        QCOMPARE(m_server->terminate(), 0);
}

void TstCliRemotePlan::setBotTime(const QDateTime &at, const QString &path)
{
    QFile file(path.isEmpty() ? m_botFile : path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(at, QFileDevice::FileModificationTime));
}

QString TstCliRemotePlan::invokeOnce(const QString &question, const QString &bot)
{
    const test::CliRun run = test::runProcess(test::cliProgram(),
                                              {u"invoke"_s, bot, u"-m"_s, question, u"--format"_s, u"json"_s,
                                               u"--endpoint"_s, m_server->url({}).toString()},
                                              m_cli);
    if (run.exitCode != 0) {
        qWarning("invoke-cli exit %d: %s%s", run.exitCode, qPrintable(run.out), qPrintable(run.err));
        return {};
    }
    return stringField(parseJson(run.out.toUtf8()), "invocation_id");
}

int TstCliRemotePlan::planRequests(const QString &bot)
{
    return int(m_server->log().count(QRegularExpression(u"GET /bots/%1/plan 200"_s.arg(bot))));
}

QFileInfoList TstCliRemotePlan::keptPlans() const
{
    const QString kept = m_cli.value(u"XDG_CACHE_HOME"_s) + u"/Invoke Studio/invoke-studio/remote-plans"_s;
    return QDir(kept).entryInfoList({u"*.json"_s}, QDir::Files, QDir::Time);
}

history::RunRecord TstCliRemotePlan::recorded(const QString &id)
{
    history::HistoryStore store(m_cli.value(u"XDG_DATA_HOME"_s) + u"/Invoke Studio/invoke-studio/history.sqlite"_s);
    QString error;
    if (!store.open(&error)) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    const auto record = store.load(id, &error);
    if (!record)
        qWarning("%s", qPrintable(error));
    return record.value_or(history::RunRecord());
}

Json TstCliRemotePlan::servedPlan(const QString &bot)
{
    QNetworkAccessManager network;
    QNetworkRequest request(m_server->url(u"/bots/%1/plan"_s.arg(bot)));
    QNetworkReply *reply = network.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(30000);
    const auto plan = wire::planFromBody(reply->readAll());
    reply->deleteLater();
    return plan ? plan->toJson() : Json();
}

void TstCliRemotePlan::thePlanIsAskedForOncePerVersion()
{
    const int before = planRequests();
    const QString first = invokeOnce(u"One"_s);
    QVERIFY(!first.isEmpty());
    QCOMPARE(planRequests(), before + 1);
    const Json plan = servedPlan(); // this GET is the test's own
    QVERIFY(!plan.is_null());
    const history::RunRecord one = recorded(first);
    QVERIFY2(one.botPlan == plan, one.botPlan.dump().c_str());
    QCOMPARE(one.summary.botUpdatedAt, u"2026-01-02T03:04:05.678Z"_s);

    // The same version again: answered from the kept plan, the same record.
    for (const QString &question : {u"Two"_s, u"Three"_s}) {
        const QString id = invokeOnce(question);
        QVERIFY(!id.isEmpty());
        QCOMPARE(planRequests(), before + 2); // the test's GET above only
        const history::RunRecord again = recorded(id);
        QVERIFY2(again.botPlan == plan, again.botPlan.dump().c_str());
        QCOMPARE(again.summary.botUpdatedAt, one.summary.botUpdatedAt);
    }

    // The bot edited: its new version is asked for, and recorded.
    setBotTime(QDateTime(QDate(2026, 2, 3), QTime(4, 5, 6, 789), Qt::UTC));
    const QString edited = invokeOnce(u"Four"_s);
    QVERIFY(!edited.isEmpty());
    QCOMPARE(planRequests(), before + 3);
    const history::RunRecord newer = recorded(edited);
    QCOMPARE(newer.summary.botUpdatedAt, u"2026-02-03T04:05:06.789Z"_s);
    const Json newPlan = servedPlan();
    QVERIFY2(newer.botPlan == newPlan, newer.botPlan.dump().c_str());
    QVERIFY(newPlan != plan);
    const QString after = invokeOnce(u"Five"_s);
    QVERIFY(!after.isEmpty());
    QCOMPARE(planRequests(), before + 4); // the test's second GET only
    QCOMPARE(recorded(after).summary.botUpdatedAt, u"2026-02-03T04:05:06.789Z"_s);
}

void TstCliRemotePlan::aDamagedKeptPlanIsNeverUsed()
{
    // Both versions of the test above are kept, the newest used last.
    QFileInfoList files = keptPlans();
    QCOMPARE(files.size(), 2);
    const QString current = files.first().filePath();
    const QByteArray older = [&] {
        QFile file(files.last().filePath());
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }();
    QVERIFY(older.contains("\"planned\""));

    // Forged: a whole plan of the bot, but of its older version, under the current one's name.
    test::writeFile(current, older);
    int before = planRequests();
    QString id = invokeOnce(u"Six"_s);
    QVERIFY(!id.isEmpty());
    QCOMPARE(planRequests(), before + 1);
    QCOMPARE(recorded(id).summary.botUpdatedAt, u"2026-02-03T04:05:06.789Z"_s);
    QVERIFY2(recorded(id).botPlan == servedPlan(), recorded(id).botPlan.dump().c_str());

    // Damaged: cut short.
    test::writeFile(current, "{\"bot\": {\"key\": \"planned\", \"updated_at\": ");
    before = planRequests();
    id = invokeOnce(u"Seven"_s);
    QVERIFY(!id.isEmpty());
    QCOMPARE(planRequests(), before + 1);
    const history::RunRecord run = recorded(id);
    QVERIFY2(run.botPlan == servedPlan(), run.botPlan.dump().c_str());
    QCOMPARE(run.summary.botUpdatedAt, u"2026-02-03T04:05:06.789Z"_s);
    // Kept again, whole: the next run asks nothing.
    before = planRequests();
    const QString next = invokeOnce(u"Eight"_s);
    QVERIFY(!next.isEmpty());
    QCOMPARE(planRequests(), before);
}

void TstCliRemotePlan::anEditedSubBotIsANewVersion()
{
    const auto helperSteps = [](const Json &plan) {
        Json steps = Json::array();
        for (const Json &step : plan["steps"])
            if (step.value("bot_key", "") == "helper")
                steps.push_back(step);
        return steps;
    };
    const int before = planRequests(u"nested"_s);
    const QString first = invokeOnce(u"One"_s, u"nested"_s);
    QVERIFY(!first.isEmpty());
    QCOMPARE(planRequests(u"nested"_s), before + 1);
    const Json plan = servedPlan(u"nested"_s);
    const history::RunRecord one = recorded(first);
    QVERIFY2(one.botPlan == plan, one.botPlan.dump().c_str());
    QCOMPARE(helperSteps(one.botPlan).size(), size_t(1));
    QVERIFY(helperSteps(one.botPlan)[0]["bot_updated_at"] == "2026-03-01T02:02:02.200Z");
    const QString again = invokeOnce(u"Two"_s, u"nested"_s);
    QVERIFY(!again.isEmpty());
    QCOMPARE(planRequests(u"nested"_s), before + 2); // the test's GET only

    // The sub-bot gains a step; the top bot's file (and its updated_at) stays as it was.
    test::writeFile(m_bots + u"/helper.bot.json"_s, R"({"bot": {"key": "helper", "name": "Helper"},
 "steps": [{"key": "answer", "action_type": "llm.message", "parameters": {"query": "{{query}}"}},
           {"key": "tidy", "action_type": "utils.echo", "depends_on": ["answer"], "parameters": {"data": "done"}}]})");
    setBotTime(QDateTime(QDate(2026, 4, 5), QTime(6, 7, 8, 900), Qt::UTC), m_bots + u"/helper.bot.json"_s);
    const QString edited = invokeOnce(u"Three"_s, u"nested"_s);
    QVERIFY(!edited.isEmpty());
    QCOMPARE(planRequests(u"nested"_s), before + 3);
    const history::RunRecord newer = recorded(edited);
    QCOMPARE(newer.summary.botUpdatedAt, one.summary.botUpdatedAt);
    const Json newPlan = servedPlan(u"nested"_s);
    QVERIFY(newPlan != plan);
    QVERIFY2(newer.botPlan == newPlan, newer.botPlan.dump().c_str());
    const Json steps = helperSteps(newer.botPlan);
    QCOMPARE(steps.size(), size_t(2));
    for (const Json &step : steps)
        QVERIFY2(step["bot_updated_at"] == "2026-04-05T06:07:08.900Z", step.dump().c_str());
    // And that version is kept in turn.
    const QString after = invokeOnce(u"Four"_s, u"nested"_s);
    QVERIFY(!after.isEmpty());
    QCOMPARE(planRequests(u"nested"_s), before + 4); // the test's second GET only
    QVERIFY(recorded(after).botPlan == newPlan);
}

void TstCliRemotePlan::aBotOverriddenAMomentAgoIsToldAtOnce()
{
    // A run (which reads the server's bot index, fresh for a few seconds after), then at
    // once a bot of the same key in the later folder, older than the one it overrides.
    int before = planRequests();
    QVERIFY(!invokeOnce(u"Nine"_s).isEmpty());
    QCOMPARE(planRequests(), before); // the version of the tests above, kept
    QFile original(m_botFile);
    QVERIFY(original.open(QIODevice::ReadOnly));
    QByteArray bot = original.readAll();
    QVERIFY(bot.contains("\"steps\""));
    bot.replace("\"steps\": [", R"("steps": [{"key": "first", "action_type": "utils.echo", "parameters": {"data": "x"}},)");
    const QString later = test::writeFile(m_laterBots + u"/planned.bot.json"_s, bot);
    setBotTime(QDateTime(QDate(2025, 12, 24), QTime(10, 0, 0, 1), Qt::UTC), later);

    before = planRequests();
    const QString id = invokeOnce(u"Ten"_s);
    QVERIFY(!id.isEmpty());
    QCOMPARE(planRequests(), before + 1);
    const history::RunRecord run = recorded(id);
    QCOMPARE(run.summary.botUpdatedAt, u"2025-12-24T10:00:00.001Z"_s);
    const Json plan = servedPlan();
    QVERIFY2(run.botPlan == plan, run.botPlan.dump().c_str());
    QVERIFY(plan["steps"][0]["key"] == "first");
}

void TstCliRemotePlan::keptPlansAreTrimmed()
{
    // Versions of "planned" so far: two of its first file, and the override's.
    const QDateTime base(QDate(2026, 5, 1), QTime(0, 0), Qt::UTC);
    const QString later = m_laterBots + u"/planned.bot.json"_s;
    for (int i = 0; i < 3; ++i) {
        setBotTime(base.addSecs(i), later);
        QVERIFY(!invokeOnce(u"Trim %1"_s.arg(i)).isEmpty());
    }
    // "nested" keeps its two versions; "planned" its three newest, the one in use first.
    const QFileInfoList files = keptPlans();
    QCOMPARE(files.size(), 5);
    int before = planRequests();
    const QString id = invokeOnce(u"Trim again"_s);
    QVERIFY(!id.isEmpty());
    QCOMPARE(planRequests(), before); // the newest is kept
    QCOMPARE(recorded(id).summary.botUpdatedAt, u"2026-05-01T00:00:02.000Z"_s);
    // An older version trimmed away is asked for again.
    setBotTime(base, later);
    before = planRequests();
    QVERIFY(!invokeOnce(u"Trim back"_s).isEmpty());
    QCOMPARE(planRequests(), before); // base is still among the three newest
    setBotTime(QDateTime(QDate(2025, 6, 1), QTime(0, 0), Qt::UTC), later);
    before = planRequests();
    const QString old = invokeOnce(u"Trim older"_s);
    QVERIFY(!old.isEmpty());
    QCOMPARE(planRequests(), before + 1);
    QCOMPARE(keptPlans().size(), 5);
}

void TstCliRemotePlan::aBurstOfRunsEachNamesTheVersion()
{
    // Runs of one bot at once share the server's reads of its version (BotIndex::versionOf):
    // each answer still names it, none is lost.
    const auto plan = BotPlan::fromJson(servedPlan(u"nested"_s));
    QVERIFY(plan);
    const QByteArray expected = wire::planVersion(*plan).toLatin1();
    QNetworkAccessManager network;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 24; ++i) {
        QNetworkRequest request(m_server->url(u"/bots/nested/invoke"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        replies.append(network.post(request, R"({"messages": [{"role": "user", "content": "Burst"}]})"));
    }
    QVERIFY(QTest::qWaitFor([&] { return std::all_of(replies.cbegin(), replies.cend(), [](QNetworkReply *r) { return r->isFinished(); }); },
                            60000));
    for (QNetworkReply *reply : std::as_const(replies)) {
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(reply->rawHeader("Invoke-Plan-Version"), expected);
        QCOMPARE(reply->rawHeader("Invoke-Bot-Updated-At"), QByteArray("2026-03-01T01:01:01.100Z"));
        reply->deleteLater();
    }
}

QTEST_GUILESS_MAIN(TstCliRemotePlan)
#include "tst_cli_remoteplan.moc"
