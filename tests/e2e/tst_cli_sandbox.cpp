// invoke-cli invoke's sandbox flags, run as a process: without bubblewrap a code step is
// refused and says why and how to allow it; --allow-unsandboxed-code runs it (rlimit);
// --sandbox-work-size caps the work folder; a bad size is a usage error.
#include "tests/support/cliprocess.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QScopeGuard>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

class TstCliSandbox : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;

    // The studio's settings of this machine are not read: XDG folders of the test's own.
    test::CliRun invoke(const QStringList &arguments, const QHash<QString, QString> &variables = {})
    {
        const QProcessEnvironment env = test::withVariables(test::ServerProcess::scratchEnvironment(m_home.path()), variables);
        return test::runProcess(test::cliProgram(), QStringList{u"invoke"_s} + arguments, env);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_home.isValid()); }

    void withoutBubblewrapCodeIsRefusedUnlessAllowed()
    {
        // No bwrap on PATH (python3 is found at /usr/bin/python3 without it).
        const QHash<QString, QString> noBwrap{{u"PATH"_s, m_home.filePath(u"no-such-bin"_s)}};
        const QStringList run{u"code-calculator"_s, u"-m"_s, u"3 5 8"_s};
        const test::CliRun refused = invoke(run, noBwrap);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(u"refused to run the code: bubblewrap cannot sandbox it here "
                                      "(bwrap (bubblewrap) is not installed)"_s), qPrintable(refused.err));
        QVERIFY2(refused.err.contains(u"--allow-unsandboxed-code"_s), qPrintable(refused.err));

        const test::CliRun allowed = invoke(run + QStringList{u"--allow-unsandboxed-code"_s}, noBwrap);
        QVERIFY2(allowed.exitCode == 0, qPrintable(allowed.err));
        QVERIFY2(allowed.out.contains(u"Of your 3 numbers: sum 16"_s) && allowed.out.contains(u"in the rlimit sandbox"_s),
                 qPrintable(allowed.out));

        const test::CliRun sandboxed = invoke(run);
        QVERIFY2(sandboxed.exitCode == 0, qPrintable(sandboxed.err));
        QVERIFY2(sandboxed.out.contains(u"in the bubblewrap sandbox"_s), qPrintable(sandboxed.out));
    }

    void workSizeCapsTheWorkFolder()
    {
        const QString bots = test::sourcePath(u"tests/data/sandbox-bots"_s);
        const test::CliRun run = invoke({u"fill-work"_s, u"-m"_s, u"go"_s, u"--bots-dir"_s, bots,
                                         u"--sandbox-work-size"_s, u"1M"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(u"stopped: No space left on device after "_s), qPrintable(run.out));
        const qint64 written = run.out.section(u"after "_s, 1).section(u'\n', 0, 0).toLongLong();
        QVERIFY2(written > 0 && written <= 1024 * 1024, qPrintable(run.out));

        // The default (64 MiB) holds the 16 MiB.
        const test::CliRun roomy = invoke({u"fill-work"_s, u"-m"_s, u"go"_s, u"--bots-dir"_s, bots});
        QVERIFY2(roomy.exitCode == 0 && roomy.out.contains(u"wrote all 16777216"_s), qPrintable(roomy.out + roomy.err));
    }

    void noSecretInTheCliEnvironment()
    {
        // While a code step runs, the CLI's environment (what /proc/PID/environ shows to
        // anything of its user) holds no secret: read once at start, kept in memory.
        const QString canary = u"canary-cli-"_s + QString::number(QCoreApplication::applicationPid());
        QProcess cli;
        cli.setProcessEnvironment(test::withVariables(test::ServerProcess::scratchEnvironment(m_home.path()),
                                                      {{u"INVOKE_LLM_API_KEY"_s, canary + u"-llm"_s},
                                                       {u"INVOKE_AUTH_TOKEN"_s, canary + u"-auth"_s}}));
        cli.start(test::cliProgram(), {u"invoke"_s, u"sleeper"_s, u"-m"_s, u"go"_s, u"--bots-dir"_s,
                                       test::sourcePath(u"tests/data/sandbox-bots"_s)});
        QVERIFY(cli.waitForStarted(60000));
        const auto stop = qScopeGuard([&cli] {
            cli.kill(); // bwrap dies with its parent (--die-with-parent)
            cli.waitForFinished(60000);
        });
        // The step runs once the CLI has a child (bwrap).
        const QString proc = u"/proc/%1"_s.arg(cli.processId());
        const auto hasChild = [&proc] {
            for (const QString &task : QDir(proc + u"/task"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
                QFile children(proc + u"/task/"_s + task + u"/children"_s);
                if (children.open(QIODevice::ReadOnly) && !children.readAll().trimmed().isEmpty())
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(hasChild(), 60000);
        QFile environ(proc + u"/environ"_s);
        QVERIFY(environ.open(QIODevice::ReadOnly));
        const QByteArray environment = environ.readAll();
        QVERIFY(environment.contains("XDG_CONFIG_HOME=")); // it was read
        QVERIFY2(!environment.contains(canary.toLatin1()), "invoke-cli keeps a secret in its environment");
    }

    void badSizeIsAUsageError()
    {
        const test::CliRun run = invoke({u"chat"_s, u"-m"_s, u"hi"_s, u"--sandbox-tmp-size"_s, u"12X"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"--sandbox-tmp-size: expected a size such as 64M"_s), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TstCliSandbox)
#include "tst_cli_sandbox.moc"
