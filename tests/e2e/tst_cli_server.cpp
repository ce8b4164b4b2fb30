// End to end with two real processes: invoke-cli --endpoint against invoke-server on a
// free loopback port. The same bot, request and mock set give the same text on the
// server as on the embedded engine; bots are listed from the server; a wrong token is
// refused with the message that says what to do; a mock set saved from the server's run
// equals the one saved from the embedded run.
#include "tests/support/cliprocess.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QString kToken = u"tok-cli-on-server-0123456789"_s;

// The run's text without its invocation id, which differs between any two runs.
QString withoutInvocationId(const QString &text)
{
    static const QRegularExpression id(u"Invocation ID: [0-9a-f-]+"_s);
    return QString(text).replace(id, u"Invocation ID: <id>"_s);
}

} // namespace

class TestCliServer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    std::unique_ptr<test::ServerProcess> m_server;

    QString mocks() const { return test::sourceDir() + u"/resources/mocks/research-assistant.mocks.json"_s; }

    test::CliRun cli(const QStringList &arguments, const QString &token = kToken) const
    {
        const QProcessEnvironment env = test::withVariables(
            test::ServerProcess::scratchEnvironment(m_home.filePath(u"cli"_s)), {{u"INVOKE_AUTH_TOKEN"_s, token}});
        return test::runProcess(test::cliProgram(), arguments, env);
    }

    QStringList onServer() const { return {u"--endpoint"_s, u"http://127.0.0.1:%1"_s.arg(m_server->port())}; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFileInfo::exists(test::cliProgram()));
        const QString tokens = test::writeFile(m_home.filePath(u"tokens.txt"_s), kToken.toUtf8() + " acme\n");
        QVERIFY(QFile::setPermissions(tokens, QFile::ReadOwner | QFile::WriteOwner));
        m_server = std::make_unique<test::ServerProcess>(
            QStringList{u"--tokens"_s, tokens, u"--cache"_s, m_home.filePath(u"server.sqlite"_s)},
            test::ServerProcess::scratchEnvironment(m_home.filePath(u"server"_s)));
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        if (m_server)
            QCOMPARE(m_server->terminate(), 0);
    }

    void sameRunAsEmbedded()
    {
        const QStringList invoke{u"invoke"_s, u"research-assistant"_s, u"-m"_s, u"How do green and black tea differ?"_s,
                                 u"--mode"_s, u"manual"_s, u"--mocks"_s, mocks(), u"-v"_s};
        const test::CliRun embedded = cli(invoke);
        QVERIFY2(embedded.exitCode == 0, qPrintable(embedded.err));
        const test::CliRun remote = cli(invoke + onServer());
        QVERIFY2(remote.exitCode == 0, qPrintable(remote.err));
        QVERIFY2(remote.out.contains(u"summarise/answer (llm.message)"_s), qPrintable(remote.out));
        QCOMPARE(withoutInvocationId(remote.out), withoutInvocationId(embedded.out));
        QVERIFY(m_server->log().contains(u"POST /bots/research-assistant/invoke 200 org=acme"_s));
        QVERIFY(!m_server->log().contains(kToken));
    }

    void listsTheServersBots()
    {
        const test::CliRun embedded = cli({u"bots"_s, u"--json"_s});
        const test::CliRun remote = cli(QStringList{u"bots"_s, u"--json"_s} + onServer());
        QVERIFY2(remote.exitCode == 0, qPrintable(remote.err));
        QVERIFY2(remote.out.contains(u"\"research-assistant\""_s), qPrintable(remote.out));
        // The server never sends its file paths, so compare the keys only.
        static const QRegularExpression key(u"\"key\": \"([^\"]+)\""_s);
        QStringList embeddedKeys, remoteKeys;
        for (const auto &m : key.globalMatch(embedded.out))
            embeddedKeys << m.captured(1);
        for (const auto &m : key.globalMatch(remote.out))
            remoteKeys << m.captured(1);
        QVERIFY(!remoteKeys.isEmpty());
        QCOMPARE(remoteKeys, embeddedKeys);
    }

    void wrongTokenIsRefused()
    {
        const test::CliRun r = cli(QStringList{u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s} + onServer(),
                                   u"tok-not-the-right-one-000000"_s);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"INVOKE_AUTH_TOKEN"_s), qPrintable(r.err));
        QVERIFY(!r.err.contains(u"tok-not-the-right-one"_s));
    }

    void mockSetSavedFromTheServerRun()
    {
        const QString local = m_home.filePath(u"local.mocks.json"_s);
        const QString remote = m_home.filePath(u"remote.mocks.json"_s);
        const QStringList invoke{u"invoke"_s, u"research-assistant"_s, u"-m"_s, u"tea"_s,
                                 u"--mode"_s, u"manual"_s, u"--mocks"_s, mocks()};
        QCOMPARE(cli(invoke + QStringList{u"--save-mocks"_s, local}).exitCode, 0);
        const test::CliRun r = cli(invoke + QStringList{u"--save-mocks"_s, remote} + onServer());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile a(local), b(remote);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QByteArray saved = b.readAll();
        QVERIFY(saved.contains("summarise/answer"));
        QCOMPARE(saved, a.readAll());
    }
};

QTEST_GUILESS_MAIN(TestCliServer)
#include "tst_cli_server.moc"
