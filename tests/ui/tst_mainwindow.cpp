// The studio's workflows, clicked through offscreen on the real engine: pick a bot,
// Manual mode with its mock set, invoke, read the tree, the transcript and the result;
// a second turn; Stop; invalid parameters; missing mocks; failures shown where they happen.
#include "studiofixture.h"

#include "tests/support/openaistubserver.h"
#include "ui/common/banner.h"
#include "ui/request/botpicker.h"
#include "ui/request/composer.h"
#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventsview.h"
#include "ui/request/modeswitch.h"
#include "ui/request/parametereditor.h"
#include "ui/request/parameterform.h"
#include "ui/run/resultview.h"
#include "ui/run/runcontroller.h"
#include "ui/run/runstatuspanel.h"
#include "ui/steps/stepdetailview.h"
#include "ui/steps/steptreemodel.h"
#include "ui/run/transcriptmodel.h"
#include "ui/run/transcriptview.h"

#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtTest/QSignalSpy>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTabBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;
using invoke::ui::MainWindow;

namespace {

// Manual mode by keyboard (End selects the last entry), then the bundled mock set.
void chooseManualWithBundledMocks(MainWindow *window)
{
    ui::ModeSwitch *mode = window->modeSwitch();
    mode->modeBox()->setFocus();
    QTest::keyClick(mode->modeBox(), Qt::Key_End);
    QCOMPARE(mode->mode(), Mode::manual());
    QTRY_VERIFY(mode->useBundledButton()->isVisible());
    QTest::mouseClick(mode->useBundledButton(), Qt::LeftButton);
    QVERIFY(mode->mockFile().startsWith(u":/mocks/"_s));
}

void sendWithCtrlEnter(MainWindow *window, const QString &text)
{
    QPlainTextEdit *editor = window->composer()->editor();
    editor->setFocus();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
}

} // namespace

class TstMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
    }

    void titleAndBots()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        // The profile's name; Qt adds the application's display name once.
        QCOMPARE(window->windowTitle(), studio.backend->displayName());
        QVERIFY(!window->windowTitle().contains(u"Invoke Studio"_s));
        QTRY_VERIFY(window->botPicker()->listing().bots.size() >= 4);
        pickBot(window, u"chat"_s);
        // The details show the parameter definitions and updated_at.
        const QString details = window->botPicker()->detailsText();
        QVERIFY2(details.contains(u"system_prompt"_s), qPrintable(details));
        QVERIFY2(details.contains(u"Updated: 20"_s), qPrintable(details));
        // The form is generated from them, defaults filled.
        auto *temperature = qobject_cast<QLineEdit *>(window->parameterEditor()->form()->fieldWidget(u"temperature"_s));
        QVERIFY(temperature);
        QCOMPARE(temperature->text(), u"0.7"_s);
    }

    void manualRunThenSecondTurnSendsHistory()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        QSignalSpy finished(window, &MainWindow::runFinished);
        pickBot(window, u"chat"_s);
        chooseManualWithBundledMocks(window);
        sendWithCtrlEnter(window, u"Hello there"_s);
        QTRY_COMPARE(finished.count(), 1);

        // The step tree: one step, succeeded, answered by the mock.
        ui::StepTreeModel *steps = window->stepModel();
        QCOMPARE(steps->rowCount(), 1);
        QCOMPARE(steps->index(0, ui::StepTreeModel::KeyColumn).data().toString(), u"answer"_s);
        QCOMPARE(steps->index(0, ui::StepTreeModel::StatusColumn).data().toString(), u"succeeded"_s);
        QCOMPARE(steps->index(0, ui::StepTreeModel::SourceColumn).data().toString(), u"mock"_s);

        // The transcript: the user's turn, then the answer.
        ui::TranscriptModel *transcript = window->transcriptModel();
        QCOMPARE(transcript->rowCount(), 2);
        QCOMPARE(transcript->textAt(0), u"Hello there"_s);
        QVERIFY(transcript->textAt(1).contains(u"I am the chat example"_s));
        QVERIFY(window->composer()->text().isEmpty());

        // The result, as text, and the status bar.
        QVERIFY2(window->resultView()->text().contains(u"I am the chat example"_s), qPrintable(window->resultView()->text()));
        QCOMPARE(window->runStatus()->stateText(), u"Succeeded"_s);
        QVERIFY(window->runStatus()->eventCountText().contains(u"event"_s));
        QVERIFY(window->runStatus()->invocationIdText() != u"starting…"_s);

        // Selecting the step shows its rendered parameters and output.
        clickIndex(window->stepView(), steps->index(0, 0));
        QVERIFY2(window->stepDetail()->parametersText().contains(u"You are a helpful assistant"_s),
                 qPrintable(window->stepDetail()->parametersText()));
        QVERIFY(window->stepDetail()->outputText().contains(u"I am the chat example"_s));

        // Second turn, from the toolbar: the conversation so far travels as messages.
        QTest::keyClicks(window->composer()->editor(), u"And again?"_s);
        clickAction(window, window->invokeAction());
        QTRY_COMPARE(finished.count(), 2);
        QCOMPARE(studio.backend->requests.size(), 2);
        const QList<Message> sent = studio.backend->requests.at(1).messages;
        QCOMPARE(sent.size(), 3);
        QCOMPARE(sent.at(0), Message::user(u"Hello there"_s));
        QCOMPARE(sent.at(1).role, u"assistant"_s);
        QVERIFY(sent.at(1).content.contains(u"I am the chat example"_s));
        QCOMPARE(sent.at(2), Message::user(u"And again?"_s));
        QCOMPARE(transcript->rowCount(), 4);
        // The view shows every turn once, in order, the answers as rendered Markdown.
        QTRY_COMPARE(window->transcriptView()->toPlainText().count(u"I am the chat example"_s), 2);
        const QString shown = window->transcriptView()->toPlainText();
        QCOMPARE(shown.count(u"You\n"_s), 2);
        QVERIFY2(shown.indexOf(u"Hello there"_s) < shown.indexOf(u"And again?"_s), qPrintable(shown));

        // New conversation starts over.
        clickAction(window, window->newConversationAction());
        QCOMPARE(transcript->rowCount(), 0);
        QVERIFY(transcript->conversation().isEmpty());
    }

    void eventsViewFiltersAsYouType()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        QSignalSpy finished(window, &MainWindow::runFinished);
        pickBot(window, u"research-assistant"_s);
        chooseManualWithBundledMocks(window);
        sendWithCtrlEnter(window, u"Tea?"_s);
        QTRY_COMPARE(finished.count(), 1);

        // Nested steps of the sub-bot sit under their bot.invoke step.
        ui::StepTreeModel *steps = window->stepModel();
        const QModelIndex summarise = steps->indexOfPath(u"summarise"_s);
        QVERIFY(summarise.isValid());
        QCOMPARE(steps->rowCount(summarise), 1);

        window->inspectorTabs()->setCurrentWidget(window->eventsView());
        ui::EventsView *events = window->eventsView();
        const int all = events->proxy()->rowCount();
        QVERIFY(all > 5);
        QTest::keyClicks(events->filterField(), u"type == \"step_finished\""_s);
        QTRY_VERIFY(events->proxy()->rowCount() < all);
        QCOMPARE(events->proxy()->rowCount(), 4); // announce, gather, summarise, summarise/answer
        clickIndex(events->view(), events->proxy()->index(0, 0));
        QVERIFY2(events->detailText().contains(u"\"step finished\""_s), qPrintable(events->detailText()));
    }

    void stopKeepsPartialOutput()
    {
        OpenAiStubServer llm;
        QVERIFY(llm.listen());
        StubReply reply = StubReply::text({u"Partial "_s, u"answer "_s, u"never "_s, u"finished"_s});
        reply.stallAfter = 2; // the connection stays open, nothing more comes
        llm.setReply(reply);
        StudioFixture studio({}, LlmSettings{llm.baseUrl(), u"stub-model"_s, {}, 60});
        MainWindow *window = studio.open();
        QSignalSpy finished(window, &MainWindow::runFinished);
        pickBot(window, u"chat"_s);
        QCOMPARE(window->modeSwitch()->mode(), Mode::live());
        sendWithCtrlEnter(window, u"Tell me a long story"_s);

        ui::TranscriptModel *transcript = window->transcriptModel();
        QTRY_VERIFY(transcript->rowCount() == 2 && transcript->textAt(1) == u"Partial answer "_s);
        QVERIFY(window->stopAction()->isEnabled());
        QCOMPARE(window->runStatus()->stateText(), u"Running"_s);
        clickAction(window, window->stopAction());
        QTRY_COMPARE(finished.count(), 1);

        const auto result = finished.at(0).at(0).value<InvokeResult>();
        QVERIFY(result.cancelled);
        QCOMPARE(transcript->textAt(1), u"Partial answer "_s);
        QVERIFY(transcript->index(1).data(ui::TranscriptModel::CancelledRole).toBool());
        QCOMPARE(window->stepModel()->index(0, ui::StepTreeModel::StatusColumn).data().toString(), u"cancelled"_s);
        QCOMPARE(window->runStatus()->stateText(), u"Cancelled"_s);
        QTRY_VERIFY(window->transcriptView()->toPlainText().contains(u"stopped"_s));
        QVERIFY(window->transcriptView()->toPlainText().contains(u"Partial answer"_s));
        QVERIFY2(window->banner()->text().contains(u"Stopped"_s), qPrintable(window->banner()->text()));
        QVERIFY(!window->stopAction()->isEnabled());
        QVERIFY(window->invokeAction()->isEnabled());
    }

    void invalidParameterJsonBlocksInvokeAndKeepsText()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        pickBot(window, u"chat"_s);
        chooseManualWithBundledMocks(window);

        ui::ParameterEditor *parameters = window->parameterEditor();
        auto *tabs = parameters->findChild<QTabWidget *>(u"parameterTabs"_s);
        QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(1).center());
        QPlainTextEdit *raw = parameters->rawEditor();
        raw->setFocus();
        QTest::keyClick(raw, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(raw, Qt::Key_Delete);
        const QString broken = u"{\"temperature\": 0.2,\n \"system_prompt\": \"Be terse\""_s; // no closing brace
        QTest::keyClicks(raw, broken.section(u'\n', 0, 0));
        QTest::keyClick(raw, Qt::Key_Return);
        QTest::keyClicks(raw, broken.section(u'\n', 1));
        QCOMPARE(raw->toPlainText(), broken);
        auto *inlineError = parameters->findChild<QLabel *>(u"parametersJsonError"_s);
        QVERIFY(inlineError->isVisible());
        QVERIFY2(inlineError->text().contains(u"line"_s), qPrintable(inlineError->text()));

        QTest::keyClicks(window->composer()->editor(), u"Keep me"_s);
        clickAction(window, window->invokeAction());
        QVERIFY(studio.backend->requests.isEmpty());
        QVERIFY2(window->banner()->text().contains(u"JSON"_s), qPrintable(window->banner()->text()));
        QCOMPARE(window->banner()->kind(), ui::Banner::Error);
        QCOMPARE(raw->toPlainText(), broken);            // the JSON as typed
        QCOMPARE(window->composer()->text(), u"Keep me"_s); // and the message

        // Fixed: the form follows, and the run goes.
        QSignalSpy finished(window, &MainWindow::runFinished);
        raw->moveCursor(QTextCursor::End);
        QTest::keyClicks(raw, u"}"_s);
        QVERIFY(parameters->problem().isEmpty());
        auto *prompt = qobject_cast<QLineEdit *>(parameters->form()->fieldWidget(u"system_prompt"_s));
        QCOMPARE(prompt->text(), u"Be terse"_s);
        QTest::keyClick(window->composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(studio.backend->requests.size(), 1);
        const Json sentParameters = studio.backend->requests.at(0).parameters;
        QVERIFY2(sentParameters == Json::parse(R"({"temperature": 0.2, "system_prompt": "Be terse"})"),
                 sentParameters.dump().c_str());
    }

    void invalidNumberInTheFormIsFlagged()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        pickBot(window, u"summariser"_s);
        auto *field = qobject_cast<QLineEdit *>(window->parameterEditor()->form()->fieldWidget(u"max_sentences"_s));
        QVERIFY(field);
        field->setFocus();
        field->selectAll();
        QTest::keyClicks(field, u"-"_s); // accepted while typing, not a number yet
        QVERIFY2(!window->parameterEditor()->problem().isEmpty(), "a lone minus sign is not a whole number");
        QTest::keyClicks(field, u"3"_s);
        QVERIFY(window->parameterEditor()->problem().isEmpty());
        QVERIFY(window->parameterEditor()->rawText().contains(u"\"max_sentences\": -3"_s));
    }

    void manualWithoutMockSetSaysWhatIsMissing()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        pickBot(window, u"chat"_s);
        window->modeSwitch()->modeBox()->setFocus();
        QTest::keyClick(window->modeSwitch()->modeBox(), Qt::Key_End);
        sendWithCtrlEnter(window, u"Hi"_s);
        QVERIFY(studio.backend->requests.isEmpty());
        QVERIFY2(window->banner()->text().contains(u"needs a mock set"_s), qPrintable(window->banner()->text()));
        QCOMPARE(window->composer()->text(), u"Hi"_s);
    }

    void unreachableLlmFailsTheStepVisibly()
    {
        // A port nothing listens on: the step fails, and the window points at it.
        StudioFixture studio({}, LlmSettings{u"http://127.0.0.1:9/v1"_s, u"m"_s, {}, 10});
        MainWindow *window = studio.open();
        QSignalSpy finished(window, &MainWindow::runFinished);
        pickBot(window, u"chat"_s);
        sendWithCtrlEnter(window, u"Anyone there?"_s);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QCOMPARE(window->runStatus()->stateText(), u"Failed"_s);
        const QString banner = window->banner()->text();
        QVERIFY2(banner.contains(u"answer"_s) && banner.contains(u"failed"_s), qPrintable(banner));
        QCOMPARE(window->stepView()->currentIndex().data(ui::StepTreeModel::PathRole).toString(), u"answer"_s);
        QVERIFY2(window->stepDetail()->headerText().contains(u"This step failed"_s),
                 qPrintable(window->stepDetail()->headerText()));
    }

    void unknownBotIsReported()
    {
        // The bot vanishes between the listing and the run.
        QTemporaryDir bots;
        QFile::copy(u":/bots/chat.bot.json"_s, bots.filePath(u"gone.bot.json"_s));
        QFile file(bots.filePath(u"gone.bot.json"_s));
        QVERIFY(file.open(QIODevice::ReadWrite));
        QByteArray text = file.readAll().replace("\"key\": \"chat\"", "\"key\": \"gone\"");
        file.resize(0);
        file.write(text);
        file.close();
        StudioFixture studio({}, {}, {bots.path()});
        MainWindow *window = studio.open();
        QSignalSpy finished(window, &MainWindow::runFinished);
        pickBot(window, u"gone"_s);
        QVERIFY(QFile::remove(bots.filePath(u"gone.bot.json"_s)));
        sendWithCtrlEnter(window, u"Hello?"_s);
        QTRY_COMPARE(finished.count(), 1);
        const QString banner = window->banner()->text();
        QVERIFY2(banner.contains(u"gone"_s) && banner.contains(u"not found"_s), qPrintable(banner));
    }

    void firstRunOffersTheExamplesInManualMode()
    {
        StudioFixture studio; // no provider configured
        MainWindow *window = studio.open();
        QSignalSpy finished(window, &MainWindow::runFinished);
        QTRY_VERIFY(!window->botPicker()->listing().bots.isEmpty());
        ui::Banner *banner = window->banner();
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(u"No LLM provider is configured"_s), qPrintable(banner->text()));
        QTest::mouseClick(banner->actionButton(), Qt::LeftButton);
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(finished.at(0).at(0).value<InvokeResult>().success);
        QCOMPARE(window->modeSwitch()->mode(), Mode::manual());
        QCOMPARE(window->transcriptModel()->rowCount(), 2);
    }

    void stateComesBackAfterRestart()
    {
        QTemporaryDir settingsDir;
        QList<int> sizes;
        {
            StudioFixture studio(settingsDir.path());
            MainWindow *window = studio.open();
            pickBot(window, u"summariser"_s);
            chooseManualWithBundledMocks(window);
            QTest::keyClicks(window->composer()->editor(), u"An unsent draft"_s);
            auto *split = window->findChild<QSplitter *>(u"mainSplitter"_s);
            split->setSizes({400, 500, 540});
            sizes = split->sizes();
            window->close();
        }
        StudioFixture studio(settingsDir.path());
        MainWindow *window = studio.open();
        QTRY_COMPARE(window->botPicker()->currentKey(), u"summariser"_s);
        QCOMPARE(window->modeSwitch()->mode(), Mode::manual());
        QCOMPARE(window->modeSwitch()->mockFile(), u":/mocks/summariser.mocks.json"_s);
        QCOMPARE(window->composer()->text(), u"An unsent draft"_s);
        QCOMPARE(window->findChild<QSplitter *>(u"mainSplitter"_s)->sizes(), sizes);
    }
};

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
