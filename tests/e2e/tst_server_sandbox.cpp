// Issue 10, against the real build/bin/invoke-server: a bot's code step reads every
// /proc/*/environ and /proc/*/cmdline it can open inside the sandbox, and the streamed
// answer holds no secret of the server's environment and no host path; the server keeps
// no secret in its own environment after start. Its sandbox flags work: the work folder's
// size cap, and code without bubblewrap refused unless --allow-unsandboxed-code.
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/model/json/json.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <cctype>
#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QByteArray Token = "test-token-sandbox-0123456789";

} // namespace

class TstServerSandbox : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QString m_tokens;

    QProcessEnvironment environment() const { return test::ServerProcess::scratchEnvironment(m_home.path()); }

    std::unique_ptr<test::ServerProcess> startServer(const QStringList &extra, const QProcessEnvironment &env)
    {
        return test::ServerProcess::launch(QStringList{u"--tokens"_s, m_tokens, u"--cache"_s,
                                                       test::ServerProcess::cacheFileForTest(m_home.path()),
                                                       u"--bots-dir"_s, botsFolder()} + extra,
                                           env);
    }

    static QString botsFolder() { return test::sourcePath(u"tests/data/sandbox-bots"_s); }

    // The whole event stream of one live run of `bot`.
    static QByteArray invoke(test::ServerProcess &server, const QString &bot, const QString &message = u"go"_s)
    {
        QNetworkAccessManager nam;
        QNetworkRequest request(server.url(u"/bots/%1/invoke"_s.arg(bot)));
        request.setRawHeader("Authorization", "Bearer " + Token);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        const Json body{{"messages", Json::array({{{"role", "user"}, {"content", toStd(message)}}})}, {"mode", "live"}};
        std::unique_ptr<QNetworkReply> reply(nam.post(request, dumpJson(body)));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!reply->isFinished() && !finished.wait(120000))
            return "(no answer)";
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
            return "(status " + reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toByteArray() + ")";
        return reply->readAll();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_home.isValid());
        QVERIFY2(QFileInfo(test::binDir() + u"/invoke-server"_s).isExecutable(),
                 "build invoke-server first (it is a dependency of tst_server_sandbox)");
        m_tokens = m_home.filePath(u"tokens.txt"_s);
        QFile file(m_tokens);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(Token + " acme\n");
    }

    void codeStepSeesNoSecretAndNoHostPath()
    {
        const QByteArray canary = "canary-" + QUuid::createUuid().toString(QUuid::Id128).toLatin1();
        QProcessEnvironment env = environment();
        env.insert(u"INVOKE_LLM_API_KEY"_s, QString::fromLatin1(canary + "-llm"));
        env.insert(u"INVOKE_AUTH_TOKEN"_s, QString::fromLatin1(canary + "-auth"));
        env.insert(u"INVOKE_TEST_MADE_UP_SECRET"_s, QString::fromLatin1(canary + "-made-up"));
        const auto server = startServer({}, env);
        QVERIFY(server);

        // The server itself: its environment no longer holds the secrets it was given.
        QFile environ(u"/proc/%1/environ"_s.arg(server->process().processId()));
        QVERIFY(environ.open(QIODevice::ReadOnly));
        const QByteArray serverEnvironment = environ.readAll();
        QVERIFY(serverEnvironment.contains("XDG_DATA_HOME=")); // it was read
        for (const char *secret : {"-llm", "-auth"}) // the made-up one is no secret it knows of
            QVERIFY2(!serverEnvironment.contains(QByteArray(canary + secret)), "the server keeps a secret in its environment");

        const QByteArray stream = invoke(*server, u"proc-snoop"_s);
        // The step ran in bubblewrap and read what the test means: bwrap as pid 1 (its
        // command line), the program's own environment.
        QVERIFY2(stream.contains("invocation_finished"), stream.right(2000).constData());
        QVERIFY2(stream.contains("== /proc/1/cmdline") && stream.contains("--args"), stream.left(4000).constData());
        QVERIFY2(stream.contains("HOME=/workspace"), stream.left(4000).constData());
        QVERIFY2(!stream.contains(canary), "a secret of the server's environment reached the code step");
        const QStringList hostPaths{m_home.path(), QDir::homePath(), test::binDir(), test::sourceDir(), botsFolder(),
                                    QDir::tempPath() + u"/invoke-"_s};
        for (const QString &path : hostPaths)
            QVERIFY2(!stream.contains(QFile::encodeName(path)), qPrintable(path + u" is visible inside the sandbox"_s));
        QCOMPARE(server->terminate(), 0);
    }

    void workSizeFlagCapsTheWorkFolder()
    {
        const auto server = startServer({u"--sandbox-work-size"_s, u"1M"_s}, environment());
        QVERIFY(server);
        const QByteArray stream = invoke(*server, u"fill-work"_s);
        QVERIFY2(stream.contains("stopped: No space left on device after "), stream.right(3000).constData());
        QVERIFY2(stream.contains("(bubblewrap)"), stream.right(3000).constData());
        qsizetype at = stream.indexOf("after ") + 6;
        qint64 written = 0;
        while (at < stream.size() && std::isdigit(uchar(stream[at])))
            written = written * 10 + (stream[at++] - '0');
        QVERIFY2(written > 0 && written <= 1024 * 1024, stream.mid(at, 40).constData());
        QCOMPARE(server->terminate(), 0);
    }

    void withoutBubblewrapCodeIsRefusedUnlessAllowed()
    {
        // No bwrap on PATH (python3 is found at /usr/bin/python3 without it).
        QProcessEnvironment env = environment();
        env.insert(u"PATH"_s, m_home.filePath(u"no-such-bin"_s));
        {
            const auto server = startServer({}, env);
            QVERIFY(server);
            const QByteArray stream = invoke(*server, u"code-calculator"_s, u"3 5 8"_s);
            QVERIFY2(stream.contains("refused to run the code: bubblewrap cannot sandbox it here"), stream.right(3000).constData());
            QVERIFY2(stream.contains("--allow-unsandboxed-code"), stream.right(3000).constData());
            QVERIFY(!stream.contains("Of your 3 numbers"));
            QCOMPARE(server->terminate(), 0);
        }
        const auto server = startServer({u"--allow-unsandboxed-code"_s}, env);
        QVERIFY(server);
        const QByteArray stream = invoke(*server, u"code-calculator"_s, u"3 5 8"_s);
        QVERIFY2(stream.contains("Of your 3 numbers: sum 16"), stream.right(3000).constData());
        QVERIFY2(stream.contains("in the rlimit sandbox"), stream.right(3000).constData());
        QCOMPARE(server->terminate(), 0);
    }

    void badSizeFlagIsRefusedAtStart()
    {
        test::ServerProcess server({u"--tokens"_s, m_tokens, u"--sandbox-tmp-size"_s, u"12X"_s}, environment());
        QString error;
        QVERIFY(!server.start(&error));
        QVERIFY2(error.contains(u"--sandbox-tmp-size: expected a size such as 64M"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TstServerSandbox)
#include "tst_server_sandbox.moc"
