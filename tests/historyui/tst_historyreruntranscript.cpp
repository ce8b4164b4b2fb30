// The transcript after a re-run of a recorded run (ui/window/historyworkflow): Run ▸
// Re-run Shown Run of a reopened History run or of a run file opened by File ▸ Open, the
// History panel's Re-run and Re-run from Selected Step show the conversation that was sent
// (the request's messages, the user's and the assistant's earlier answers) and then the new
// answer, as a normal Invoke shows its message and answer. Real window, real embedded
// engine in manual mode (no LLM), real SQLite history, QAbstractItemModelTester on the
// transcript model.
#include "tests/ui/profiledstudio.h"
#include "ui/history/historylistmodel.h"
#include "ui/history/historypanel.h"
#include "ui/request/botpicker.h"
#include "ui/request/modeswitch.h"
#include "ui/run/runcontroller.h"
#include "ui/run/transcriptmodel.h"
#include "ui/steps/steptreemodel.h"
#include "ui/window/historyworkflow.h"

#include "core/history/runhistory.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

namespace {

// A second turn of a conversation with the bundled chat bot, answered by a manual mock.
InvokeRequest chat(const QString &answer)
{
    InvokeRequest r;
    r.botKey = u"chat"_s;
    r.messages = {Message::user(u"Is tea a drink?"_s), Message::assistant(u"Yes, tea is a drink."_s),
                  Message::user(u"Made from what?"_s)};
    r.mode = Mode::manual();
    r.manualMocks.insert(u"answer"_s, MockResponse{true, Json{{"content", toStd(answer)}}, {}});
    return r;
}

// "speaker: text" of each turn.
QStringList rows(const TranscriptModel *model)
{
    QStringList out;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex index = model->index(r, 0);
        out << index.data(TranscriptModel::SpeakerRole).toString() + u": "_s + index.data().toString();
    }
    return out;
}

const QStringList kSent{u"user: Is tea a drink?"_s, u"assistant: Yes, tea is a drink."_s, u"user: Made from what?"_s};

struct Studio
{
    explicit Studio(const QTemporaryDir &dir, const QString &name)
        : profiled(dir.filePath(name + u".ini"_s),
                   u"invoke-tests-reruntranscript-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces),
                   dir.filePath(name + u"-replay.sqlite"_s), {u":/bots"_s})
    {
        window = profiled.window.get();
        const WindowAddOns addOns = installWindowAddOns(window, &profiled.profiles, &profiled.provider,
                                                        dir.filePath(name + u"-history.sqlite"_s));
        history = addOns.history;
        tester = std::make_unique<QAbstractItemModelTester>(window->transcriptModel(),
                                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        window->resize(1440, 900);
        window->show();
    }
    // The window's bots are listed (the picker chose one): nothing switches the transcript later.
    bool waitForBots()
    {
        QSignalSpy loaded(window, &MainWindow::botsLoaded);
        return !window->botPicker()->currentKey().isEmpty() || loaded.wait(30000);
    }
    // The newest run in the History panel.
    QString newestId() const
    {
        history->panel()->refresh();
        return history->panel()->model()->index(0, 0).data(HistoryListModel::InvocationIdRole).toString();
    }
    // Runs `request` as the tests' runs do and waits until it is recorded.
    bool run(const InvokeRequest &request)
    {
        QSignalSpy finished(window->runs(), &RunController::finished);
        QSignalSpy recorded(history->history(), &history::RunHistory::runRecorded);
        window->runs()->start(request, request.query());
        return finished.wait(60000) && (recorded.size() > 0 || recorded.wait(30000));
    }

    test::ProfiledStudio profiled;
    MainWindow *window = nullptr;
    HistoryWorkflow *history = nullptr;
    std::unique_ptr<QAbstractItemModelTester> tester;
};

// Triggers `act` and waits for the run it starts to finish.
bool rerunAndWait(MainWindow *window, const std::function<void()> &act)
{
    QSignalSpy finished(window->runs(), &RunController::finished);
    act();
    return finished.wait(60000) && finished.first().first().value<InvokeResult>().success;
}

} // namespace

class TstHistoryRerunTranscript : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<InvokeResult>();
    }

    void rerunOfAReopenedRunShowsTheConversationSent()
    {
        Studio studio(m_dir, u"reopened"_s);
        QVERIFY(studio.waitForBots());
        QVERIFY(studio.run(chat(u"From leaves."_s)));
        // Another bot's conversation is shown when the run is reopened: the run comes back
        // in its own bot's.
        BotPicker *picker = studio.window->botPicker();
        QVERIFY(picker->selectBot(u"summariser"_s));
        QCOMPARE(studio.window->transcriptModel()->rowCount(), 0);
        studio.history->panel()->select({studio.newestId()});
        QVERIFY(studio.history->panel()->reopenSelected());
        QCOMPARE(picker->currentKey(), u"chat"_s);
        QCOMPARE(rows(studio.window->transcriptModel()), kSent + QStringList{u"assistant: From leaves."_s});
        // Run again: the messages sent, then the new answer (not the old answer and the
        // question once more).
        studio.window->modeSwitch()->setMode(Mode::manual());
        QVERIFY(rerunAndWait(studio.window, [&] { studio.history->rerunShownAction()->trigger(); }));
        QCOMPARE(rows(studio.window->transcriptModel()), kSent + QStringList{u"assistant: From leaves."_s});
        // The next Invoke sends that conversation.
        QCOMPARE(studio.window->transcriptModel()->conversation().size(), 4);
        const QString shots = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR", QDir::tempPath());
        QDir().mkpath(shots);
        QVERIFY(studio.window->grab().save(shots + u"/studio-rerun-transcript.png"_s));
        QVERIFY(picker->selectBot(u"summariser"_s));
        QCOMPARE(studio.window->transcriptModel()->rowCount(), 0);
    }

    void rerunOfTheHistoryPanelShowsTheConversationSent()
    {
        Studio studio(m_dir, u"panel"_s);
        QVERIFY(studio.waitForBots());
        QVERIFY(studio.run(chat(u"From leaves."_s)));
        studio.window->newConversationAction()->trigger();
        QVERIFY(studio.window->botPicker()->selectBot(u"summariser"_s));
        studio.history->panel()->select({studio.newestId()});
        QVERIFY(rerunAndWait(studio.window, [&] { QVERIFY(studio.history->panel()->rerunSelected()); }));
        QCOMPARE(studio.window->botPicker()->currentKey(), u"chat"_s);
        QCOMPARE(rows(studio.window->transcriptModel()), kSent + QStringList{u"assistant: From leaves."_s});
    }

    void rerunOfARunFileShowsTheConversationSent()
    {
        const QString file = m_dir.filePath(u"chat.invokerun"_s);
        {
            Studio first(m_dir, u"exporter"_s);
            QVERIFY(first.waitForBots());
            QVERIFY(first.run(chat(u"From leaves."_s)));
            first.history->panel()->select({first.newestId()});
            QVERIFY2(first.history->panel()->exportSelected(file), qPrintable(first.history->panel()->lastMessage()));
        }
        // Opened in another studio right away, before its bots are listed.
        Studio second(m_dir, u"opener"_s);
        QVERIFY(second.history->openRunFile(file));
        QCOMPARE(rows(second.window->transcriptModel()), kSent + QStringList{u"assistant: From leaves."_s});
        // The bots listed meanwhile: the run's bot is picked, its conversation is the file's.
        QVERIFY(second.waitForBots());
        QCOMPARE(second.window->botPicker()->currentKey(), u"chat"_s);
        QCOMPARE(rows(second.window->transcriptModel()), kSent + QStringList{u"assistant: From leaves."_s});
        second.window->modeSwitch()->setMode(Mode::manual());
        QVERIFY(rerunAndWait(second.window, [&] { second.history->rerunShownAction()->trigger(); }));
        QCOMPARE(rows(second.window->transcriptModel()), kSent + QStringList{u"assistant: From leaves."_s});

        // Re-run at once, before the bots are listed: the listing arriving during or after
        // the run neither empties the transcript nor moves the run to another bot.
        Studio third(m_dir, u"hasty"_s);
        QVERIFY(third.history->openRunFile(file));
        third.window->modeSwitch()->setMode(Mode::manual());
        QVERIFY(rerunAndWait(third.window, [&] { third.history->rerunShownAction()->trigger(); }));
        QVERIFY(third.waitForBots());
        QCOMPARE(third.window->botPicker()->currentKey(), u"chat"_s);
        QCOMPARE(rows(third.window->transcriptModel()), kSent + QStringList{u"assistant: From leaves."_s});
    }

    void rerunFromSelectedStepShowsTheConversationSent()
    {
        Studio studio(m_dir, u"fork"_s);
        QVERIFY(studio.waitForBots());
        QVERIFY(studio.run(chat(u"From leaves."_s)));
        studio.window->modeSwitch()->setMode(Mode::manual());
        QVERIFY(rerunAndWait(studio.window, [&] {
            QVERIFY(studio.history->forkFrom(u"answer"_s, Json{{"content", "From dried leaves."}}));
        }));
        QCOMPARE(rows(studio.window->transcriptModel()), kSent + QStringList{u"assistant: From dried leaves."_s});
    }
};

QTEST_MAIN(TstHistoryRerunTranscript)
#include "tst_historyreruntranscript.moc"
