// invoke-studio --cache URL, as invoke-cli's: it wins over INVOKE_CACHE_URL and the cache
// saved in Preferences (core/backend/localcachesetting.h, docs/cache.md). The studio's
// embedded engine records a replay run in the flag's store and nowhere else, keeps it when
// Preferences saves another cache, and reads INVOKE_CACHE_URL without the flag. The real
// invoke-studio lists the flag in --help, refuses a URL that does not parse (exit 2, no
// password shown) and opens its window with one that does.
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/testpaths.h"

#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "core/backend/localcachesetting.h"
#include "core/cache/cachesetting.h"
#include "core/cache/openreplaycache.h"
#include "core/config/secretstore.h"

#include <QtCore/QFileInfo>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace invoke;

class TstStudioCacheFlag : public QObject
{
    Q_OBJECT

private:
    // Entries in the SQLite store at `file`; -1 when it cannot be opened.
    static qint64 entriesIn(const QString &file);
    // The source of the llm.message step of one replay run on `backend`.
    Source replayRun(LocalBackend &backend, const QString &question);

    test::OpenAiStubServer m_llm;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase();
    void flagWinsOverEnvironmentAndSavedUrl();
    void studioListsAndChecksTheFlag();
};

void TstStudioCacheFlag::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_llm.listen());
    m_llm.setReply(test::StubReply::text({u"Flagged"_s, u" answer."_s}, 5, 2));
}

qint64 TstStudioCacheFlag::entriesIn(const QString &file)
{
    QString error;
    auto store = cache::makeReplayCache(file, &error);
    if (!store || !store->open(&error)) {
        qWarning("%s", qPrintable(error));
        return -1;
    }
    return store->stats(&error).entries;
}

Source TstStudioCacheFlag::replayRun(LocalBackend &backend, const QString &question)
{
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
            return step.source;
    qWarning("no llm.message step: %s", qPrintable(result.error));
    return Source::Unknown;
}

void TstStudioCacheFlag::flagWinsOverEnvironmentAndSavedUrl()
{
    const QString flagged = m_dir.filePath(u"flag.sqlite"_s);
    const QString fromEnvironment = m_dir.filePath(u"environment.sqlite"_s);
    const QString saved = m_dir.filePath(u"saved.sqlite"_s);
    const QString fallback = m_dir.filePath(u"default.sqlite"_s);
    QSettings settings(m_dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    settings.setValue(QLatin1String(cache::CacheUrlSettingsKey), saved);
    qputenv("INVOKE_CACHE_URL", fromEnvironment.toUtf8());
    SecretStore secrets(u"invoke-studio-test-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces));

    LocalBackend::Options options;
    options.botFolders = {u":/bots"_s};
    options.replayCacheFile = fallback;
    options.llm.baseUrl = m_llm.baseUrl();
    options.llm.model = u"stub-model"_s;
    LocalBackend backend(options);
    std::optional<QString> problem;
    useReplayCache(&backend, u"  sqlite:"_s + flagged + u' ', settings, &secrets, [&](const QString &p) { problem = p; });
    QVERIFY(problem.has_value()); // at once: no keychain to wait for
    QVERIFY2(problem->isEmpty(), qPrintable(*problem));
    QCOMPARE(backend.replayCacheFile(), u"sqlite:"_s + flagged);

    const int before = m_llm.requestCount();
    QCOMPARE(replayRun(backend, u"Which cache?"_s), Source::ReplayStored);
    QCOMPARE(entriesIn(flagged), 1);
    for (const QString &other : {fromEnvironment, saved, fallback})
        QVERIFY2(!QFile::exists(other), qPrintable(other + u" was used"_s));

    // Preferences saves another cache (MainWindow::replayCacheSettingChanged): the flag stays.
    settings.setValue(QLatin1String(cache::CacheUrlSettingsKey), m_dir.filePath(u"saved-later.sqlite"_s));
    problem.reset();
    useReplayCache(&backend, u"sqlite:"_s + flagged, settings, &secrets, [&](const QString &p) { problem = p; });
    QVERIFY(problem.has_value() && problem->isEmpty());
    QCOMPARE(replayRun(backend, u"Which cache?"_s), Source::ReplayHit);
    QCOMPARE(m_llm.requestCount(), before + 1);

    // Without the flag, INVOKE_CACHE_URL wins over the saved cache, as before.
    LocalBackend plain(options);
    problem.reset();
    useReplayCache(&plain, {}, settings, &secrets, [&](const QString &p) { problem = p; });
    QVERIFY(QTest::qWaitFor([&] { return problem.has_value(); }, 20000));
    QCOMPARE(plain.replayCacheFile(), fromEnvironment);
    qunsetenv("INVOKE_CACHE_URL");
}

void TstStudioCacheFlag::studioListsAndChecksTheFlag()
{
    const QString studio = test::binDir() + u"/invoke-studio"_s;
    QVERIFY2(QFileInfo(studio).isExecutable(), "build invoke-studio first (a dependency of tst_studiocacheflag)");
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    const QString home = m_dir.filePath(u"studio"_s);
    for (const char *folder : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"})
        environment.insert(QString::fromLatin1(folder), home + u'/' + QString::fromLatin1(folder));

    const test::CliRun help = test::runProcess(studio, {u"--help"_s}, environment);
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(help.out.contains(u"--cache <url>"_s) && help.out.contains(u"INVOKE_CACHE_URL"_s)
                 && help.out.contains(u"postgresql://USER[:PASSWORD]@HOST"_s),
             qPrintable(help.out));

    // A URL that does not parse stops the studio before its window, as invoke-cli's does,
    // without showing the password it holds.
    const test::CliRun bad = test::runProcess(studio, {u"--cache"_s, u"postgresql://ci:hunter2secret@/invoke?nope=1"_s},
                                              environment);
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains(u"invoke-studio: --cache: cache URL postgresql://ci:***@/invoke?nope=1: no host"_s),
             qPrintable(bad.err));
    QVERIFY2(!bad.err.contains(u"hunter2secret"_s), qPrintable(bad.err));
    const test::CliRun ftp = test::runProcess(studio, {u"--cache"_s, u"ftp://example.com/cache"_s}, environment);
    QCOMPARE(ftp.exitCode, 2);
    QVERIFY2(ftp.err.contains(u"invoke-studio: --cache: "_s), qPrintable(ftp.err));

    // A good one: the window opens (and renders, --screenshot) as without it.
    const QString shot = m_dir.filePath(u"studio.png"_s);
    const test::CliRun good = test::runProcess(studio, {u"--cache"_s, u"sqlite:"_s + m_dir.filePath(u"studio.sqlite"_s),
                                                        u"--screenshot"_s, shot},
                                               environment);
    QVERIFY2(good.exitCode == 0 && QFileInfo(shot).size() > 0, qPrintable(good.err));
}

QTEST_GUILESS_MAIN(TstStudioCacheFlag)
#include "tst_studiocacheflag.moc"
