// invoke-cli invoke on a real invoke-server records the bot's plan and updated_at with the
// run (docs/runs.md) without asking GET /bots/{key}/plan on every run: the invoke answer
// names the bot's version (Invoke-Bot-Updated-At, docs/server.md) and the plan kept from
// an earlier answer for that version is used (core/backend/remoteplancache.h). The server's
// log counts the plan requests; the history's record is read back each time:
//  - the first run asks for the plan, the next ones do not, and every run records the
//    same plan and updated_at the server answers;
//  - an edited bot (a newer file time) is asked for again, and recorded with its new
//    updated_at;
//  - a damaged kept plan is never used: the plan is asked for again.
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/history/historystore.h"
#include "core/model/botplan.h"
#include "core/wire/plancodec.h"

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

#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

class TstCliRemotePlan : public QObject
{
    Q_OBJECT

private:
    // One `invoke-cli invoke planned` on the server; its invocation id.
    QString invokeOnce(const QString &question);
    int planRequests();
    history::RunRecord recorded(const QString &id);
    Json servedPlan(); // GET /bots/planned/plan, as the server answers it now
    void setBotTime(const QDateTime &at);

    QTemporaryDir m_home;
    QString m_bots;
    QString m_botFile;
    test::OpenAiStubServer m_llm;
    std::unique_ptr<test::ServerProcess> m_server;
    QProcessEnvironment m_cli;

private Q_SLOTS:
    void initTestCase();
    void thePlanIsAskedForOncePerVersion();
    void aDamagedKeptPlanIsNeverUsed();
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

    m_server = test::ServerProcess::launch({u"--insecure-no-auth"_s, u"--bots-dir"_s, m_bots, u"--cache"_s,
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

void TstCliRemotePlan::setBotTime(const QDateTime &at)
{
    QFile file(m_botFile);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(at, QFileDevice::FileModificationTime));
}

QString TstCliRemotePlan::invokeOnce(const QString &question)
{
    const test::CliRun run = test::runProcess(test::cliProgram(),
                                              {u"invoke"_s, u"planned"_s, u"-m"_s, question, u"--format"_s, u"json"_s,
                                               u"--endpoint"_s, m_server->url({}).toString()},
                                              m_cli);
    if (run.exitCode != 0) {
        qWarning("invoke-cli exit %d: %s%s", run.exitCode, qPrintable(run.out), qPrintable(run.err));
        return {};
    }
    return stringField(parseJson(run.out.toUtf8()), "invocation_id");
}

int TstCliRemotePlan::planRequests()
{
    return int(m_server->log().count(QRegularExpression(u"GET /bots/planned/plan 200"_s)));
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

Json TstCliRemotePlan::servedPlan()
{
    QNetworkAccessManager network;
    QNetworkRequest request(m_server->url(u"/bots/planned/plan"_s));
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
    const QString kept = m_cli.value(u"XDG_CACHE_HOME"_s) + u"/Invoke Studio/invoke-studio/remote-plans"_s;
    const QFileInfoList files = QDir(kept).entryInfoList({u"*.json"_s}, QDir::Files);
    QCOMPARE(files.size(), 1);
    for (const QFileInfo &file : files)
        test::writeFile(file.filePath(), "{\"bot\": {\"key\": \"planned\", \"updated_at\": "); // cut short
    const int before = planRequests();
    const QString id = invokeOnce(u"Six"_s);
    QVERIFY(!id.isEmpty());
    QCOMPARE(planRequests(), before + 1);
    const history::RunRecord run = recorded(id);
    QVERIFY2(run.botPlan == servedPlan(), run.botPlan.dump().c_str());
    QCOMPARE(run.summary.botUpdatedAt, u"2026-02-03T04:05:06.789Z"_s);
    // Kept again, whole: the next run asks nothing.
    const QString next = invokeOnce(u"Seven"_s);
    QVERIFY(!next.isEmpty());
    QCOMPARE(planRequests(), before + 2); // the test's GET only
}

QTEST_GUILESS_MAIN(TstCliRemotePlan)
#include "tst_cli_remoteplan.moc"
