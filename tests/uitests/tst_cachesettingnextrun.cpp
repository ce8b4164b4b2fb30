// A replay cache saved in Preferences serves the studio's next run at once, no restart:
// the real window, its Settings dialog (the real keychain, as scripts/test.sh runs it),
// the window's replayCacheSettingChanged wired to the embedded engine as app/studio/main.cpp
// wires it (core/backend/localcachesetting.h), and real replay runs against the OpenAI
// stub. A run already going when the cache changes keeps the cache it opened and records
// there; the next run records in the new one, and the one after replays from it.
#include "tests/ui/studiofixture.h"

#include "tests/support/openaistubserver.h"
#include "core/backend/invocation.h"
#include "core/backend/localcachesetting.h"
#include "core/cache/openreplaycache.h"
#include "ui/connection/settingsdialog.h"

#include <QtCore/QStandardPaths>
#include <QtTest/QSignalSpy>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;

namespace {

qint64 entriesIn(const QString &file)
{
    if (!QFileInfo::exists(file))
        return 0;
    QString error;
    auto store = cache::makeReplayCache(file, &error);
    if (!store || !store->open(&error)) {
        qWarning("%s", qPrintable(error));
        return -1;
    }
    return store->stats(&error).entries;
}

InvokeRequest replayRun(const QString &question)
{
    InvokeRequest request;
    request.botKey = u"chat"_s;
    request.messages = {Message::user(question)};
    request.mode = Mode::replay();
    return request;
}

// The llm.message step's source and error of a finished run.
std::pair<Source, QString> llmStep(QSignalSpy &finished)
{
    if (finished.isEmpty() && !finished.wait(60000))
        return {Source::Unknown, u"the run did not finish"_s};
    const InvokeResult result = finished.first().first().value<InvokeResult>();
    for (const StepRecord &step : result.steps)
        if (step.actionType == u"llm.message"_s)
            return {step.source, step.error};
    return {Source::Unknown, result.error};
}

} // namespace

class TstCacheSettingNextRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("DBUS_SESSION_BUS_ADDRESS is not set: the Settings dialog needs a D-Bus session with an "
                  "unlocked gnome-keyring (run the tests through scripts/test.sh).");
    }

    void savedCacheServesTheNextRun()
    {
        OpenAiStubServer llm;
        QVERIFY(llm.listen());
        LlmSettings provider;
        provider.baseUrl = llm.baseUrl();
        provider.model = u"stub-model"_s;
        StudioFixture studio({}, provider);
        LocalBackend &engine = studio.backend->local();
        const QString before = engine.replayCacheFile(); // the fixture's file
        const QString team = studio.dir.filePath(u"team-replay.sqlite"_s);
        ui::MainWindow *window = studio.open();
        QObject::connect(window, &ui::MainWindow::replayCacheSettingChanged, &engine,
                         [&] { useSavedReplayCache(&engine, studio.settings, &studio.secrets); });
        QSignalSpy changed(window, &ui::MainWindow::replayCacheSettingChanged);

        // A run that is going when the cache changes: held after its first delta.
        StubReply held = StubReply::text({u"Kept "_s, u"where it began."_s});
        held.holdAfter = 1;
        llm.setReply(held);
        Invocation *going = engine.invoke(replayRun(u"Which cache?"_s), this);
        QSignalSpy goingFinished(going, &Invocation::finished);
        QTRY_COMPARE_WITH_TIMEOUT(llm.requestCount(), 1, 30000); // it holds its cache by now

        // Edit > Preferences: another replay cache, saved.
        auto *settingsAction = window->findChild<QAction *>(u"settingsAction"_s);
        QVERIFY(settingsAction);
        settingsAction->trigger();
        auto *dialog = window->findChild<ui::SettingsDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->apiKeyField()->isEnabled() && dialog->cachePasswordField()->isEnabled());
        dialog->cacheUrlField()->setFocus();
        dialog->cacheUrlField()->selectAll();
        QTest::keyClicks(dialog->cacheUrlField(), team);
        QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
        QTRY_COMPARE(changed.count(), 1);
        QCOMPARE(engine.replayCacheFile(), team); // at once, no restart

        // The run that was going finishes in the cache it opened.
        llm.setReply(StubReply::text({u"Answered in the new cache."_s}));
        llm.release();
        const auto [goingSource, goingError] = llmStep(goingFinished);
        QVERIFY2(goingSource == Source::ReplayStored, qPrintable(goingError));
        QCOMPARE(entriesIn(before), 1);
        QCOMPARE(entriesIn(team), 0);

        // The next run, the same question: a miss in the new cache, recorded there...
        Invocation *next = engine.invoke(replayRun(u"Which cache?"_s), this);
        QSignalSpy nextFinished(next, &Invocation::finished);
        const auto [nextSource, nextError] = llmStep(nextFinished);
        QVERIFY2(nextSource == Source::ReplayStored, qPrintable(nextError));
        QCOMPARE(llm.requestCount(), 2);
        QCOMPARE(entriesIn(team), 1);
        QCOMPARE(entriesIn(before), 1);
        // ...and the one after replays from it.
        Invocation *third = engine.invoke(replayRun(u"Which cache?"_s), this);
        QSignalSpy thirdFinished(third, &Invocation::finished);
        const auto [thirdSource, thirdError] = llmStep(thirdFinished);
        QVERIFY2(thirdSource == Source::ReplayHit, qPrintable(thirdError));
        QCOMPARE(llm.requestCount(), 2);

        // Saved again unchanged: nothing to say, the engine keeps its cache.
        settingsAction->trigger();
        QTRY_VERIFY((dialog = window->findChild<ui::SettingsDialog *>()) && dialog->isVisible());
        QTRY_VERIFY(dialog->apiKeyField()->isEnabled() && dialog->cachePasswordField()->isEnabled());
        QCOMPARE(dialog->cacheUrlField()->text(), team);
        QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
        QTRY_VERIFY(!dialog->isVisible());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(engine.replayCacheFile(), team);
    }
};

QTEST_MAIN(TstCacheSettingNextRun)
#include "tst_cachesettingnextrun.moc"
