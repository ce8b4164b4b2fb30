// End to end: the real invoke-cli on a server (--endpoint, the token from
// INVOKE_AUTH_TOKEN) served by the plain SDK-shaped test server on loopback; and the
// studio's "copy as code" invoke-cli command, run through sh, sends exactly the request
// it was made from.
#include "core/format/requestsnippets.h"
#include "core/wire/requestcodec.h"
#include "tests/support/cliprocess.h"
#include "tests/support/plaininvokeserver.h"
#include "tests/support/snippetfixtures.h"
#include "tests/support/testpaths.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QString kToken = u"tok-cli-remote-0123456789"_s;

using test::CliRun;

} // namespace

class TestCliRemote : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    test::PlainInvokeServer m_server;

    QProcessEnvironment environment(const QString &token) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *dir : {"XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"})
            env.insert(QString::fromLatin1(dir), m_home.filePath(QString::fromLatin1(dir)));
        env.remove(u"INVOKE_AUTH_TOKEN"_s);
        if (!token.isEmpty())
            env.insert(u"INVOKE_AUTH_TOKEN"_s, token);
        env.insert(u"PATH"_s, test::binDir() + u':' + env.value(u"PATH"_s));
        return env;
    }

    // Runs `program args` (or `sh -c script`) while this thread's event loop serves.
    CliRun run(const QString &program, const QStringList &args, const QString &token = kToken)
    {
        return test::runProcess(program, args, environment(token), QString(), QByteArray(), 60000);
    }

    QString cli() const { return test::cliProgram(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFileInfo::exists(cli()));
        QVERIFY(m_server.listen());
        m_server.setToken(kToken);
        BotInfo plain;
        plain.key = u"plain"_s;
        plain.name = u"Plain bot"_s;
        m_server.addBot(plain, test::PlainScript::stream(test::PlainInvokeServer::plainRun(u"Plain bot"_s, {u"Hello "_s, u"world"_s})));
        BotInfo research;
        research.key = u"research-assistant"_s;
        m_server.addBot(research, test::PlainScript::stream(test::PlainInvokeServer::plainRun(u"R"_s, {u"ok"_s})));
    }

    void invokesOnTheEndpoint()
    {
        const CliRun r = run(cli(), {u"invoke"_s, u"plain"_s, u"-m"_s, u"hi"_s, u"-v"_s, u"--endpoint"_s, m_server.endpoint()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"Hello world"_s), qPrintable(r.out));
        QVERIFY2(r.out.contains(u"lookup"_s) && r.out.contains(u"answer"_s), qPrintable(r.out)); // the steps, from a plain stream
        QCOMPARE(m_server.requests().last().header("authorization"), "Bearer " + kToken.toUtf8());
        QVERIFY(!r.out.contains(kToken) && !r.err.contains(kToken));
    }

    void listsTheServersBots()
    {
        const CliRun r = run(cli(), {u"bots"_s, u"--endpoint"_s, m_server.endpoint()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"Plain bot"_s) && r.out.contains(u"research-assistant"_s), qPrintable(r.out));
    }

    void failuresInWords()
    {
        CliRun r = run(cli(), {u"invoke"_s, u"plain"_s, u"-m"_s, u"hi"_s, u"--endpoint"_s, m_server.endpoint()}, QString());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"no token was sent; set INVOKE_AUTH_TOKEN."_s), qPrintable(r.err));

        r = run(cli(), {u"invoke"_s, u"nope"_s, u"-m"_s, u"hi"_s, u"--endpoint"_s, m_server.endpoint()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"The bot \"nope\" was not found at %1"_s.arg(m_server.endpoint())), qPrintable(r.err));

        r = run(cli(), {u"invoke"_s, u"plain"_s, u"--profile"_s, u"nowhere"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"no profile named \"nowhere\" (the profiles: Embedded;"_s), qPrintable(r.err));

        r = run(cli(), {u"invoke"_s, u"plain"_s, u"--profile"_s, u"x"_s, u"--endpoint"_s, m_server.endpoint()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--endpoint and --profile both name a server: give one"_s), qPrintable(r.err));
    }

    void copiedCommandSendsTheSameRequest()
    {
        const InvokeRequest request = test::trickyRequest();
        format::SnippetTarget target;
        target.endpoint = m_server.endpoint();
        const QString command = format::cliCommand(request, target);
        const CliRun r = run(u"sh"_s, {u"-c"_s, command});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // The invoke request (a copy: requests() returns a new list). invoke-cli also asks for
        // the bot's plan, for the run history, and that request may come after it.
        const QList<test::RecordedRequest> requests = m_server.requests();
        const auto invoke = std::find_if(requests.crbegin(), requests.crend(),
                                         [](const test::RecordedRequest &r) { return r.path.endsWith("/invoke"); });
        QVERIFY(invoke != requests.crend());
        const test::RecordedRequest sent = *invoke;
        QCOMPARE(sent.path, "/bots/research-assistant/invoke");
        QCOMPARE(sent.json(), wire::requestBody(request));
    }
};

QTEST_GUILESS_MAIN(TestCliRemote)
#include "tst_cliremote.moc"
