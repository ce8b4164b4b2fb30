// The team cache saved in the studio's settings (docs/cache.md: the URL under cache/url, its
// password in the keychain, core/cache/cachesetting.h) is the one the studio's embedded
// engine and invoke-cli use, against a real PostgreSQL (tests/support/testpostgres.h) and a
// real keychain (gnome-keyring on a private D-Bus session, scripts/test.sh). Precedence:
// --cache > INVOKE_CACHE_URL > the saved URL > the default file.
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpostgres.h"

#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "core/backend/localcachesetting.h"
#include "core/cache/cachesetting.h"
#include "core/cache/cacheurl.h"
#include "core/cache/openreplaycache.h"
#include "core/config/appidentity.h"
#include "core/config/secretstore.h"
#include "core/wire/events.h"

#include <QtCore/QSettings>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

// One keychain job to its end (each carries its own timeout).
template <typename Start>
SecretResult keychain(Start start)
{
    QObject context;
    std::optional<SecretResult> result;
    start(&context, [&result](const SecretResult &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
        return SecretResult{SecretResult::Failed, {}, u"the keychain never answered"_s};
    return result.value_or(SecretResult{SecretResult::Failed, {}, u"the keychain never answered"_s});
}

// The source ("replay_stored", "replay_hit", ...) of the llm.message step of a CLI run's events.
QString llmSource(const QString &out)
{
    for (const Json &event : parseJson(out.toUtf8()).value("events", Json::array()))
        if (stringField(event, "type") == u"step_finished"_s
            && stringField(wire::payloadOf(event), "action_type") == u"llm.message"_s)
            return stringField(wire::metadataOf(event), "source");
    return {};
}

} // namespace

class TstSavedCacheUrl : public QObject
{
    Q_OBJECT

private:
    QString freshDatabase(); // of the running test function; its URL without the password
    qint64 entriesIn(const QString &urlWithoutPassword);
    void noPasswordIn(const QString &text);

    test::TestPostgres m_pg;
    test::OpenAiStubServer m_llm;
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase();
    void init();
    void savedUrlGetsItsPasswordBack();
    void studioEngineUsesTheSavedUrl();
    void cliUsesTheSavedUrlAfterFlagAndEnvironment();
    void cleanupTestCase();
};

void TstSavedCacheUrl::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QFAIL("DBUS_SESSION_BUS_ADDRESS is not set: this test needs a D-Bus session with an unlocked "
              "gnome-keyring (run it through scripts/test.sh)");
    QVERIFY(m_home.isValid());
    QString error;
    QVERIFY2(m_pg.start(&error), qPrintable(error)); // never skipped: fails and says why
    QVERIFY(m_llm.listen());
}

void TstSavedCacheUrl::init()
{
    m_llm.setReply(test::StubReply::text({u"Saved"_s, u" answer."_s}, 5, 2));
}

void TstSavedCacheUrl::cleanupTestCase()
{
    // The CLI reads the studio's own keychain entry: leave none behind.
    SecretStore secrets(keychainService());
    keychain([&](QObject *c, SecretStore::Callback done) {
        secrets.remove(cache::cachePasswordSecretName(), c, std::move(done));
    });
}

QString TstSavedCacheUrl::freshDatabase()
{
    const QString name = QString::fromLatin1(QTest::currentTestFunction()).toLower();
    const QString why = m_pg.sql(u"CREATE DATABASE \"%1\""_s.arg(name), u"postgres"_s);
    if (!why.isEmpty())
        qWarning("CREATE DATABASE %s: %s", qPrintable(name), qPrintable(why));
    // As the settings dialog saves it: without the password.
    return u"postgresql://invoke@127.0.0.1:%1/%2"_s.arg(m_pg.port()).arg(name);
}

qint64 TstSavedCacheUrl::entriesIn(const QString &urlWithoutPassword)
{
    QString error;
    auto store = cache::makeReplayCache(cache::savedCacheUrlWithPassword(urlWithoutPassword, m_pg.password()), &error);
    if (!store || !store->open(&error)) {
        qWarning("%s", qPrintable(error));
        return -1;
    }
    return store->stats(&error).entries;
}

void TstSavedCacheUrl::noPasswordIn(const QString &text)
{
    QVERIFY2(!text.contains(m_pg.password()), qPrintable(u"the database password was shown: "_s + text));
}

void TstSavedCacheUrl::savedUrlGetsItsPasswordBack()
{
    const QString saved = u"postgresql://ci@db.example:6543/invoke?sslmode=require"_s;
    QVERIFY(cache::savedCacheUrlWantsPassword(saved));
    const auto url = cache::CacheUrl::parse(cache::savedCacheUrlWithPassword(saved, u"p@ss:/word"_s));
    QVERIFY(url);
    QCOMPARE(url->password, u"p@ss:/word"_s);
    QCOMPARE(url->host, u"db.example"_s);
    QCOMPARE(url->port, 6543);
    QCOMPARE(url->option(u"sslmode"_s), u"require"_s);
    // Nothing to add: a file, a URL that has its password, no password, nothing saved.
    QVERIFY(!cache::savedCacheUrlWantsPassword(u"/home/me/replay.sqlite"_s));
    QCOMPARE(cache::savedCacheUrlWithPassword(u"sqlite:/tmp/r.sqlite"_s, u"x"_s), u"sqlite:/tmp/r.sqlite"_s);
    QVERIFY(!cache::savedCacheUrlWantsPassword(u"postgresql://ci:own@db/invoke"_s));
    QCOMPARE(cache::savedCacheUrlWithPassword(saved, QString()), saved);
    QVERIFY(!cache::savedCacheUrlWantsPassword(QString()));
    QVERIFY(!cache::savedCacheUrlWantsPassword(u"postgresql://nobody"_s)); // malformed: refused later by name
}

void TstSavedCacheUrl::studioEngineUsesTheSavedUrl()
{
    const QString saved = freshDatabase();
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    settings.setValue(QLatin1String(cache::CacheUrlSettingsKey), saved);
    // A keychain service of this test's own: parallel runs never share the entry.
    SecretStore secrets(u"invoke-studio-test-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces));
    const SecretResult written = keychain([&](QObject *c, SecretStore::Callback done) {
        secrets.write(cache::cachePasswordSecretName(), m_pg.password(), c, std::move(done));
    });
    QVERIFY2(written.ok(), qPrintable(written.error));

    LocalBackend::Options options;
    options.botFolders = {u":/bots"_s};
    options.replayCacheFile = dir.filePath(u"default.sqlite"_s); // what the studio would use without the setting
    options.llm.baseUrl = m_llm.baseUrl();
    options.llm.model = u"stub-model"_s;
    LocalBackend backend(options);
    std::optional<QString> problem;
    useSavedReplayCache(&backend, settings, &secrets, [&](const QString &p) { problem = p; });
    QVERIFY(QTest::qWaitFor([&] { return problem.has_value(); }, 20000));
    QVERIFY2(problem->isEmpty(), qPrintable(*problem));
    QVERIFY(backend.replayCacheFile().startsWith(u"postgresql://invoke:"_s));

    const auto run = [&](const QString &question) {
        InvokeRequest request;
        request.botKey = u"chat"_s;
        request.messages = {Message::user(question)};
        request.mode = Mode::replay();
        Invocation *invocation = backend.invoke(request, this);
        QSignalSpy finished(invocation, &Invocation::finished);
        finished.wait(60000);
        const InvokeResult result = finished.isEmpty() ? InvokeResult() : finished.first().first().value<InvokeResult>();
        invocation->deleteLater();
        for (const StepRecord &step : result.steps)
            if (step.actionType == u"llm.message"_s)
                return std::pair{step.source, step.error};
        return std::pair{Source::Unknown, result.error};
    };
    const int before = m_llm.requestCount();
    const auto [recorded, why] = run(u"Which cache?"_s);
    QVERIFY2(recorded == Source::ReplayStored, qPrintable(why));
    QCOMPARE(entriesIn(saved), 1);
    QVERIFY2(!QFile::exists(dir.filePath(u"default.sqlite"_s)), "the default file was used");
    // An invoke-cli user with the team's URL replays it without calling the LLM.
    QProcessEnvironment teammate = test::ServerProcess::scratchEnvironment(m_home.filePath(u"teammate"_s));
    teammate.insert(u"INVOKE_LLM_BASE_URL"_s, m_llm.baseUrl());
    teammate.insert(u"INVOKE_LLM_MODEL"_s, u"stub-model"_s);
    teammate.insert(u"INVOKE_CACHE_URL"_s, cache::savedCacheUrlWithPassword(saved, m_pg.password()));
    const test::CliRun cli = test::runProcess(test::cliProgram(), {u"invoke"_s, u"chat"_s, u"-m"_s, u"Which cache?"_s,
                                              u"--mode"_s, u"replay"_s, u"--format"_s, u"events"_s}, teammate);
    QCOMPARE(llmSource(cli.out), u"replay_hit"_s);
    QCOMPARE(m_llm.requestCount(), before + 1);

    // Without the keychain's password the saved URL is still the one used, and fails by name.
    SecretStore empty(u"invoke-studio-test-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces));
    LocalBackend other(options);
    problem.reset();
    useSavedReplayCache(&other, settings, &empty, [&](const QString &p) { problem = p; });
    QVERIFY(QTest::qWaitFor([&] { return problem.has_value(); }, 20000));
    QVERIFY2(problem->isEmpty(), qPrintable(*problem)); // not found: no password, not an error
    QCOMPARE(other.replayCacheFile(), saved);

    keychain([&](QObject *c, SecretStore::Callback done) {
        secrets.remove(cache::cachePasswordSecretName(), c, std::move(done));
    });
}

void TstSavedCacheUrl::cliUsesTheSavedUrlAfterFlagAndEnvironment()
{
    const QString saved = freshDatabase();
    // The studio's settings and keychain entry, as its settings dialog writes them.
    const QString home = m_home.filePath(u"developer"_s);
    QProcessEnvironment environment = test::ServerProcess::scratchEnvironment(home);
    environment.insert(u"INVOKE_LLM_BASE_URL"_s, m_llm.baseUrl());
    environment.insert(u"INVOKE_LLM_MODEL"_s, u"stub-model"_s);
    QSettings settings(environment.value(u"XDG_CONFIG_HOME"_s) + u"/Invoke Studio/invoke-studio.conf"_s,
                       QSettings::IniFormat);
    settings.setValue(QLatin1String(cache::CacheUrlSettingsKey), saved);
    settings.sync();
    QCOMPARE(settings.status(), QSettings::NoError);
    SecretStore secrets(keychainService());
    const SecretResult written = keychain([&](QObject *c, SecretStore::Callback done) {
        secrets.write(cache::cachePasswordSecretName(), m_pg.password(), c, std::move(done));
    });
    QVERIFY2(written.ok(), qPrintable(written.error));

    const auto replay = [&](const QString &question, const QStringList &extra, const QProcessEnvironment &env) {
        const test::CliRun run = test::runProcess(test::cliProgram(),
                                                  QStringList{u"invoke"_s, u"chat"_s, u"-m"_s, question, u"--mode"_s,
                                                              u"replay"_s, u"--format"_s, u"events"_s} + extra,
                                                  env);
        noPasswordIn(run.out);
        noPasswordIn(run.err);
        const QString source = llmSource(run.out);
        return source.isEmpty() ? u"exit %1: %2"_s.arg(run.exitCode).arg(run.err) : source;
    };
    const int before = m_llm.requestCount();
    // Nothing given: the saved URL with the keychain's password.
    QCOMPARE(replay(u"Saved question"_s, {}, environment), u"replay_stored"_s);
    QCOMPARE(entriesIn(saved), 1);
    QCOMPARE(replay(u"Saved question"_s, {}, environment), u"replay_hit"_s);
    QCOMPARE(m_llm.requestCount(), before + 1);
    const QString defaultFile = environment.value(u"XDG_CACHE_HOME"_s) + u"/Invoke Studio/invoke-studio/replay.sqlite"_s;
    QVERIFY2(!QFile::exists(defaultFile), "the default file was used");
    // cache stats shows the saved store, its password masked.
    const test::CliRun stats = test::runProcess(test::cliProgram(), {u"cache"_s, u"stats"_s}, environment);
    noPasswordIn(stats.out);
    QVERIFY2(stats.exitCode == 0 && stats.out.contains(u"postgresql://invoke:***@127.0.0.1:%1/"_s.arg(m_pg.port())),
             qPrintable(stats.out + stats.err));

    // INVOKE_CACHE_URL beats the saved URL, --cache beats both.
    QProcessEnvironment withEnv = environment;
    const QString envFile = home + u"/env.sqlite"_s;
    withEnv.insert(u"INVOKE_CACHE_URL"_s, envFile);
    QCOMPARE(replay(u"Saved question"_s, {}, withEnv), u"replay_stored"_s);
    QVERIFY(QFile::exists(envFile));
    const QString flagFile = home + u"/flag.sqlite"_s;
    QCOMPARE(replay(u"Saved question"_s, {u"--cache"_s, flagFile}, withEnv), u"replay_stored"_s);
    QVERIFY(QFile::exists(flagFile));
    QCOMPARE(entriesIn(saved), 1);
    QCOMPARE(m_llm.requestCount(), before + 3);

    // Without the password in the keychain the saved server refuses, and the step says so
    // by name (never a silent live call).
    keychain([&](QObject *c, SecretStore::Callback done) {
        secrets.remove(cache::cachePasswordSecretName(), c, std::move(done));
    });
    const test::CliRun refused = test::runProcess(test::cliProgram(), {u"invoke"_s, u"chat"_s, u"-m"_s, u"Another"_s,
                                                  u"--mode"_s, u"replay"_s}, environment);
    QVERIFY2(refused.exitCode != 0 && QString(refused.out + refused.err).contains(u"PostgreSQL server 127.0.0.1:%1"_s.arg(m_pg.port())),
             qPrintable(refused.out + refused.err));
    QCOMPARE(m_llm.requestCount(), before + 3);
}

QTEST_GUILESS_MAIN(TstSavedCacheUrl)
#include "tst_savedcacheurl.moc"
