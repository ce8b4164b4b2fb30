// GET /bots/{key}/plan against the real build/bin/invoke-server: the contract's shape
// ({"bot": {key, name, updated_at}, "steps": [{path, key, action_type, depth}, ...]}),
// the same steps the engine walks (sub-bots nested as "parent/child", handler steps
// marked), authenticated like the other routes, 404 {"error"} for an unknown key or a
// bot file that does not load (its file name, never the server's folder), 405 for
// another method; and RemoteBackend::botPlan reads it as LocalBackend answers locally.
#include "tests/support/serverprocess.h"
#include "tests/support/jsontext.h"
#include "tests/support/testpaths.h"

#include "core/backend/localbackend.h"
#include "core/backend/remotebackend.h"
#include "core/engine/botcatalog.h"
#include "core/engine/botplanner.h"
#include "core/wire/plancodec.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;

namespace {

const QByteArray kToken = "test-token-plan-0123456789";

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QByteArray allow;
    Json json() const { return parseJson(body); }
    QString error() const { return stringField(json(), "error"); }
};

} // namespace

class TstServerPlan : public QObject
{
    Q_OBJECT

private:
    HttpResult get(const QString &path, const QByteArray &token = kToken, const QByteArray &method = "GET");
    BotPlanResult planFrom(Backend &backend, const QString &key);

    QTemporaryDir m_home;
    QString m_bots;
    std::unique_ptr<test::ServerProcess> m_server;
    QNetworkAccessManager m_nam;
    engine::BotCatalog m_catalog; // the folders the server reads, read here too

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void planHasTheContractShape();
    void nestedSubBotsAndHandlerSteps();
    void needsAToken();
    void unknownAndBrokenBotsAre404();
    void otherMethodsAre405();
    void remoteBackendReadsThePlan();
};

void TstServerPlan::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY2(QFileInfo(test::binDir() + u"/invoke-server"_s).isExecutable(),
             "build invoke-server first (it is a dependency of tst_server_plan)");
    // The mock tests' bots (nested sub-bots, handlers, a cycle) and one that does not load.
    m_bots = m_home.filePath(u"bots"_s);
    QVERIFY(QDir().mkpath(m_bots));
    const QDir source(test::sourcePath(u"tests/data/mocks/bots"_s));
    for (const QString &name : source.entryList({u"*.bot.json"_s}, QDir::Files))
        QVERIFY(QFile::copy(source.filePath(name), m_bots + u'/' + name));
    QFile broken(m_bots + u"/broken.bot.json"_s);
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\n  \"bot\": {\"key\": \"broken\"},\n  \"steps\": [\n");
    broken.close();
    m_catalog.load(engine::BotCatalog::defaultFolders({m_bots}));

    QFile tokens(m_home.filePath(u"tokens.txt"_s));
    QVERIFY(tokens.open(QIODevice::WriteOnly));
    tokens.write(kToken + " acme\n");
    tokens.close();
    m_server = std::make_unique<test::ServerProcess>(
        QStringList{u"--tokens"_s, tokens.fileName(), u"--cache"_s, m_home.filePath(u"cache.sqlite"_s),
                    u"--bots-dir"_s, m_bots},
        test::ServerProcess::scratchEnvironment(m_home.path()));
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

void TstServerPlan::cleanupTestCase()
{
    if (m_server)
        QCOMPARE(m_server->terminate(), 0);
}

HttpResult TstServerPlan::get(const QString &path, const QByteArray &token, const QByteArray &method)
{
    QNetworkRequest request(m_server->url(path));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(60000);
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.allow = reply->rawHeader("Allow");
    reply->deleteLater();
    return result;
}

BotPlanResult TstServerPlan::planFrom(Backend &backend, const QString &key)
{
    std::optional<BotPlanResult> answer;
    backend.botPlan(key, this, [&](const BotPlanResult &result) { answer = result; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 60000))
        return BotPlanResult{std::nullopt, u"no answer"_s};
    return *answer;
}

void TstServerPlan::planHasTheContractShape()
{
    const HttpResult r = get(u"/bots/research-assistant/plan"_s);
    QCOMPARE(r.status, 200);
    const Json body = r.json();
    QVERIFY2(body.is_object() && body["bot"].is_object() && body["steps"].is_array(), r.body.constData());
    QCOMPARE(stringField(body["bot"], "key"), u"research-assistant"_s);
    QCOMPARE(stringField(body["bot"], "name"), u"Research assistant"_s);
    // updated_at as GET /bots gives it (the replay cache keys on it).
    const Json bots = get(u"/bots"_s).json()["bots"];
    QString listed;
    for (const Json &bot : bots)
        if (stringField(bot, "key") == u"research-assistant"_s)
            listed = stringField(bot, "updated_at");
    QVERIFY(!listed.isEmpty());
    QCOMPARE(stringField(body["bot"], "updated_at"), listed);

    QStringList steps;
    for (const Json &step : body["steps"]) {
        for (const char *member : {"path", "key", "action_type"})
            QVERIFY2(step.contains(member) && step[member].is_string(), qPrintable(jsonText(step)));
        QVERIFY2(step.contains("depth") && step["depth"].is_number_integer(), qPrintable(jsonText(step)));
        QVERIFY2(step.contains("line") && step["line"].get<int>() > 0, qPrintable(jsonText(step)));
        steps.append(u"%1 %2 %3 %4"_s.arg(stringField(step, "path"), stringField(step, "key"),
                                          stringField(step, "action_type"))
                         .arg(step["depth"].get<int>()));
    }
    QCOMPARE(steps, (QStringList{u"announce announce utils.send_status 0"_s, u"gather gather llm.message 0"_s,
                                 u"summarise summarise bot.invoke 0"_s, u"summarise/answer answer llm.message 1"_s,
                                 u"notes-only notes-only utils.write 0"_s}));
    // The server's file paths stay home.
    QVERIFY2(!r.body.contains(m_bots.toUtf8()) && !r.body.contains("source_file"), r.body.constData());
}

void TstServerPlan::nestedSubBotsAndHandlerSteps()
{
    // Exactly the engine's walk: what core/engine/botplanner gives for the same folders.
    for (const QString &key : {u"outer"_s, u"inner"_s, u"loop"_s, u"ticket-triage"_s, u"chat"_s}) {
        const HttpResult r = get(u"/bots/%1/plan"_s.arg(key));
        QCOMPARE(r.status, 200);
        QString error;
        const auto plan = wire::planFromBody(r.body, &error);
        QVERIFY2(plan, qPrintable(error));
        const engine::BotDefinition *bot = m_catalog.find(key);
        QVERIFY(bot);
        QCOMPARE(jsonText(wire::planBody(*plan)), jsonText(wire::planBody(engine::botPlan(*bot, m_catalog))));
    }
    const auto outer = wire::planFromBody(get(u"/bots/outer/plan"_s).body);
    QVERIFY(outer);
    QCOMPARE(outer->actionTypeOf(u"research/deep/answer"_s), u"llm.message"_s);
    for (const PlannedStep &step : outer->steps) {
        if (step.path == u"research/deep/answer"_s) {
            QCOMPARE(step.depth, 2);
            QCOMPARE(step.botKey, u"inner"_s);
        }
        if (step.path == u"apology"_s)
            QVERIFY(step.conditional);
        if (step.path == u"dyn"_s)
            QVERIFY2(step.note.contains(u"template"_s), qPrintable(step.note));
    }
}

void TstServerPlan::needsAToken()
{
    HttpResult r = get(u"/bots/chat/plan"_s, {});
    QCOMPARE(r.status, 401);
    QVERIFY2(r.error().contains(u"Authorization: Bearer"_s), r.body.constData());
    r = get(u"/bots/chat/plan"_s, "not-a-token-we-know-at-all");
    QCOMPARE(r.status, 401);
    QVERIFY(!r.body.contains("\"steps\""));
    const QString log = m_server->log();
    QVERIFY2(log.contains(u"GET /bots/chat/plan 401 org=- "_s), qPrintable(log));
}

void TstServerPlan::unknownAndBrokenBotsAre404()
{
    HttpResult r = get(u"/bots/no-such-bot/plan"_s);
    QCOMPARE(r.status, 404);
    QVERIFY2(r.error().startsWith(u"bot \"no-such-bot\" not found"_s), r.body.constData());
    r = get(u"/bots/broken/plan"_s);
    QCOMPARE(r.status, 404);
    QVERIFY2(r.error().startsWith(u"bot \"broken\" could not be loaded: broken.bot.json:"_s), r.body.constData());
    QVERIFY2(!r.error().contains(m_bots), r.body.constData());
    const QString log = m_server->log();
    QVERIFY2(log.contains(u"GET /bots/no-such-bot/plan 404 org=acme "_s), qPrintable(log));
}

void TstServerPlan::otherMethodsAre405()
{
    const HttpResult r = get(u"/bots/chat/plan"_s, kToken, "POST");
    QCOMPARE(r.status, 405);
    QCOMPARE(r.allow, QByteArray("GET"));
    QVERIFY2(!r.error().isEmpty(), r.body.constData());
}

void TstServerPlan::remoteBackendReadsThePlan()
{
    RemoteBackend::Options options;
    options.endpoint = m_server->url({});
    options.token = QString::fromLatin1(kToken);
    RemoteBackend remote(options);
    LocalBackend::Options localOptions;
    localOptions.botFolders = engine::BotCatalog::defaultFolders({m_bots});
    localOptions.replayCacheFile = m_home.filePath(u"local.sqlite"_s);
    LocalBackend local(localOptions);

    for (const QString &key : {u"outer"_s, u"research-assistant"_s}) {
        const BotPlanResult there = planFrom(remote, key);
        const BotPlanResult here = planFrom(local, key);
        QVERIFY2(there.plan, qPrintable(there.error));
        QVERIFY2(here.plan, qPrintable(here.error));
        QCOMPARE(jsonText(there.plan->toJson()), jsonText(here.plan->toJson()));
    }
    const BotPlanResult missing = planFrom(remote, u"no-such-bot"_s);
    QVERIFY(!missing.plan);
    QVERIFY2(missing.error.contains(u"bot \"no-such-bot\" not found"_s), qPrintable(missing.error));
    QVERIFY2(missing.error.contains(u"HTTP 404"_s), qPrintable(missing.error));

    options.token = u"not-a-token-we-know-at-all"_s;
    RemoteBackend stranger(options);
    const BotPlanResult refused = planFrom(stranger, u"chat"_s);
    QVERIFY(!refused.plan);
    QVERIFY2(refused.error.contains(u"refused the request"_s), qPrintable(refused.error));
    QVERIFY(!refused.error.contains(u"not-a-token"_s));
}

QTEST_GUILESS_MAIN(TstServerPlan)
#include "tst_server_plan.moc"
