// invoke-cli invoke's sandbox flags, run as a process: without bubblewrap a code step is
// refused and says why and how to allow it; --allow-unsandboxed-code runs it (rlimit);
// --sandbox-work-size caps the work folder; a bad size is a usage error.
#include "tests/support/cliprocess.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

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

    void badSizeIsAUsageError()
    {
        const test::CliRun run = invoke({u"chat"_s, u"-m"_s, u"hi"_s, u"--sandbox-tmp-size"_s, u"12X"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"--sandbox-tmp-size: expected a size such as 64M"_s), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TstCliSandbox)
#include "tst_cli_sandbox.moc"
