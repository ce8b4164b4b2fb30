// A real round trip through the OS keychain (gnome-keyring over a private D-Bus session,
// see scripts/test.sh). Without a session bus the test fails and says how to run it:
// a keychain test that skips silently would prove nothing.
#include "core/config/secretstore.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QProcess>
#include <QtCore/QUuid>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <optional>

using namespace Qt::StringLiterals;
using invoke::SecretResult;
using invoke::SecretStore;

namespace {

// Runs one job and waits for its callback (each job carries its own timeout).
template<typename Start>
SecretResult runJob(Start start)
{
    QObject context;
    std::optional<SecretResult> result;
    start(&context, [&result](const SecretResult &r) { result = r; });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000); }();
    return result.value_or(SecretResult{SecretResult::Failed, {}, u"no answer"_s});
}

QString uniqueService()
{
    return u"invoke-studio-test-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// In a child process without a session bus: prints the status of one write.
int probeWithoutKeychain()
{
    SecretStore store(uniqueService());
    store.setTimeoutMs(5000);
    const SecretResult r = runJob([&](QObject *c, SecretStore::Callback done) {
        store.write(u"probe"_s, u"secret"_s, c, std::move(done));
    });
    QTextStream(stdout) << int(r.status) << '\n' << r.error << '\n';
    return 0;
}

} // namespace

class TstSecretStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            QFAIL("DBUS_SESSION_BUS_ADDRESS is not set: this test needs a D-Bus session with an "
                  "unlocked gnome-keyring. Run it through scripts/test.sh, or: dbus-run-session -- "
                  "sh -c 'printf %s pw | gnome-keyring-daemon --unlock --components=secrets "
                  ">/dev/null && ./tst_secretstore'");
        }
    }

    void roundTrip()
    {
        SecretStore store(uniqueService());
        const QString key = u"api-key"_s;
        const QString secret = u"sk-test-ünïcode-🔑-"_s + QUuid::createUuid().toString();

        SecretResult r = runJob([&](QObject *c, auto done) { store.write(key, secret, c, done); });
        QVERIFY2(r.ok(), qPrintable(r.error));

        r = runJob([&](QObject *c, auto done) { store.read(key, c, done); });
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.value, secret);

        // Overwriting replaces the value.
        r = runJob([&](QObject *c, auto done) { store.write(key, u"second"_s, c, done); });
        QVERIFY2(r.ok(), qPrintable(r.error));
        r = runJob([&](QObject *c, auto done) { store.read(key, c, done); });
        QCOMPARE(r.value, u"second"_s);

        r = runJob([&](QObject *c, auto done) { store.remove(key, c, done); });
        QVERIFY2(r.ok(), qPrintable(r.error));
        r = runJob([&](QObject *c, auto done) { store.read(key, c, done); });
        QCOMPARE(r.status, SecretResult::NotFound);
        QVERIFY(r.error.contains(key));
    }

    void servicesAreSeparate()
    {
        SecretStore a(uniqueService());
        SecretStore b(uniqueService());
        SecretResult r = runJob([&](QObject *c, auto done) { a.write(u"k"_s, u"from a"_s, c, done); });
        QVERIFY2(r.ok(), qPrintable(r.error));
        r = runJob([&](QObject *c, auto done) { b.read(u"k"_s, c, done); });
        QCOMPARE(r.status, SecretResult::NotFound);
        runJob([&](QObject *c, auto done) { a.remove(u"k"_s, c, done); });
    }

    void missingKeyIsNotFound()
    {
        SecretStore store(uniqueService());
        const SecretResult r = runJob([&](QObject *c, auto done) { store.read(u"never-written"_s, c, done); });
        QCOMPARE(r.status, SecretResult::NotFound);
        QVERIFY(r.value.isEmpty());
    }

    void callbackNeverRunsAfterContextDies()
    {
        SecretStore store(uniqueService());
        bool called = false;
        {
            QObject context;
            store.read(u"k"_s, &context, [&called](const SecretResult &) { called = true; });
        }
        // A second job on the same store finishing proves the first had time to finish too.
        const SecretResult r = runJob([&](QObject *c, auto done) { store.read(u"k"_s, c, done); });
        QCOMPARE(r.status, SecretResult::NotFound);
        QVERIFY(!called);
    }

    void noSessionBusSaysSoPlainly()
    {
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
        env.remove(u"DISPLAY"_s);
        env.remove(u"WAYLAND_DISPLAY"_s);
        env.insert(u"INVOKE_SECRETSTORE_PROBE"_s, u"1"_s);
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForFinished(30000));
        const QStringList lines = QString::fromUtf8(child.readAllStandardOutput()).split(u'\n');
        QVERIFY2(lines.size() >= 2, qPrintable(QString::fromUtf8(child.readAllStandardError())));
        QCOMPARE(lines.at(0).toInt(), int(SecretResult::Unavailable));
        QVERIFY2(lines.at(1).startsWith(u"No keychain is available"_s), qPrintable(lines.at(1)));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("INVOKE_SECRETSTORE_PROBE"))
        return probeWithoutKeychain();
    TstSecretStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secretstore.moc"
