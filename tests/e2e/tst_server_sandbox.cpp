// Issue 10, against the real build/bin/invoke-server: a bot's code step reads every
// /proc/*/environ and /proc/*/cmdline it can open inside the sandbox, and the streamed
// answer holds no secret of the server's environment and no host path; the server keeps
// no secret in its own environment after start.
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/model/json.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

class TstServerSandbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_home.isValid());
        QVERIFY2(QFileInfo(test::binDir() + u"/invoke-server"_s).isExecutable(),
                 "build invoke-server first (it is a dependency of tst_server_sandbox)");
    }

    void codeStepSeesNoSecretAndNoHostPath()
    {
        const QByteArray canary = "canary-" + QUuid::createUuid().toString(QUuid::Id128).toLatin1();
        const QString tokens = m_home.filePath(u"tokens.txt"_s);
        QFile file(tokens);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(Token + " acme\n");
        file.close();

        QProcessEnvironment env = test::ServerProcess::scratchEnvironment(m_home.path());
        env.insert(u"INVOKE_LLM_API_KEY"_s, QString::fromLatin1(canary + "-llm"));
        env.insert(u"INVOKE_AUTH_TOKEN"_s, QString::fromLatin1(canary + "-auth"));
        env.insert(u"INVOKE_TEST_MADE_UP_SECRET"_s, QString::fromLatin1(canary + "-made-up"));
        const QString bots = test::sourcePath(u"tests/data/sandbox-bots"_s);
        test::ServerProcess server({u"--tokens"_s, tokens, u"--cache"_s, m_home.filePath(u"cache.sqlite"_s),
                                    u"--bots-dir"_s, bots},
                                   env);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));

        // The server itself: its environment no longer holds the secrets it was given.
        QFile environ(u"/proc/%1/environ"_s.arg(server.process().processId()));
        QVERIFY(environ.open(QIODevice::ReadOnly));
        const QByteArray serverEnvironment = environ.readAll();
        QVERIFY(serverEnvironment.contains("XDG_DATA_HOME=")); // it was read
        for (const char *secret : {"-llm", "-auth"}) // the made-up one is no secret it knows of
            QVERIFY2(!serverEnvironment.contains(QByteArray(canary + secret)), "the server keeps a secret in its environment");

        QNetworkAccessManager nam;
        QNetworkRequest request(server.url(u"/bots/proc-snoop/invoke"_s));
        request.setRawHeader("Authorization", "Bearer " + Token);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        const Json body{{"messages", Json::array({{{"role", "user"}, {"content", "go"}}})}, {"mode", "live"}};
        QNetworkReply *reply = nam.post(request, dumpJson(body));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(reply->isFinished() || finished.wait(120000));
        const QByteArray stream = reply->readAll();
        reply->deleteLater();
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);

        // The step ran in bubblewrap and read what the test means: bwrap as pid 1 (its
        // command line), the program's own environment.
        QVERIFY2(stream.contains("invocation_finished"), stream.right(2000).constData());
        QVERIFY2(stream.contains("== /proc/1/cmdline") && stream.contains("--args"), stream.left(4000).constData());
        QVERIFY2(stream.contains("HOME=/workspace"), stream.left(4000).constData());
        QVERIFY2(!stream.contains(canary), "a secret of the server's environment reached the code step");
        const QStringList hostPaths{m_home.path(), QDir::homePath(), test::binDir(), test::sourceDir(), bots,
                                    QDir::tempPath() + u"/invoke-"_s};
        for (const QString &path : hostPaths)
            QVERIFY2(!stream.contains(QFile::encodeName(path)), qPrintable(path + u" is visible inside the sandbox"_s));
        QCOMPARE(server.terminate(), 0);
    }

private:
    static inline const QByteArray Token = "test-token-sandbox-0123456789";
    QTemporaryDir m_home;
};

QTEST_GUILESS_MAIN(TstServerSandbox)
#include "tst_server_sandbox.moc"
