// History ▸ Export reads the replay cache the studio uses, whichever store it is
// (docs/runs.md, The cache entries of a run file): here a team's PostgreSQL cache saved in
// Preferences (its URL in the settings, its password in the keychain, as
// tests/cache/tst_savedcacheurl.cpp sets it up), against a real PostgreSQL
// (tests/support/testpostgres.h) and a real keychain (gnome-keyring on a private D-Bus
// session, scripts/test.sh). The studio is composed as app/studio/main.cpp composes it.
//  - a replay run records into PostgreSQL (never the default file); its exported run file
//    carries the entry as PostgreSQL holds it (changed there after the run, so an entry
//    made from the recording would differ), and re-runs offline in another studio from
//    its own entries: that answer, zero LLM calls, neither cache touched;
//  - a PostgreSQL that went away fails the export by name, writing no file.
#include "tests/support/openaistubserver.h"
#include "tests/support/testpostgres.h"

#include "ui/connection/backendprovider.h"
#include "ui/history/historylistmodel.h"
#include "ui/history/historypanel.h"
#include "ui/request/modeswitch.h"
#include "ui/run/runcontroller.h"
#include "ui/window/historyworkflow.h"
#include "ui/window/mainwindow.h"
#include "ui/window/windowaddons.h"

#include "core/backend/localbackend.h"
#include "core/backend/localcachesetting.h"
#include "core/cache/cachesetting.h"
#include "core/cache/openreplaycache.h"
#include "core/config/profiles.h"
#include "core/config/secretstore.h"
#include "core/history/runfile.h"
#include "core/history/runhistory.h"

#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

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

// A studio as app/studio/main.cpp composes it: the embedded engine on the replay cache the
// settings and keychain name (useSavedReplayCache), the window and its add-ons, and the
// History panel reading the engine's cache.
struct Studio
{
    Studio(const QTemporaryDir &dir, const QString &name, const QString &savedCacheUrl, const QString &service,
           const test::OpenAiStubServer &llm)
        : settings(dir.filePath(name + u".ini"_s), QSettings::IniFormat), secrets(service),
          backend([&] {
              LocalBackend::Options o;
              o.botFolders = {u":/bots"_s};
              o.replayCacheFile = dir.filePath(name + u"-default.sqlite"_s); // the studio's default file
              o.llm = LlmSettings{llm.baseUrl(), u"stub-model"_s, u"sk-test-teamcache-0123456789"_s, 60};
              return o;
          }()),
          provider(&backend), profiles(&settings, &secrets)
    {
        secrets.setTimeoutMs(10000);
        if (savedCacheUrl.isEmpty()) {
            cacheProblem = QString(); // its own file, as given above
        } else {
            settings.setValue(QLatin1String(cache::CacheUrlSettingsKey), savedCacheUrl);
            useSavedReplayCache(&backend, settings, &secrets, [this](const QString &p) { cacheProblem = p; });
        }
        window = std::make_unique<MainWindow>(&provider, &secrets, &settings);
        const WindowAddOns addOns = installWindowAddOns(window.get(), &profiles, &provider,
                                                        dir.filePath(name + u"-history.sqlite"_s));
        history = addOns.history;
        history->panel()->setReplayCacheSource([this] { return backend.replayCacheFile(); });
        window->resize(1200, 800);
        window->show();
    }
    bool cacheChosen() { return QTest::qWaitFor([this] { return cacheProblem.has_value(); }, 20000); }
    InvokeResult run(const InvokeRequest &request)
    {
        QSignalSpy finished(window->runs(), &RunController::finished);
        QSignalSpy recorded(history->history(), &history::RunHistory::runRecorded);
        window->runs()->start(request, request.query());
        if (!finished.wait(60000) || !recorded.wait(30000))
            return {};
        return finished.first().first().value<InvokeResult>();
    }
    QString newestId() const
    {
        history->panel()->refresh();
        return history->panel()->model()->index(0, 0).data(HistoryListModel::InvocationIdRole).toString();
    }

    QSettings settings;
    SecretStore secrets;
    LocalBackend backend;
    BackendProvider provider;
    ProfileStore profiles;
    std::unique_ptr<MainWindow> window;
    HistoryWorkflow *history = nullptr;
    std::optional<QString> cacheProblem;
};

InvokeRequest replayOf(const QString &text)
{
    InvokeRequest r;
    r.botKey = u"chat"_s;
    r.messages = {Message::user(text)};
    r.mode = Mode::replay();
    return r;
}

} // namespace

class TstHistoryTeamCache : public QObject
{
    Q_OBJECT

private:
    QList<cache::CacheEntry> entriesIn(const QString &url);

    test::TestPostgres m_pg;
    test::OpenAiStubServer m_llm;
    QTemporaryDir m_dir;
    QString m_service = u"invoke-studio-test-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString m_saved; // the cache URL as Preferences saves it: without the password

private Q_SLOTS:
    void initTestCase();
    void exportReadsThePostgresCacheAndReRunsOffline();
    void anUnreachableCacheFailsTheExportByName();
    void cleanupTestCase();
};

QList<cache::CacheEntry> TstHistoryTeamCache::entriesIn(const QString &url)
{
    QString error;
    auto store = cache::makeReplayCache(url, &error);
    if (!store || !store->open(&error)) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    return store->list({}, &error);
}

void TstHistoryTeamCache::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qRegisterMetaType<InvokeResult>();
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QFAIL("DBUS_SESSION_BUS_ADDRESS is not set: this test needs a D-Bus session with an unlocked "
              "gnome-keyring (run it through scripts/test.sh)");
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_pg.start(&error), qPrintable(error)); // never skipped: fails and says why
    QVERIFY(m_llm.listen());
    m_llm.setReply(test::StubReply::text({u"Saved"_s, u" answer."_s}, 5, 2));
    m_saved = u"postgresql://invoke@127.0.0.1:%1/invoke"_s.arg(m_pg.port());
    SecretStore secrets(m_service);
    const SecretResult written = keychain([&](QObject *c, SecretStore::Callback done) {
        secrets.write(cache::cachePasswordSecretName(), m_pg.password(), c, std::move(done));
    });
    QVERIFY2(written.ok(), qPrintable(written.error));
}

void TstHistoryTeamCache::cleanupTestCase()
{
    SecretStore secrets(m_service);
    keychain([&](QObject *c, SecretStore::Callback done) {
        secrets.remove(cache::cachePasswordSecretName(), c, std::move(done));
    });
}

void TstHistoryTeamCache::exportReadsThePostgresCacheAndReRunsOffline()
{
    Studio team(m_dir, u"team"_s, m_saved, m_service, m_llm);
    QVERIFY(team.cacheChosen());
    QVERIFY2(team.cacheProblem->isEmpty(), qPrintable(*team.cacheProblem));
    QVERIFY(team.backend.replayCacheFile().startsWith(u"postgresql://invoke:"_s));

    const int before = m_llm.requestCount();
    const InvokeResult first = team.run(replayOf(u"Which cache?"_s));
    QVERIFY2(first.success, qPrintable(first.error));
    QCOMPARE(first.visibleText(), u"Saved answer."_s);
    QCOMPARE(m_llm.requestCount(), before + 1);
    const QString url = m_pg.url();
    QCOMPARE(entriesIn(url).size(), 1);
    QVERIFY2(!QFile::exists(m_dir.filePath(u"team-default.sqlite"_s)), "the default file was used");

    // The team's entry changes in PostgreSQL after the run (as another member's refresh
    // would): an entry made from the recording would still say "Saved answer.".
    const QString why = m_pg.sql(u"UPDATE invoke_replay_entries SET output = replace(output, 'Saved answer.', "
                                 "'Answer kept in PostgreSQL.')"_s);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    const cache::CacheEntry stored = entriesIn(url).value(0);
    QVERIFY2(stored.output.dump().find("Answer kept in PostgreSQL.") != std::string::npos, stored.output.dump().c_str());

    // History > Export.
    HistoryPanel *panel = team.history->panel();
    const QString file = m_dir.filePath(u"team.invokerun"_s);
    panel->select({team.newestId()});
    QVERIFY2(panel->exportSelected(file), qPrintable(panel->lastMessage()));
    QVERIFY2(panel->lastMessage().contains(u"1 replay-cache entries"_s), qPrintable(panel->lastMessage()));
    QVERIFY2(panel->lastMessage().contains(u"postgresql://invoke:***@127.0.0.1"_s), qPrintable(panel->lastMessage()));
    QVERIFY2(!panel->lastMessage().contains(m_pg.password()), "the database password was shown");
    QString error;
    const auto read = history::readRunFile(file, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->cacheEntries.size(), size_t(1));
    const auto exported = cache::CacheEntry::fromJson(read->cacheEntries[0], &error);
    QVERIFY2(exported, qPrintable(error));
    QCOMPARE(exported->key, stored.key);
    QVERIFY(exported->output == stored.output);
    QCOMPARE(exported->createdAt, stored.createdAt);

    // Another machine: no team cache, its own empty file, and a model that must not be asked.
    test::OpenAiStubServer offline;
    QVERIFY(offline.listen());
    offline.setReply(test::StubReply::text({u"another answer"_s}, 1, 1));
    Studio other(m_dir, u"other"_s, QString(), m_service + u"-other"_s, offline);
    QVERIFY(other.cacheChosen());
    QVERIFY(other.history->openRunFile(file));
    other.window->modeSwitch()->setMode(Mode::replay());
    QSignalSpy finished(other.window->runs(), &RunController::finished);
    other.history->rerunShownAction()->trigger();
    QVERIFY(finished.wait(60000));
    const InvokeResult again = finished.first().first().value<InvokeResult>();
    QVERIFY2(again.success, qPrintable(again.error));
    QCOMPARE(again.visibleText(), u"Answer kept in PostgreSQL."_s);
    QCOMPARE(offline.requestCount(), 0);
    for (const StepRecord &step : again.steps)
        if (step.actionType == u"llm.message"_s)
            QCOMPARE(step.source, Source::ReplayHit);
    QCOMPARE(entriesIn(url).size(), 1);
    QCOMPARE(entriesIn(other.backend.replayCacheFile()).size(), 0);
}

void TstHistoryTeamCache::anUnreachableCacheFailsTheExportByName()
{
    Studio team(m_dir, u"gone"_s, m_saved, m_service, m_llm);
    QVERIFY(team.cacheChosen());
    const InvokeResult run = team.run(replayOf(u"And now?"_s));
    QVERIFY2(run.success, qPrintable(run.error));

    QString error;
    QVERIFY2(m_pg.stopServer(&error), qPrintable(error));
    HistoryPanel *panel = team.history->panel();
    const QString file = m_dir.filePath(u"gone.invokerun"_s);
    panel->select({team.newestId()});
    const bool exported = panel->exportSelected(file);
    QVERIFY2(m_pg.startServer(&error), qPrintable(error));
    QVERIFY2(!exported, qPrintable(panel->lastMessage()));
    QVERIFY2(panel->lastMessage().contains(u"PostgreSQL server 127.0.0.1:%1"_s.arg(m_pg.port())),
             qPrintable(panel->lastMessage()));
    QVERIFY2(!panel->lastMessage().contains(m_pg.password()), "the database password was shown");
    QVERIFY2(!QFile::exists(file), "a run file was written without its cache entries");
}

QTEST_MAIN(TstHistoryTeamCache)
#include "tst_historyteamcache.moc"
