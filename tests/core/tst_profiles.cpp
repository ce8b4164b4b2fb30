// Profiles: Embedded plus remote profiles in settings (add, rename, remove, refused
// names and endpoints, the current one across a restart), and the token's round trip
// through the real keychain (gnome-keyring over a private D-Bus session, see
// scripts/test.sh) — never in the settings file.
#include "core/config/profiles.h"

#include <QtCore/QFile>
#include <QtCore/QSettings>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtTest/QtTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

template<typename Start>
SecretResult runJob(Start start)
{
    QObject context;
    std::optional<SecretResult> result;
    start(&context, [&result](const SecretResult &r) { result = r; });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000); }();
    return result.value_or(SecretResult{SecretResult::Failed, {}, u"no answer"_s});
}

Profile remote(const QString &name, const QString &endpoint)
{
    return Profile{name, QUrl(endpoint)};
}

} // namespace

class TestProfiles : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString settingsFile() const { return m_dir.filePath(u"studio.ini"_s); }

private Q_SLOTS:
    void init()
    {
        QFile::remove(settingsFile());
    }

    void embeddedIsAlwaysFirst()
    {
        QSettings settings(settingsFile(), QSettings::IniFormat);
        ProfileStore store(&settings, nullptr);
        QCOMPARE(store.names(), QStringList{u"Embedded"_s});
        QVERIFY(store.find(u"embedded"_s)->isEmbedded());
        QCOMPARE(store.current(), u"Embedded"_s);
    }

    void addRenameRemove()
    {
        QSettings settings(settingsFile(), QSettings::IniFormat);
        ProfileStore store(&settings, nullptr);
        QString error;
        QVERIFY2(store.save(remote(u"staging"_s, u"http://127.0.0.1:8642"_s), {}, &error), qPrintable(error));
        QVERIFY(store.save(remote(u"prod"_s, u"https://invoke.example.org/api"_s), {}, &error));
        QCOMPARE(store.names(), (QStringList{u"Embedded"_s, u"staging"_s, u"prod"_s}));
        QCOMPARE(store.find(u"PROD"_s)->endpoint, QUrl(u"https://invoke.example.org/api"_s));

        store.setCurrent(u"staging"_s);
        QVERIFY(store.save(remote(u"stage"_s, u"http://127.0.0.1:9000"_s), u"staging"_s, &error));
        QCOMPARE(store.names(), (QStringList{u"Embedded"_s, u"stage"_s, u"prod"_s}));
        QCOMPARE(store.current(), u"stage"_s); // the rename follows the current profile

        QVERIFY(store.remove(u"stage"_s));
        QVERIFY(!store.remove(u"stage"_s));
        QCOMPARE(store.current(), u"Embedded"_s); // a removed current profile falls back
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("error");
        QTest::newRow("no name") << u"  "_s << u"http://h:1"_s << u"the profile needs a name"_s;
        QTest::newRow("embedded") << u"embedded"_s << u"http://h:1"_s
                                  << u"\"Embedded\" is the built-in profile; choose another name"_s;
        QTest::newRow("taken") << u"Staging"_s << u"http://h:1"_s << u"a profile named \"staging\" exists already"_s;
        QTest::newRow("no endpoint") << u"x"_s << QString() << u"the endpoint is empty (e.g. http://127.0.0.1:8642)"_s;
        QTest::newRow("ftp") << u"x"_s << u"ftp://h"_s
                             << u"\"ftp://h\" is not an http:// or https:// URL (e.g. http://127.0.0.1:8642)"_s;
        QTest::newRow("password") << u"x"_s << u"http://me:secret@h:1"_s
                                  << u"the endpoint holds a user name or password; put the token in the token field instead"_s;
    }
    void refusals()
    {
        QFETCH(QString, name);
        QFETCH(QString, endpoint);
        QFETCH(QString, error);
        QSettings settings(settingsFile(), QSettings::IniFormat);
        ProfileStore store(&settings, nullptr);
        QVERIFY(store.save(remote(u"staging"_s, u"http://127.0.0.1:8642"_s)));
        QString why;
        QVERIFY(!store.save(remote(name, endpoint), {}, &why));
        QCOMPARE(why, error);
        QCOMPARE(store.names(), (QStringList{u"Embedded"_s, u"staging"_s}));
    }

    void survivesRestart()
    {
        {
            QSettings settings(settingsFile(), QSettings::IniFormat);
            ProfileStore store(&settings, nullptr);
            QVERIFY(store.save(remote(u"staging"_s, u"http://127.0.0.1:8642"_s)));
            store.setCurrent(u"staging"_s);
        }
        QSettings settings(settingsFile(), QSettings::IniFormat);
        ProfileStore store(&settings, nullptr);
        QCOMPARE(store.current(), u"staging"_s);
        QCOMPARE(store.find(u"staging"_s)->endpoint, QUrl(u"http://127.0.0.1:8642"_s));
    }

    void tokenLivesInTheKeychainOnly()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("this test needs a D-Bus session with an unlocked gnome-keyring: run it through scripts/test.sh");
        SecretStore secrets(u"invoke-studio-test-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces));
        secrets.setTimeoutMs(10000);
        QSettings settings(settingsFile(), QSettings::IniFormat);
        ProfileStore store(&settings, &secrets);
        QVERIFY(store.save(remote(u"staging"_s, u"http://127.0.0.1:8642"_s)));
        const QString token = u"tok-keychain-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);

        SecretResult r = runJob([&](QObject *c, SecretStore::Callback done) {
            store.writeToken(u"staging"_s, token, c, std::move(done));
        });
        QVERIFY2(r.ok(), qPrintable(r.error));
        r = runJob([&](QObject *c, SecretStore::Callback done) { store.readToken(u"staging"_s, c, std::move(done)); });
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.value, token);

        settings.sync();
        QFile file(settingsFile());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray saved = file.readAll();
        QVERIFY(saved.contains("http://127.0.0.1:8642"));
        QVERIFY2(!saved.contains(token.toUtf8()), "the token never reaches the settings file");

        // An empty token removes the entry; removing again is fine.
        r = runJob([&](QObject *c, SecretStore::Callback done) { store.writeToken(u"staging"_s, {}, c, std::move(done)); });
        QVERIFY2(r.ok(), qPrintable(r.error));
        r = runJob([&](QObject *c, SecretStore::Callback done) { store.readToken(u"staging"_s, c, std::move(done)); });
        QCOMPARE(r.status, SecretResult::NotFound);
        r = runJob([&](QObject *c, SecretStore::Callback done) { store.removeToken(u"staging"_s, c, std::move(done)); });
        QVERIFY2(r.ok(), qPrintable(r.error));
    }

    void noKeychainSaysSo()
    {
        QSettings settings(settingsFile(), QSettings::IniFormat);
        ProfileStore store(&settings, nullptr);
        const SecretResult r = runJob([&](QObject *c, SecretStore::Callback done) {
            store.readToken(u"staging"_s, c, std::move(done));
        });
        QCOMPARE(r.status, SecretResult::Unavailable);
        QVERIFY(!r.error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestProfiles)
#include "tst_profiles.moc"
