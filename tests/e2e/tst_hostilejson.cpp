// Hostile JSON against the real processes: JSON nested 100,000 deep and numbers too big
// for a double, sent to invoke-server, given to invoke-cli as files and flags, and served
// to invoke-cli by a server it talks to; bot and dataset files that are links leading out
// of their folder. Each is refused with its place, and the process goes on (or exits
// with its usual status) instead of crashing.
#include "tests/support/cliprocess.h"
#include "tests/support/plaininvokeserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QByteArray kToken = "hostile-json-token-0123456789";
const QString kCliToken = u"hostile-json-cli-token-0123456789"_s;
// Lives outside every served folder; a link to it must never leak it.
const QByteArray kSecretLine = "SECRET-LINE-do-not-serve\n";

QByteArray deepArrays(int depth)
{
    return QByteArray(depth, '[') + QByteArray(depth, ']');
}

QByteArray deepMockBody(int depth)
{
    return R"({"mode": "manual", "messages": [{"role": "user", "content": "hi"}],)"
           R"( "manual_mocks": {"llm.message": {"status": "success", "output": )"
        + deepArrays(depth) + "}}}";
}

const QByteArray kHugeNumberBody = R"({"parameters": {"x": 1e999999}})";

struct Reply
{
    int status = 0;
    QByteArray body;
    QString error() const { return stringField(parseJson(body), "error"); }
};

// A crash shows as exit code -1 (runProcess) or 134/139 from a shell.
bool crashed(const test::CliRun &r)
{
    return r.exitCode < 0 || r.exitCode > 2;
}

} // namespace

class HostileJsonTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QString m_tokens;
    QNetworkAccessManager m_nam;

    Reply send(const QByteArray &method, const QUrl &url, const QByteArray &body = {})
    {
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + kToken);
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(30000);
        Reply r{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
        reply->deleteLater();
        return r;
    }

    std::unique_ptr<test::ServerProcess> startServer(const QStringList &extra = {})
    {
        return test::ServerProcess::launch(
            QStringList{u"--tokens"_s, m_tokens, u"--cache"_s, m_home.filePath(u"cache.sqlite"_s)} + extra,
            test::ServerProcess::scratchEnvironment(m_home.path()));
    }

    // The server still serves: healthz, and a whole manual run of a bundled bot.
    void checkStillServing(test::ServerProcess &server)
    {
        QCOMPARE(server.process().state(), QProcess::Running);
        QCOMPARE(send("GET", server.url(u"/healthz"_s)).status, 200);
        const Reply run = send("POST", server.url(u"/bots/ticket-triage/invoke"_s),
                               R"({"mode": "manual", "messages": [{"role": "user", "content": "I was charged twice"}]})");
        QCOMPARE(run.status, 200);
        QVERIFY2(run.body.contains("invocation_finished"), run.body.right(300).constData());
    }

    QProcessEnvironment cliEnvironment() const
    {
        QProcessEnvironment env = test::ServerProcess::scratchEnvironment(m_home.filePath(u"cli"_s));
        env.insert(u"INVOKE_AUTH_TOKEN"_s, kCliToken);
        return env;
    }

    test::CliRun cli(const QStringList &args)
    {
        return test::runProcess(test::cliProgram(), args, cliEnvironment(), QString(), QByteArray(), 60000);
    }

    // A folder holding `name` as a link to a secret file outside it, and a good file beside.
    QString folderWithOutwardLink(const QString &folderName, const QString &name)
    {
        const QString folder = m_home.filePath(folderName);
        QDir().mkpath(folder);
        const QString secret = test::writeFile(m_home.filePath(u"secret-%1.txt"_s.arg(folderName)), kSecretLine);
        QFile::remove(folder + u'/' + name);
        if (!QFile::link(secret, folder + u'/' + name))
            qWarning("cannot make the link %s", qPrintable(folder + u'/' + name));
        return folder;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        m_tokens = test::writeFile(m_home.filePath(u"tokens.txt"_s), kToken + " acme\n");
        QFile::setPermissions(m_tokens, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    void serverRefusesDeepJsonAndKeepsServing()
    {
        auto server = startServer();
        QVERIFY(server);
        const Reply r = send("POST", server->url(u"/bots/chat/invoke"_s), deepMockBody(100000));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error().contains(u"line 1, column"_s), r.body.constData());
        QVERIFY2(r.error().contains(u"nested more than %1 levels deep"_s.arg(kJsonMaxDepth)), r.body.constData());
        checkStillServing(*server);

        // At the limit the same mock set is accepted and runs (its output comes back).
        const int allowed = kJsonMaxDepth - 4; // inside {manual_mocks: {llm.message: {output: ...}}}
        const Reply ok = send("POST", server->url(u"/bots/chat/invoke"_s), deepMockBody(allowed));
        QCOMPARE(ok.status, 200);
        QVERIFY2(ok.body.contains("invocation_finished"), ok.body.right(300).constData());
        QCOMPARE(server->terminate(), 0);
    }

    void serverRefusesHugeNumbersAndKeepsServing()
    {
        auto server = startServer();
        QVERIFY(server);
        const Reply r = send("POST", server->url(u"/bots/chat/invoke"_s), kHugeNumberBody);
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error().contains(u"line 1, column 22: number overflow parsing '1e999999'"_s), r.body.constData());
        checkStillServing(*server);
        QCOMPARE(server->terminate(), 0);
    }

    void serverLoadsAFolderWithABadBotFile()
    {
        // A bot file with a number too big: the server starts, lists the others, and the
        // bot's 404 names the file and place.
        const QString folder = m_home.filePath(u"bots-huge"_s);
        test::writeFile(folder + u"/huge.bot.json"_s,
                        "{\n  \"bot\": {\"key\": \"huge\", \"name\": \"Huge\"},\n  \"x\": 1e999999,\n  \"steps\": []\n}\n");
        auto server = startServer({u"--bots-dir"_s, folder});
        QVERIFY(server);
        const Reply bots = send("GET", server->url(u"/bots"_s));
        QCOMPARE(bots.status, 200);
        QVERIFY(bots.body.contains("ticket-triage"));
        const Reply r = send("POST", server->url(u"/bots/huge/invoke"_s), "{}");
        QCOMPARE(r.status, 404);
        QVERIFY2(r.error().contains(u"huge.bot.json:3"_s) && r.error().contains(u"number overflow"_s), r.body.constData());
        checkStillServing(*server);
        QCOMPARE(server->terminate(), 0);
    }

    void serverNeverQuotesAFileALinkLeadsTo()
    {
        const QString folder = folderWithOutwardLink(u"bots-link"_s, u"leak.bot.json"_s);
        auto server = startServer({u"--bots-dir"_s, folder});
        QVERIFY(server);
        const Reply r = send("POST", server->url(u"/bots/leak/invoke"_s), "{}");
        QCOMPARE(r.status, 404);
        const Reply bots = send("GET", server->url(u"/bots"_s));
        QCOMPARE(bots.status, 200);
        for (const Reply &reply : {r, bots})
            QVERIFY2(!reply.body.contains("SECRET-LINE"), reply.body.constData());
        QVERIFY(!server->log().contains(u"SECRET-LINE"_s));
        QCOMPARE(server->terminate(), 0);
    }

    void cliRefusesDeepAndHugeFiles()
    {
        const QString deep = test::writeFile(m_home.filePath(u"deep.mocks.json"_s),
                                             "{\"llm.message\": {\"status\": \"success\", \"output\": " + deepArrays(100000) + "}}");
        test::CliRun r = cli({u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--mocks"_s, deep});
        QVERIFY2(!crashed(r), qPrintable(u"exit %1: %2"_s.arg(r.exitCode).arg(r.err)));
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(u"nested more than %1 levels deep"_s.arg(kJsonMaxDepth)), qPrintable(r.err));

        const QString huge = test::writeFile(m_home.filePath(u"huge.mocks.json"_s),
                                             "{\n  \"llm.message\": {\"status\": \"success\", \"output\": {\"n\": 1e999999}}\n}\n");
        for (const QStringList &args : {QStringList{u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--mocks"_s, huge},
                                        QStringList{u"mocks"_s, u"validate"_s, huge},
                                        QStringList{u"mocks"_s, u"validate"_s, deep}}) {
            r = cli(args);
            QVERIFY2(!crashed(r), qPrintable(args.join(u' ') + u": exit %1: "_s.arg(r.exitCode) + r.err));
            QVERIFY(r.exitCode != 0);
            const QString said = r.err + r.out;
            QVERIFY2(said.contains(u"line 2, column"_s) || said.contains(u"nested"_s), qPrintable(said));
        }

        r = cli({u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--mode"_s, u"manual"_s, u"-p"_s, u"{\"x\": 1e999999}"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"number overflow parsing '1e999999'"_s), qPrintable(r.err));
    }

    void cliLoadsFoldersWithBadAndLinkedFiles()
    {
        const QString bots = m_home.filePath(u"cli-bots"_s);
        test::writeFile(bots + u"/huge.bot.json"_s, "{\"bot\": {\"key\": \"huge\"}, \"x\": -1e999999}");
        test::CliRun r = cli({u"bots"_s, u"--bots-dir"_s, bots});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(u"ticket-triage"_s));
        QVERIFY2(r.err.contains(u"huge.bot.json:1"_s) && r.err.contains(u"number overflow"_s), qPrintable(r.err));

        // Datasets: a JSON Lines file with a huge number is reported with its line; a link
        // leading out of the folder is refused, not indexed, never quoted.
        const QString data = folderWithOutwardLink(u"cli-data"_s, u"leak.csv"_s);
        test::writeFile(data + u"/notes.jsonl"_s, "{\"text\": \"fine\"}\n{\"text\": \"bad\", \"n\": 1e999999}\n");
        r = cli({u"datasets"_s, u"--datasets-dir"_s, data});
        QVERIFY2(!crashed(r), qPrintable(r.err));
        const QString all = QString(r.out + r.err);
        QVERIFY2(!all.contains(u"SECRET-LINE"_s), qPrintable(all));
        QVERIFY2(all.contains(u"leak.csv"_s) && all.contains(u"leads outside"_s), qPrintable(all));
        QVERIFY2(all.contains(u"notes.jsonl:2"_s) && all.contains(u"number overflow"_s), qPrintable(all));
        r = cli({u"invoke"_s, u"data-qa"_s, u"-m"_s, u"SECRET"_s, u"--mode"_s, u"live"_s, u"--datasets-dir"_s, data,
                 u"-p"_s, u"{\"dataset_slug\": \"leak\"}"_s});
        const QString answer = r.out + r.err;
        QVERIFY2(!answer.contains(u"SECRET-LINE"_s), qPrintable(answer));
    }

    void cliSurvivesAHostileServer()
    {
        test::PlainInvokeServer server;
        QVERIFY(server.listen());
        server.setToken(kCliToken);
        BotInfo bot;
        bot.key = u"hostile"_s;
        bot.name = u"Hostile"_s;
        test::PlainScript script = test::PlainScript::stream(test::PlainInvokeServer::plainRun(u"Hostile"_s, {u"still here"_s}));
        // Before the real run: an event with a number too big, one nested 100,000 deep.
        script.preamble = "data: {\"payload\": {\"n\": 1e999999}, \"metadata\": {}}\n\n"
                          "data: {\"payload\": " + deepArrays(100000) + ", \"metadata\": {}}\n\n";
        server.addBot(bot, script);

        test::CliRun r = cli({u"invoke"_s, u"hostile"_s, u"-m"_s, u"hi"_s, u"--endpoint"_s, server.endpoint()});
        QVERIFY2(!crashed(r), qPrintable(u"exit %1: %2"_s.arg(r.exitCode).arg(r.err)));
        const QString said = r.out + r.err;
        QVERIFY2(said.contains(u"still here"_s) || said.contains(u"number overflow"_s), qPrintable(said));

        const QByteArray deepListing = "{\"bots\": " + deepArrays(100000) + "}";
        for (const QByteArray &listing : {QByteArray(R"({"bots": [{"key": "a", "n": 1e999999}]})"), deepListing}) {
            server.setRawBotsBody(listing);
            r = cli({u"bots"_s, u"--endpoint"_s, server.endpoint()});
            QVERIFY2(!crashed(r), qPrintable(u"exit %1: %2"_s.arg(r.exitCode).arg(r.err)));
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(u"number overflow"_s) || r.err.contains(u"nested more than"_s), qPrintable(r.err));
        }
    }
};

QTEST_GUILESS_MAIN(HostileJsonTest)
#include "tst_hostilejson.moc"
