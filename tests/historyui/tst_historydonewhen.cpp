// The "Done when" in the studio window, on the real embedded engine against a stub
// LLM that counts its requests (docs/runs.md):
//  - run a bot in replay mode, change one parameter, run again: the History panel's
//    Compare selects the first divergent step and says why the second run missed the
//    replay cache ("parameters.temperature changed from 0.7 to 0.2");
//  - "Re-run from Selected Step" from the step tree's context menu on a finished run:
//    nothing upstream of the chosen step calls the LLM;
//  - a run exported from one studio (in replay mode, or live: its LLM answers become the
//    file's entries) opens in a second studio with an empty replay cache
//    and another model, and Re-run Shown Run in replay mode answers it from the file's
//    entries: the same answer, zero LLM calls, the second cache still empty.
#include "tests/support/openaistubserver.h"
#include "tests/ui/profiledstudio.h"
#include "ui/history/historylistmodel.h"
#include "ui/history/historypanel.h"
#include "ui/history/runcompareview.h"
#include "ui/request/modeswitch.h"
#include "ui/run/runcontroller.h"
#include "ui/steps/steptreemodel.h"
#include "ui/window/historyworkflow.h"

#include "core/cache/sqlite/sqlitereplaycache.h"
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
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

namespace {

// One studio as app/studio composes it, its engine on `llm`, its history and replay cache
// in `dir`.
struct Studio
{
    Studio(const QTemporaryDir &dir, const QString &name, const test::OpenAiStubServer &llm)
        : profiled(dir.filePath(name + u".ini"_s),
                   u"invoke-tests-donewhen-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces),
                   dir.filePath(name + u"-replay.sqlite"_s), {u":/bots"_s}),
          replayFile(dir.filePath(name + u"-replay.sqlite"_s))
    {
        profiled.local.setLlmSettings(LlmSettings{llm.baseUrl(), u"stub-model"_s, u"sk-test-donewhen-0123456789"_s, 60});
        window = profiled.window.get();
        const WindowAddOns addOns = installWindowAddOns(window, &profiled.profiles, &profiled.provider,
                                                        dir.filePath(name + u"-history.sqlite"_s));
        history = addOns.history;
        history->panel()->setReplayCacheUrl(replayFile);
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
};

QTEST_MAIN(TstHistoryDoneWhen)
#include "tst_historydonewhen.moc"
