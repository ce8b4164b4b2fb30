// The issue's "Done when" in the studio window, on the real embedded engine against a stub
// LLM that counts its requests (docs/runs.md):
//  - run a bot in replay mode, change one parameter, run again: the History panel's
//    Compare selects the first divergent step and says why the second run missed the
//    replay cache ("parameters.temperature changed from 0.7 to 0.2");
//  - "Re-run from Selected Step" from the step tree's context menu on a finished run:
//    nothing upstream of the chosen step calls the LLM;
//  - a run exported from one studio (in replay mode, or live: its LLM answers become the
//    file's entries) opens in a second studio with an empty replay cache
//    and another model, and Re-run Shown Run in replay mode answers it from the file's
//    entries: the same answer, zero LLM calls, the second cache still empty;
//  - the user's own bot and sub-bot, run live in one studio and exported from History,
//    carry their definitions in the file: a second studio whose folders lack them re-runs
//    it in replay mode from the file alone (its bots in a temporary folder, removed after
//    the run; the second user's bots folder untouched); the second studio's history keeps
//    that re-run with the file's bots and their plan, so exported from there its file
//    carries both, and History's Re-run runs it again in replay mode with zero LLM calls;
//    on a server profile it says the server runs its own bots.
#include "tests/support/openaistubserver.h"
#include "tests/ui/profiledstudio.h"
#include "ui/history/historylistmodel.h"
#include "ui/history/historypanel.h"
#include "ui/history/runcompareview.h"
#include "ui/request/modeswitch.h"
#include "ui/run/runcontroller.h"
#include "ui/steps/steptreemodel.h"
#include "ui/window/historyworkflow.h"

#include "core/backend/remotebackend.h"
#include "core/cache/sqlite/sqlitereplaycache.h"
#include "core/history/runfile.h"
#include "core/history/runhistory.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtCore/QUuid>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QMenu>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

namespace {

// The user's own bot and its own sub-bot (not bundled examples): a draft, polished by the
// sub-bot, whose answer is the result.
const QByteArray kTeaBrewer = R"({
  "bot": {"key": "tea-brewer", "name": "Tea brewer", "description": "Drafts brewing advice, then has it polished."},
  "steps": [
    {"key": "draft", "action_type": "llm.message",
     "parameters": {"system_prompt": "Draft brewing advice.", "query": "{{query}}"},
     "user_output_visibility": "hidden"},
    {"key": "polish", "action_type": "bot.invoke", "depends_on": ["draft"],
     "parameters": {"bot_key": "tea-polisher", "messages": "{{steps.draft.content}}"}}
  ]
})";
const QByteArray kTeaPolisher = R"({
  "bot": {"key": "tea-polisher", "name": "Tea polisher"},
  "steps": [
    {"key": "answer", "action_type": "llm.message",
     "parameters": {"system_prompt": "Polish this advice.", "query": "{{query}}"},
     "user_output_visibility": "visible"}
  ]
})";

// One studio as app/studio composes it, its engine on `llm` reading `botFolders` (the
// bundled examples, then the user's bots folder), its history and replay cache in `dir`.
struct Studio
{
    Studio(const QTemporaryDir &dir, const QString &name, const test::OpenAiStubServer &llm,
           const QStringList &botFolders = {u":/bots"_s})
        : profiled(dir.filePath(name + u".ini"_s),
                   u"invoke-tests-donewhen-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces),
                   dir.filePath(name + u"-replay.sqlite"_s), botFolders),
          replayFile(dir.filePath(name + u"-replay.sqlite"_s))
    {
        profiled.local.setLlmSettings(LlmSettings{llm.baseUrl(), u"stub-model"_s, u"sk-test-donewhen-0123456789"_s, 60});
        window = profiled.window.get();
        const WindowAddOns addOns = installWindowAddOns(window, &profiled.profiles, &profiled.provider,
                                                        dir.filePath(name + u"-history.sqlite"_s));
        history = addOns.history;
        history->panel()->setReplayCacheUrl(replayFile);
        // As app/studio/main.cpp: the export finds the run's bot files where the engine reads them.
        history->panel()->setBotFoldersSource([this] { return profiled.local.botFolders(); });
        window->resize(1440, 980);
        window->show();
    }
    // Starts `request` and waits until it is finished and recorded.
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

    test::ProfiledStudio profiled;
    QString replayFile;
    MainWindow *window = nullptr;
    HistoryWorkflow *history = nullptr;
};

InvokeRequest request(const QString &bot, const QString &text, const Mode &mode, const Json &parameters = Json::object())
{
    InvokeRequest r;
    r.botKey = bot;
    r.messages = {Message::user(text)};
    r.mode = mode;
    r.parameters = parameters;
    return r;
}

const StepRecord *stepOf(const InvokeResult &result, const QString &path)
{
    for (const StepRecord &s : result.steps)
        if (s.path == path)
            return &s;
    return nullptr;
}

QString screenshotDir()
{
    const QString dir = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR", QDir::tempPath());
    QDir().mkpath(dir);
    return dir;
}

} // namespace

class TstHistoryDoneWhen : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::OpenAiStubServer m_llm;

    // Exports `first`'s newest run to NAME.invokerun and re-runs it in replay mode in a
    // second studio with its own empty cache and a model that must not be asked: the
    // answer comes from the file's two entries alone.
    void reRunsInAnotherStudio(Studio &first, const InvokeResult &original, const QString &name)
    {
        const QString file = m_dir.filePath(name + u".invokerun"_s);
        first.history->panel()->select({first.newestId()});
        QVERIFY2(first.history->panel()->exportSelected(file), qPrintable(first.history->panel()->lastMessage()));
        QVERIFY2(first.history->panel()->lastMessage().contains(u"2 replay-cache entries"_s),
                 qPrintable(first.history->panel()->lastMessage()));

        test::OpenAiStubServer other;
        QVERIFY(other.listen());
        other.setReply(test::StubReply::text({u"another answer"_s}, 1, 1));
        Studio second(m_dir, name + u"-second"_s, other);
        QVERIFY(second.history->openRunFile(file));
        second.window->modeSwitch()->setMode(Mode::replay());
        QSignalSpy finished(second.window->runs(), &RunController::finished);
        second.history->rerunShownAction()->trigger();
        QVERIFY(finished.wait(60000));
        const InvokeResult again = finished.first().first().value<InvokeResult>();
        QVERIFY2(again.success, qPrintable(again.error));
        QCOMPARE(other.requestCount(), 0);
        QCOMPARE(again.visibleText(), original.visibleText());
        QCOMPARE(stepOf(again, u"gather"_s)->source, Source::ReplayHit);
        QCOMPARE(stepOf(again, u"summarise/answer"_s)->source, Source::ReplayHit);
        cache::SqliteReplayCache secondCache(second.replayFile);
        QVERIFY(secondCache.open());
        QCOMPARE(secondCache.stats().entries, 0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<InvokeResult>();
        QVERIFY(m_llm.listen());
        m_llm.setReply(test::StubReply::text({u"Tea is "_s, u"a drink."_s}, 6, 4));
    }

    void compareShowsTheDivergenceAndWhyReplayMissed()
    {
        Studio studio(m_dir, u"compare"_s, m_llm);
        const int before = m_llm.requestCount();
        const InvokeResult first = studio.run(request(u"chat"_s, u"tea?"_s, Mode::replay()));
        QVERIFY2(first.success, qPrintable(first.error));
        // One parameter changed: the second run misses the replay cache.
        m_llm.setReply(test::StubReply::text({u"Tea is "_s, u"a hot drink."_s}, 6, 5));
        const InvokeResult second = studio.run(request(u"chat"_s, u"tea?"_s, Mode::replay(), Json{{"temperature", 0.2}}));
        QVERIFY2(second.success, qPrintable(second.error));
        QCOMPARE(m_llm.requestCount(), before + 2);

        HistoryPanel *panel = studio.history->panel();
        studio.history->dock()->show();
        const QString newer = studio.newestId();
        const QString older = panel->model()->index(1, 0).data(HistoryListModel::InvocationIdRole).toString();
        panel->select({older, newer});
        QVERIFY(panel->compareSelected());
        RunCompareView *compare = studio.history->compareView();
        QVERIFY(compare->isVisible());
        QCOMPARE(compare->selectedPath(), u"answer"_s);
        QVERIFY2(compare->replayMissText().contains(
                     u"Why B missed the replay cache: parameters.temperature changed from 0.7 to 0.2"_s),
                 qPrintable(compare->replayMissText()));
        QVERIFY2(compare->outputDiffText().contains(u"hot"_s), qPrintable(compare->outputDiffText()));
        QVERIFY(compare->window()->grab().save(screenshotDir() + u"/studio-compare-replay-miss.png"_s));
        m_llm.setReply(test::StubReply::text({u"Tea is "_s, u"a drink."_s}, 6, 4));
    }

    void reRunFromTheStepTreesContextMenu()
    {
        Studio studio(m_dir, u"fork"_s, m_llm);
        const InvokeResult run = studio.run(request(u"research-assistant"_s, u"tea?"_s, Mode::live()));
        QVERIFY2(run.success, qPrintable(run.error));
        studio.window->modeSwitch()->setMode(Mode::live());
        const int before = m_llm.requestCount();

        // Right-click summarise/answer in the step tree; pick Re-run from Selected Step.
        QTreeView *steps = studio.window->stepView();
        steps->expandAll();
        const QModelIndex answer = studio.window->stepModel()->indexOfPath(u"summarise/answer"_s);
        QVERIFY(answer.isValid());
        const QRect rect = steps->visualRect(answer);
        QVERIFY(!rect.isEmpty());
        QString offered;
        QTimer::singleShot(200, this, [&offered] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            if (!menu)
                return;
            for (QAction *a : menu->actions())
                offered += a->text() + u'|';
            for (QAction *a : menu->actions()) {
                if (a->objectName() == u"forkFromStepAction"_s) {
                    menu->close();
                    a->trigger();
                    return;
                }
            }
            menu->close();
        });
        QSignalSpy finished(studio.window->runs(), &RunController::finished);
        Q_EMIT steps->customContextMenuRequested(rect.center());
        QVERIFY2(offered.contains(u"Re-run from Selected Step|"_s), qPrintable(offered));
        QVERIFY(finished.wait(60000));
        const InvokeResult fork = finished.first().first().value<InvokeResult>();
        QVERIFY2(fork.success, qPrintable(fork.error));
        // Only the chosen step asked the LLM; gather was answered from the recording.
        QCOMPARE(m_llm.requestCount(), before + 1);
        QCOMPARE(stepOf(fork, u"gather"_s)->source, Source::Mock);
        QCOMPARE(stepOf(fork, u"summarise/answer"_s)->source, Source::Live);
    }

    void aRunFileReRunsInAnotherStudioFromItsOwnEntries()
    {
        Studio first(m_dir, u"first"_s, m_llm);
        const InvokeResult original = first.run(request(u"research-assistant"_s, u"green tea?"_s, Mode::replay()));
        QVERIFY2(original.success, qPrintable(original.error));
        reRunsInAnotherStudio(first, original, u"shared"_s);
    }

    void aLiveRunsFileReRunsInAnotherStudioFromItsLiveAnswers()
    {
        // Run live: nothing goes into any cache, yet the file carries the LLM answers as
        // entries (core/history/runcacheentries.h) that a replay re-run is answered from.
        Studio first(m_dir, u"live-first"_s, m_llm);
        const int before = m_llm.requestCount();
        const InvokeResult original = first.run(request(u"research-assistant"_s, u"oolong?"_s, Mode::live()));
        QVERIFY2(original.success, qPrintable(original.error));
        QCOMPARE(m_llm.requestCount(), before + 2);
        reRunsInAnotherStudio(first, original, u"live"_s);
    }

    void aUsersOwnBotRunLiveReRunsInAStudioThatLacksIt()
    {
        // The first studio: the user's own bot and sub-bot in its user bots folder, run live.
        const QString botsA = m_dir.filePath(u"own-first-bots"_s);
        const QString botsB = m_dir.filePath(u"own-second-bots"_s);
        QVERIFY(QDir().mkpath(botsA));
        QVERIFY(QDir().mkpath(botsB));
        for (const auto &[name, bytes] : {std::pair{u"tea-brewer.bot.json"_s, kTeaBrewer},
                                          std::pair{u"tea-polisher.bot.json"_s, kTeaPolisher}}) {
            QFile f(QDir(botsA).filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        }
        test::OpenAiStubServer llmA;
        QVERIFY(llmA.listen());
        llmA.setReply(test::StubReply::text({u"Steep green tea "_s, u"at 80 degrees."_s}, 9, 6));
        Studio first(m_dir, u"own-first"_s, llmA, {u":/bots"_s, botsA});
        const InvokeResult original = first.run(request(u"tea-brewer"_s, u"how long to steep?"_s, Mode::live()));
        QVERIFY2(original.success, qPrintable(original.error));
        QCOMPARE(llmA.requestCount(), 2); // draft and polish/answer
        QVERIFY2(original.visibleText().contains(u"Steep green tea at 80 degrees."_s), qPrintable(original.visibleText()));

        // History ▸ Export: the file carries both definitions as they ran.
        const QString file = m_dir.filePath(u"own.invokerun"_s);
        HistoryPanel *panel = first.history->panel();
        panel->select({first.newestId()});
        QVERIFY2(panel->exportSelected(file), qPrintable(panel->lastMessage()));
        QVERIFY2(panel->lastMessage().contains(u"With the definitions of tea-brewer, tea-polisher."_s),
                 qPrintable(panel->lastMessage()));
        first.history->dock()->show();
        QVERIFY(first.window->grab().save(screenshotDir() + u"/studio-export-run-file-bots.png"_s));
        QString error;
        const auto written = history::readRunFile(file, &error);
        QVERIFY2(written, qPrintable(error));
        QCOMPARE(written->bots.size(), 2);
        QCOMPARE(written->bots[0].key, u"tea-brewer"_s);
        QCOMPARE(written->bots[0].content, kTeaBrewer);
        // The version the run's replay keys hold: the bot file's modification time.
        const QDateTime brewed = QFileInfo(QDir(botsA).filePath(u"tea-brewer.bot.json"_s)).lastModified().toUTC();
        QCOMPARE(written->bots[0].updatedAt, brewed.toString(Qt::ISODateWithMs));
        QCOMPARE(written->bots[1].key, u"tea-polisher"_s);
        QCOMPARE(written->bots[1].content, kTeaPolisher);
        QCOMPARE(written->cacheEntries.size(), size_t(2)); // made from the live answers

        // The second studio's folders lack both bots; it re-runs the file in replay mode.
        test::OpenAiStubServer other;
        QVERIFY(other.listen());
        other.setReply(test::StubReply::text({u"another answer"_s}, 1, 1));
        Studio second(m_dir, u"own-second"_s, other, {u":/bots"_s, botsB});
        QVERIFY(second.history->openRunFile(file));
        QCOMPARE(second.history->shownBots().size(), 2);
        second.window->modeSwitch()->setMode(Mode::replay());
        QSignalSpy finished(second.window->runs(), &RunController::finished);
        second.history->rerunShownAction()->trigger();
        const QString runBots = second.history->runBotsFolder();
        QVERIFY(!runBots.isEmpty());
        QVERIFY(QFileInfo::exists(QDir(runBots).filePath(u"tea-brewer.bot.json"_s)));
        QVERIFY2(second.window->statusBar()->currentMessage().contains(u"tea-brewer, tea-polisher"_s),
                 qPrintable(second.window->statusBar()->currentMessage()));
        QVERIFY(finished.wait(60000));
        const InvokeResult again = finished.first().first().value<InvokeResult>();
        QVERIFY2(again.success, qPrintable(again.error));
        QCOMPARE(other.requestCount(), 0);
        QCOMPARE(again.visibleText(), original.visibleText());
        QCOMPARE(stepOf(again, u"draft"_s)->source, Source::ReplayHit);
        QCOMPARE(stepOf(again, u"polish/answer"_s)->source, Source::ReplayHit);
        // Nothing went into the second user's bots folder or cache; the run's folder is gone.
        QVERIFY(second.window->grab().save(screenshotDir() + u"/studio-rerun-run-file-bots.png"_s));
        QVERIFY(QDir(botsB).isEmpty());
        QVERIFY(!QFileInfo::exists(runBots));
        QVERIFY(second.history->runBotsFolder().isEmpty());
        cache::SqliteReplayCache secondCache(second.replayFile);
        QVERIFY(secondCache.open());
        QCOMPARE(secondCache.stats().entries, 0);

        // The re-run is in the second studio's history with the file's bots and their plan:
        // exported from there, its file carries both as they ran; re-run from History in
        // replay mode, it runs with them again from the entries it brought along.
        const QString fromSecond = m_dir.filePath(u"own-again.invokerun"_s);
        HistoryPanel *secondPanel = second.history->panel();
        second.history->history()->flush();
        secondPanel->select({second.newestId()});
        QVERIFY2(secondPanel->exportSelected(fromSecond), qPrintable(secondPanel->lastMessage()));
        QVERIFY2(secondPanel->lastMessage().contains(u"With the definitions of tea-brewer, tea-polisher."_s),
                 qPrintable(secondPanel->lastMessage()));
        const auto again2 = history::readRunFile(fromSecond, &error);
        QVERIFY2(again2, qPrintable(error));
        QCOMPARE(again2->bots.size(), 2);
        QCOMPARE(again2->bots[0].key, u"tea-brewer"_s);
        QCOMPARE(again2->bots[0].content, kTeaBrewer);
        QCOMPARE(again2->bots[0].updatedAt, brewed.toString(Qt::ISODateWithMs));
        QCOMPARE(again2->bots[1].key, u"tea-polisher"_s);
        QCOMPARE(again2->bots[1].content, kTeaPolisher);
        QCOMPARE(again2->cacheEntries.size(), size_t(2)); // the sub-bot's too, named by the plan
        // The plan of the file's bot, read with its bots (the second studio's folders lack it).
        QCOMPARE(again2->record.summary.botUpdatedAt, brewed.toString(Qt::ISODateWithMs));
        QVERIFY2(dumpJson(again2->record.botPlan).contains("tea-polisher"), dumpJson(again2->record.botPlan).constData());

        QSignalSpy historyFinished(second.window->runs(), &RunController::finished);
        QVERIFY(secondPanel->rerunSelected());
        QVERIFY(!second.history->runBotsFolder().isEmpty());
        QVERIFY(historyFinished.wait(60000));
        const InvokeResult third = historyFinished.first().first().value<InvokeResult>();
        QVERIFY2(third.success, qPrintable(third.error));
        QCOMPARE(other.requestCount(), 0);
        QCOMPARE(third.visibleText(), original.visibleText());
        QCOMPARE(stepOf(third, u"draft"_s)->source, Source::ReplayHit);
        QCOMPARE(stepOf(third, u"polish/answer"_s)->source, Source::ReplayHit);
        QVERIFY(QDir(botsB).isEmpty());
        QVERIFY(second.history->runBotsFolder().isEmpty());
        QCOMPARE(secondCache.stats().entries, 0);
        // Reopened from History, Re-run Shown Run runs it with them too.
        secondPanel->select({second.newestId()});
        QVERIFY(secondPanel->reopenSelected());
        QCOMPARE(second.history->shownBots().size(), 2);
        QSignalSpy reopenedFinished(second.window->runs(), &RunController::finished);
        QVERIFY(second.history->rerunShown());
        QVERIFY(reopenedFinished.wait(60000));
        const InvokeResult fourth = reopenedFinished.first().first().value<InvokeResult>();
        QVERIFY2(fourth.success, qPrintable(fourth.error));
        QCOMPARE(other.requestCount(), 0);
        QCOMPARE(fourth.visibleText(), original.visibleText());

        // On a server profile the file's bots cannot be loaded: the server runs its own,
        // and the status bar says so (here no server answers: the run fails to connect).
        RemoteBackend::Options remote;
        remote.endpoint = QUrl(u"http://127.0.0.1:1"_s);
        remote.name = u"Team server"_s;
        remote.connectTimeoutMs = 5000;
        remote.planCacheFolder = m_dir.filePath(u"own-second-plans"_s);
        second.profiled.provider.useRemote(std::make_unique<RemoteBackend>(remote));
        QSignalSpy remoteFinished(second.window->runs(), &RunController::finished);
        second.history->rerunShownAction()->trigger();
        QVERIFY(second.history->runBotsFolder().isEmpty());
        QVERIFY2(second.window->statusBar()->currentMessage().contains(
                     u"runs its own version of tea-brewer, tea-polisher: a server cannot load the run file's bot "
                     "definitions"_s),
                 qPrintable(second.window->statusBar()->currentMessage()));
        QVERIFY(remoteFinished.wait(60000));
        QVERIFY(!remoteFinished.first().first().value<InvokeResult>().success);
        QVERIFY(QDir(botsB).isEmpty());
        QCOMPARE(second.history->shownBots().size(), 2); // kept for a re-run on the engine
        second.profiled.provider.useEmbedded();
    }
};

QTEST_MAIN(TstHistoryDoneWhen)
#include "tst_historydonewhen.moc"
