// takeSecretFromEnvironment: the value is read once, kept in memory, and gone from the
// process environment, /proc/self/environ included (glibc's unsetenv alone leaves the
// original text there). The environment must come from exec for that, so the test runs
// itself as a child with a canary in its environment and that child does the checks.
#include "core/config/environmentsecret.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtTest/QTest>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

constexpr char ProbeVariable[] = "INVOKE_ENVIRONMENTSECRET_PROBE";
constexpr char Canary[] = "canary-7f3a9c2e-environment-secret";

QByteArray procEnviron()
{
    QFile file(u"/proc/self/environ"_s);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// In the child: one line per check, "ok ..." or "FAIL ...".
int probe()
{
    const auto say = [](bool ok, const char *what) {
        std::printf("%s %s\n", ok ? "ok" : "FAIL", what);
        return ok;
    };
    bool all = true;
    // Without this the test could not fail: the canary must be in the original block.
    all &= say(procEnviron().contains(Canary), "the canary is in /proc/self/environ before");
    const std::optional<QString> taken = invoke::takeSecretFromEnvironment("INVOKE_LLM_API_KEY");
    all &= say(taken && *taken == QLatin1String(Canary), "the value is returned");
    all &= say(!procEnviron().contains(Canary), "the canary is gone from /proc/self/environ");
    all &= say(!qEnvironmentVariableIsSet("INVOKE_LLM_API_KEY"), "the variable is unset");
    const std::optional<QString> again = invoke::takeSecretFromEnvironment("INVOKE_LLM_API_KEY");
    all &= say(again && *again == QLatin1String(Canary), "a second call returns the value again");
    all &= say(!invoke::takeSecretFromEnvironment("INVOKE_NEVER_SET_VARIABLE_X"), "an unset variable gives nullopt");
    QProcess env;
    env.start(u"/usr/bin/env"_s, {});
    const bool finished = env.waitForFinished(60000);
    all &= say(finished && !env.readAllStandardOutput().contains(Canary), "a child process does not get it");
    // Another variable of the block is untouched.
    all &= say(procEnviron().contains("INVOKE_ENVIRONMENTSECRET_NEIGHBOUR=still-here"), "the rest stays");
    return all ? 0 : 1;
}

} // namespace

class TestEnvironmentSecret : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wipedFromProcEnviron()
    {
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(ProbeVariable), u"1"_s);
        env.insert(u"INVOKE_LLM_API_KEY"_s, QString::fromLatin1(Canary));
        env.insert(u"INVOKE_ENVIRONMENTSECRET_NEIGHBOUR"_s, u"still-here"_s);
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForFinished(120000));
        const QString report = QString::fromUtf8(child.readAllStandardOutput());
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
                 qPrintable(report + QString::fromUtf8(child.readAllStandardError())));
        QCOMPARE(report.count(u"ok "_s), 8);
        QVERIFY2(!report.contains(u"FAIL"_s), qPrintable(report));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(ProbeVariable))
        return probe();
    TestEnvironmentSecret test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_environmentsecret.moc"
