// A team's replay cache on a real PostgreSQL (tests/support/testpostgres.h), end to end:
// the built invoke-cli and invoke-server as processes, the LLM a stub in this process that
// counts its calls. Two developers with different homes share answers; a CLI with --scope
// shares an organisation's with invoke-server; two servers share one cache with their
// organisations kept apart; two processes that miss the same key at once make one call;
// export/import moves entries between a local cache and the team's; a database that
// goes away fails the replay step by name and cause (never a silent live call) and is
// used again when it is back, without a restart.
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpostgres.h"

#include "core/wire/eventcodec.h"
#include "core/wire/events.h"

#include <QtCore/QProcess>
#include <QtCore/QSaveFile>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QByteArray kTokenAcme = "team-cache-token-acme-0123456789";
const QByteArray kTokenGlobex = "team-cache-token-globex-0123456789";

// What one run said about its LLM step.
struct StepReport
{
    QString source; // replay_hit, replay_stored, ... ; empty when no llm.message step finished
    QString error;
    QString status;
};

StepReport llmStep(const QList<Json> &events)
{
    StepReport report;
    for (const Json &event : events)
        if (stringField(event, "type") == u"step_finished"_s
            && stringField(wire::payloadOf(event), "action_type") == u"llm.message"_s) {
            report.source = stringField(wire::metadataOf(event), "source");
            const Json result = wire::payloadOf(event).value("result", Json::object());
            report.error = stringField(result, "error");
            report.status = stringField(result, "status");
        }
    return report;
}

} // namespace

class TstTeamCache : public QObject
{
    Q_OBJECT

private:
    // The environment of a developer whose home is `name`, the LLM at the stub.
    QProcessEnvironment developer(const QString &name, const QHash<QString, QString> &extra = {}) const;
    test::CliRun cli(const QStringList &arguments, const QProcessEnvironment &environment);
    StepReport cliReplay(const QString &question, const QProcessEnvironment &environment,
                         const QStringList &extra = {}, test::CliRun *run = nullptr);
    std::unique_ptr<test::ServerProcess> server(const QString &name, const QString &cacheUrl,
                                                const QStringList &extra = {});
    Json health(test::ServerProcess &server); // GET /healthz's "replay_cache"
    StepReport serverReplay(test::ServerProcess &server, const QByteArray &token, const QString &question);
    // A fresh database of the running test function's own; its URL.
    QString freshDatabase();
    void noPasswordIn(const QString &text);

    test::TestPostgres m_pg;
    test::OpenAiStubServer m_llm;
    QTemporaryDir m_home;
    QString m_tokens;
    QNetworkAccessManager m_nam;

private Q_SLOTS:
    void initTestCase();
    void init();
    void twoHomesShareAnswers();
    void cliScopeSharesAnOrganisationWithTheServer();
    void twoServersShareWithOrganisationsApart();
    void simultaneousMissesMakeOneLiveCall();
    void waiterGoesLiveAfterTheTimeoutAndSaysSo();
    void exportImportMovesEntriesBetweenStores();
    void databaseStoppedAndStartedMidTest();
};

void TstTeamCache::initTestCase()
{
    QVERIFY(m_home.isValid());
    QString error;
    // Never skipped: without PostgreSQL this fails and says why.
    QVERIFY2(m_pg.start(&error), qPrintable(error));
    QVERIFY(m_llm.listen());
    m_tokens = m_home.filePath(u"tokens.txt"_s);
    QSaveFile tokens(m_tokens);
    QVERIFY(tokens.open(QIODevice::WriteOnly));
    tokens.write(kTokenAcme + " acme\n" + kTokenGlobex + " globex\n");
    QVERIFY(tokens.commit());
    QFile::setPermissions(m_tokens, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void TstTeamCache::init()
{
    m_llm.setReply(test::StubReply::text({u"The"_s, u" shared"_s, u" answer."_s}, 7, 3));
}

QString TstTeamCache::freshDatabase()
{
    const QString name = QString::fromLatin1(QTest::currentTestFunction()).toLower();
    const QString why = m_pg.sql(u"CREATE DATABASE \"%1\""_s.arg(name), u"postgres"_s);
    if (!why.isEmpty())
        qWarning("CREATE DATABASE %s: %s", qPrintable(name), qPrintable(why));
    return m_pg.url(name);
}

void TstTeamCache::noPasswordIn(const QString &text)
{
    QVERIFY2(!text.contains(m_pg.password()), qPrintable(u"the database password was shown: "_s + text));
}

QProcessEnvironment TstTeamCache::developer(const QString &name, const QHash<QString, QString> &extra) const
{
    const QString home = m_home.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u'-' + name);
    QHash<QString, QString> variables{{u"INVOKE_LLM_BASE_URL"_s, m_llm.baseUrl()},
                                      {u"INVOKE_LLM_MODEL"_s, u"stub-model"_s},
                                      {u"HOME"_s, home}};
    variables.insert(extra);
    return test::withVariables(test::ServerProcess::scratchEnvironment(home), variables);
}

test::CliRun TstTeamCache::cli(const QStringList &arguments, const QProcessEnvironment &environment)
{
    const test::CliRun run = test::runProcess(test::cliProgram(), arguments, environment);
    noPasswordIn(run.out);
    noPasswordIn(run.err);
    return run;
}

StepReport TstTeamCache::cliReplay(const QString &question, const QProcessEnvironment &environment,
                                   const QStringList &extra, test::CliRun *out)
{
    const test::CliRun run = cli(QStringList{u"invoke"_s, u"chat"_s, u"-m"_s, question, u"--mode"_s, u"replay"_s,
                                             u"--format"_s, u"events"_s} + extra,
                                 environment);
    if (out)
        *out = run;
    const Json doc = parseJson(run.out.toUtf8());
    QList<Json> events;
    for (const Json &event : doc.value("events", Json::array()))
        events.append(event);
    StepReport report = llmStep(events);
    if (report.source.isEmpty())
        report.error = u"exit %1: %2"_s.arg(run.exitCode).arg(run.err);
    return report;
}

std::unique_ptr<test::ServerProcess> TstTeamCache::server(const QString &name, const QString &cacheUrl,
                                                        const QStringList &extra)
{
    const QString home = m_home.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u"-server-"_s + name);
    // The URL through the environment, as docs/cache.md advises (a flag shows in ps).
    QProcessEnvironment environment = test::ServerProcess::scratchEnvironment(home, m_llm.baseUrl());
    environment.insert(u"INVOKE_CACHE_URL"_s, cacheUrl);
    return test::ServerProcess::launch(QStringList{u"--tokens"_s, m_tokens} + extra, environment);
}

Json TstTeamCache::health(test::ServerProcess &server)
{
    QNetworkReply *reply = m_nam.get(QNetworkRequest(server.url(u"/healthz"_s)));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(30000);
    const Json body = parseJson(reply->readAll());
    reply->deleteLater();
    if (stringField(body, "status") != u"ok"_s)
        return Json();
    return body.value("replay_cache", Json());
}

StepReport TstTeamCache::serverReplay(test::ServerProcess &server, const QByteArray &token, const QString &question)
{
    QNetworkRequest request(server.url(u"/bots/chat/invoke"_s));
    request.setRawHeader("Authorization", "Bearer " + token);
    request.setRawHeader("Accept", "text/event-stream");
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const Json body{{"messages", Json::array({{{"role", "user"}, {"content", toStd(question)}}})}, {"mode", "replay"}};
    QNetworkReply *reply = m_nam.post(request, dumpJson(body));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(90000);
    QList<Event> events;
    wire::EventStreamDecoder decoder;
    decoder.feed(reply->readAll(), events);
    reply->deleteLater();
    QList<Json> parsed;
    for (const Event &event : std::as_const(events))
        parsed.append(event.json());
    StepReport report = llmStep(parsed);
    if (report.source.isEmpty())
    {
        QStringList shown;
        for (const Event &event : std::as_const(events))
            shown.append(QString::fromUtf8(event.raw));
        report.error = u"no llm.message step finished (HTTP %1): %2"_s.arg(
            reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt()).arg(shown.join(u'\n'));
    }
    return report;
}

void TstTeamCache::twoHomesShareAnswers()
{
    const QString url = freshDatabase();
    const int before = m_llm.requestCount();
    // Alice records through --cache, Bob (another home, no shared file) replays through
    // INVOKE_CACHE_URL: no LLM call for him.
    const StepReport alice = cliReplay(u"What is our deploy day?"_s, developer(u"alice"_s), {u"--cache"_s, url});
    QVERIFY2(alice.source == u"replay_stored"_s, qPrintable(alice.source + u' ' + alice.error));
    QCOMPARE(m_llm.requestCount(), before + 1);
    const auto bob = developer(u"bob"_s, {{u"INVOKE_CACHE_URL"_s, url}});
    const StepReport replayed = cliReplay(u"What is our deploy day?"_s, bob);
    QVERIFY2(replayed.source == u"replay_hit"_s, qPrintable(replayed.source + u' ' + replayed.error));
    QCOMPARE(m_llm.requestCount(), before + 1);
    // Bob's own local cache file was never used.
    QVERIFY(!QFile::exists(bob.value(u"XDG_CACHE_HOME"_s) + u"/Invoke Studio/invoke-studio/replay.sqlite"_s));

    // cache stats names the store with the password masked, on both.
    test::CliRun stats = cli({u"cache"_s, u"stats"_s}, bob);
    QVERIFY2(stats.exitCode == 0, qPrintable(stats.err));
    QVERIFY2(stats.out.contains(u"postgresql://invoke:***@127.0.0.1:%1/"_s.arg(m_pg.port()))
                 && stats.out.contains(u"Entries:  1\n"_s) && stats.out.contains(u"local (1)"_s),
             qPrintable(stats.out));
    const test::CliRun list = cli({u"cache"_s, u"list"_s, u"--json"_s, u"--cache"_s, url}, developer(u"carol"_s));
    const Json entries = parseJson(list.out.toUtf8());
    QVERIFY2(entries.is_array() && entries.size() == 1, qPrintable(list.out + list.err));
    QCOMPARE(stringField(entries[0], "scope"), u"local"_s);
    QCOMPARE(entries[0].value("hits", 0), 1);
}

void TstTeamCache::cliScopeSharesAnOrganisationWithTheServer()
{
    const QString url = freshDatabase();
    const int before = m_llm.requestCount();
    const StepReport recorded = cliReplay(u"Scoped question"_s, developer(u"dev"_s, {{u"INVOKE_CACHE_SCOPE"_s, u"org:acme"_s}}),
                                          {u"--cache"_s, url});
    QVERIFY2(recorded.source == u"replay_stored"_s, qPrintable(recorded.error));
    auto acmeServer = server(u"one"_s, url);
    QVERIFY(acmeServer);
    const StepReport hit = serverReplay(*acmeServer, kTokenAcme, u"Scoped question"_s);
    QVERIFY2(hit.source == u"replay_hit"_s, qPrintable(hit.source + u' ' + hit.error));
    QCOMPARE(m_llm.requestCount(), before + 1);
    // --scope beats the environment; the server's other organisation never sees it.
    const StepReport local = cliReplay(u"Scoped question"_s, developer(u"dev"_s, {{u"INVOKE_CACHE_SCOPE"_s, u"org:acme"_s}}),
                                       {u"--cache"_s, url, u"--scope"_s, u"local"_s});
    QCOMPARE(local.source, u"replay_stored"_s);
    QCOMPARE(m_llm.requestCount(), before + 2);
    QVERIFY2(!acmeServer->log().contains(m_pg.password()), "the server logged the database password");
    QVERIFY(acmeServer->log().contains(u"postgresql://invoke:***@"_s));
}

void TstTeamCache::twoServersShareWithOrganisationsApart()
{
    const QString url = freshDatabase();
    auto first = server(u"first"_s, url);
    auto second = server(u"second"_s, url);
    QVERIFY(first && second);
    const int before = m_llm.requestCount();
    QCOMPARE(serverReplay(*first, kTokenAcme, u"Load balanced"_s).source, u"replay_stored"_s);
    QCOMPARE(m_llm.requestCount(), before + 1);
    // The other instance serves acme's answer from the shared cache...
    QCOMPARE(serverReplay(*second, kTokenAcme, u"Load balanced"_s).source, u"replay_hit"_s);
    QCOMPARE(m_llm.requestCount(), before + 1);
    // ...and never to globex, whichever instance it reaches.
    QCOMPARE(serverReplay(*second, kTokenGlobex, u"Load balanced"_s).source, u"replay_stored"_s);
    QCOMPARE(m_llm.requestCount(), before + 2);
    QCOMPARE(serverReplay(*first, kTokenGlobex, u"Load balanced"_s).source, u"replay_hit"_s);
    QCOMPARE(m_llm.requestCount(), before + 2);
    const test::CliRun stats = cli({u"cache"_s, u"stats"_s, u"--json"_s, u"--cache"_s, url}, developer(u"ops"_s));
    const Json s = parseJson(stats.out.toUtf8());
    QVERIFY2(s.value("scopes", Json()) == (Json{{"org:acme", 1}, {"org:globex", 1}}), qPrintable(stats.out));
    QCOMPARE(first->terminate(), 0);
    QCOMPARE(second->terminate(), 0);
}

void TstTeamCache::simultaneousMissesMakeOneLiveCall()
{
    const QString url = freshDatabase();
    const int before = m_llm.requestCount();
    test::StubReply held = test::StubReply::text({u"Only"_s, u" once."_s}, 4, 2);
    held.holdAfter = 1; // the first caller's answer waits mid-way until release()
    m_llm.setReply(held);
    const QStringList arguments{u"invoke"_s, u"chat"_s, u"-m"_s, u"Same moment"_s, u"--mode"_s, u"replay"_s,
                                u"--format"_s, u"events"_s, u"--cache"_s, url};
    QProcess first, second;
    first.setProcessEnvironment(developer(u"first"_s));
    second.setProcessEnvironment(developer(u"second"_s));
    first.start(test::cliProgram(), arguments);
    QSignalSpy heldSpy(&m_llm, &test::OpenAiStubServer::held);
    QVERIFY2(heldSpy.wait(60000), "the first process never reached the LLM");
    second.start(test::cliProgram(), arguments);
    QVERIFY(second.waitForStarted());
    // The second one missed too and now waits on the key's lock; give it time to reach it.
    QTest::qWait(1500);
    QCOMPARE(m_llm.requestCount(), before + 1);
    m_llm.release();
    QVERIFY(QTest::qWaitFor([&] { return first.state() == QProcess::NotRunning && second.state() == QProcess::NotRunning; },
                            90000));
    QCOMPARE(first.exitCode(), 0);
    QCOMPARE(second.exitCode(), 0);
    const auto report = [](QProcess &p) {
        QList<Json> events;
        for (const Json &event : parseJson(p.readAllStandardOutput()).value("events", Json::array()))
            events.append(event);
        return llmStep(events).source;
    };
    QCOMPARE(report(first), u"replay_stored"_s);
    QCOMPARE(report(second), u"replay_hit"_s);
    QCOMPARE(m_llm.requestCount(), before + 1);
    const test::CliRun stats = cli({u"cache"_s, u"stats"_s, u"--json"_s, u"--cache"_s, url}, developer(u"ops"_s));
    QCOMPARE(parseJson(stats.out.toUtf8()).value("entries", -1), 1);
}

void TstTeamCache::waiterGoesLiveAfterTheTimeoutAndSaysSo()
{
    const QString database = freshDatabase();
    const QString url = database + u"?fill_timeout=0.5"_s;
    const int before = m_llm.requestCount();
    test::StubReply held = test::StubReply::text({u"Slow"_s, u" answer."_s});
    held.holdAfter = 1;
    m_llm.setReply(held);
    const QStringList arguments{u"invoke"_s, u"chat"_s, u"-m"_s, u"Too slow"_s, u"--mode"_s, u"replay"_s,
                                u"--format"_s, u"events"_s, u"--cache"_s, url};
    QProcess first, second;
    first.setProcessEnvironment(developer(u"first"_s));
    second.setProcessEnvironment(developer(u"second"_s));
    first.start(test::cliProgram(), arguments);
    QVERIFY2(QTest::qWaitFor([&] { return m_llm.requestCount() == before + 1; }, 60000), "no first call");
    second.start(test::cliProgram(), arguments);
    // The second waits half a second for the first's answer, then calls the LLM itself.
    QVERIFY2(QTest::qWaitFor([&] { return m_llm.requestCount() == before + 2; }, 60000),
             "the waiter never went live");
    m_llm.release();
    QVERIFY(QTest::qWaitFor([&] { return first.state() == QProcess::NotRunning && second.state() == QProcess::NotRunning; },
                            90000));
    QCOMPARE(first.exitCode(), 0);
    QCOMPARE(second.exitCode(), 0);
    const QString said = QString::fromUtf8(second.readAllStandardError());
    QVERIFY2(said.contains(u"for another process recording the same answer"_s) && said.contains(u"running live"_s),
             qPrintable(said));
    noPasswordIn(said);
    // ...and as a run event: a status event "replay_cache" on the llm.message step's path,
    // before that step finishes (what the studio's transcript and a stream's client see).
    // The first process, which held the lock, says nothing of the kind.
    const auto statusEvents = [](const QByteArray &out, QString *stepPath) {
        QList<Json> found;
        for (const Json &event : parseJson(out).value("events", Json::array())) {
            if (stringField(event, "type") == u"status"_s
                && stringField(wire::payloadOf(event), "status") == u"replay_cache"_s)
                found.append(event);
            if (stringField(event, "type") == u"step_finished"_s
                && stringField(wire::payloadOf(event), "action_type") == u"llm.message"_s) {
                *stepPath = stringField(wire::metadataOf(event), "path");
                break; // a notice after the step finished would be too late
            }
        }
        return found;
    };
    QString waiterStep, firstStep;
    const QList<Json> notices = statusEvents(second.readAllStandardOutput(), &waiterStep);
    QVERIFY2(notices.size() == 1, "the waiter's run has no replay_cache status event before its step finished");
    const QString notice = stringField(wire::payloadOf(notices.first()), "message");
    QVERIFY2(notice.contains(u"for another process recording the same answer"_s) && notice.contains(u"running live"_s),
             qPrintable(notice));
    noPasswordIn(notice);
    QVERIFY(!waiterStep.isEmpty());
    QCOMPARE(stringField(wire::metadataOf(notices.first()), "path"), waiterStep);
    QVERIFY(statusEvents(first.readAllStandardOutput(), &firstStep).isEmpty());
    // Both answers were stored under the one key: one entry.
    const test::CliRun stats = cli({u"cache"_s, u"stats"_s, u"--json"_s, u"--cache"_s, url}, developer(u"ops"_s));
    QCOMPARE(parseJson(stats.out.toUtf8()).value("entries", -1), 1);
}

void TstTeamCache::exportImportMovesEntriesBetweenStores()
{
    const QString url = freshDatabase();
    const int before = m_llm.requestCount();
    // A developer records locally (the default SQLite file in their home)...
    const auto dev = developer(u"dev"_s);
    QCOMPARE(cliReplay(u"Seed me"_s, dev).source, u"replay_stored"_s);
    QCOMPARE(cliReplay(u"And me"_s, dev).source, u"replay_stored"_s);
    QCOMPARE(m_llm.requestCount(), before + 2);
    const QString file = m_home.filePath(u"seed.jsonl"_s);
    test::CliRun r = cli({u"cache"_s, u"export"_s, file, u"--scope"_s, u"local"_s}, dev);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(u"Exported 2 entries of scope local"_s), qPrintable(r.err));
    QFile exported(file);
    QVERIFY(exported.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = exported.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(stringField(parseJson(lines.first()), "scope"), u"local"_s);

    // ...and seeds the team's cache with it, under acme's scope: the server replays it.
    r = cli({u"cache"_s, u"import"_s, file, u"--scope"_s, u"org:acme"_s, u"--cache"_s, url}, dev);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(u"Imported 2 entries"_s), qPrintable(r.err));
    auto acme = server(u"acme"_s, url);
    QVERIFY(acme);
    QCOMPARE(serverReplay(*acme, kTokenAcme, u"Seed me"_s).source, u"replay_hit"_s);
    QCOMPARE(serverReplay(*acme, kTokenGlobex, u"Seed me"_s).source, u"replay_stored"_s);
    QCOMPARE(m_llm.requestCount(), before + 3);

    // And back: acme's entries only, into another developer's local cache.
    const QString back = m_home.filePath(u"acme.jsonl"_s);
    r = cli({u"cache"_s, u"export"_s, back, u"--scope"_s, u"org:acme"_s, u"--cache"_s, url}, dev);
    QVERIFY2(r.exitCode == 0 && r.err.contains(u"Exported 2 entries"_s), qPrintable(r.err));
    const auto newcomer = developer(u"newcomer"_s);
    r = cli({u"cache"_s, u"import"_s, back, u"--scope"_s, u"local"_s}, newcomer);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(cliReplay(u"And me"_s, newcomer).source, u"replay_hit"_s);
    QCOMPARE(m_llm.requestCount(), before + 3);

    // A broken line is named and nothing is imported.
    QFile bad(m_home.filePath(u"bad.jsonl"_s));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(lines.first() + "\n{\"key\": 3}\n");
    bad.close();
    r = cli({u"cache"_s, u"import"_s, bad.fileName(), u"--cache"_s, url}, dev);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"bad.jsonl:2:"_s) && r.err.contains(u"nothing was imported"_s), qPrintable(r.err));
    // cache clear --scope empties one organisation only.
    r = cli({u"cache"_s, u"clear"_s, u"--scope"_s, u"org:acme"_s, u"--cache"_s, url}, dev);
    QVERIFY2(r.exitCode == 0 && r.out.contains(u"Removed 2 entries of scope org:acme"_s), qPrintable(r.out + r.err));
    const test::CliRun stats = cli({u"cache"_s, u"stats"_s, u"--json"_s, u"--cache"_s, url}, dev);
    QVERIFY2(parseJson(stats.out.toUtf8()).value("scopes", Json()) == (Json{{"org:globex", 1}}), qPrintable(stats.out));
}

void TstTeamCache::databaseStoppedAndStartedMidTest()
{
    const QString url = freshDatabase();
    auto running = server(u"running"_s, url, {u"--cache-check"_s, u"0.2"_s});
    QVERIFY(running);
    QCOMPARE(serverReplay(*running, kTokenAcme, u"Before the outage"_s).source, u"replay_stored"_s);
    QVERIFY(QTest::qWaitFor([&] { return stringField(health(*running), "state") == u"ok"_s; }, 30000));
    const Json ok = health(*running);
    QCOMPARE(stringField(ok, "store"), u"postgresql"_s);
    QVERIFY(stringField(ok, "location").contains(u":***@"_s));
    const int before = m_llm.requestCount();

    QString error;
    QVERIFY2(m_pg.stopServer(&error), qPrintable(error));
    const QString where = u"PostgreSQL server 127.0.0.1:%1"_s.arg(m_pg.port());
    // The replay step fails, naming the server and the cause; nothing runs live.
    const StepReport down = serverReplay(*running, kTokenAcme, u"During the outage"_s);
    const StepReport downHit = serverReplay(*running, kTokenAcme, u"Before the outage"_s);
    test::CliRun cliRun;
    const StepReport cliDown = cliReplay(u"During the outage"_s, developer(u"dev"_s), {u"--cache"_s, url}, &cliRun);
    const int during = m_llm.requestCount();
    // /healthz tells, from its background check, without waiting on the database.
    Json downHealth;
    const bool reported = QTest::qWaitFor([&] {
        downHealth = health(*running);
        return stringField(downHealth, "state") == u"unreachable"_s;
    }, 30000);
    QVERIFY2(m_pg.startServer(&error), qPrintable(error));
    QVERIFY2(reported, dumpJson(downHealth).constData());
    QVERIFY2(stringField(downHealth, "error").contains(where), dumpJson(downHealth).constData());
    noPasswordIn(QString::fromUtf8(dumpJson(downHealth)));

    QCOMPARE(down.status, u"error"_s);
    QVERIFY2(down.error.contains(where) && down.error.contains(u"refused"_s), qPrintable(down.error));
    QCOMPARE(downHit.status, u"error"_s);
    QVERIFY2(cliRun.exitCode != 0 && cliDown.error.contains(where), qPrintable(cliDown.error + cliRun.err));
    QCOMPARE(during, before);
    noPasswordIn(down.error);

    // Back: the same server process replays and records again, without a restart.
    const StepReport after = serverReplay(*running, kTokenAcme, u"Before the outage"_s);
    QVERIFY2(after.source == u"replay_hit"_s, qPrintable(after.source + u' ' + after.error));
    QCOMPARE(serverReplay(*running, kTokenAcme, u"After the outage"_s).source, u"replay_stored"_s);
    QCOMPARE(m_llm.requestCount(), before + 1);
    QVERIFY(QTest::qWaitFor([&] { return stringField(health(*running), "state") == u"ok"_s; }, 30000));
    QCOMPARE(running->terminate(), 0);
}

QTEST_GUILESS_MAIN(TstTeamCache)
#include "tst_teamcache.moc"
