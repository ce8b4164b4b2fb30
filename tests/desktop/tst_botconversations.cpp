// One conversation per bot, clicked through on the real engine in Manual mode: switching
// bots starts a fresh conversation and never sends the previous bot's history; switching
// back brings that bot's conversation back, until New conversation. BotConversations
// alone too, on a TranscriptModel with QAbstractItemModelTester.
#include "tests/ui/studiofixture.h"

#include "ui/request/composer.h"
#include "ui/request/modeswitch.h"
#include "ui/run/transcriptmodel.h"
#include "ui/steps/steptreemodel.h"
#include "ui/window/botconversations.h"

#include <QtCore/QStandardPaths>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;
using invoke::ui::MainWindow;

namespace {

void useBundledMocks(MainWindow *window)
{
    ui::ModeSwitch *mode = window->modeSwitch();
    if (mode->mode().kind != Mode::Manual) {
        mode->modeBox()->setFocus();
        QTest::keyClick(mode->modeBox(), Qt::Key_End);
    }
    QCOMPARE(mode->mode(), Mode::manual());
    // The first time by the button; after a switch the bundled set follows the bot.
    const QString bundled = ui::ModeSwitch::bundledMockFile(window->botPicker()->currentKey());
    QTRY_VERIFY(mode->useBundledButton()->isVisible() || mode->mockFile() == bundled);
    if (mode->useBundledButton()->isVisible())
        QTest::mouseClick(mode->useBundledButton(), Qt::LeftButton);
    QCOMPARE(mode->mockFile(), bundled);
}

void send(MainWindow *window, const QString &text)
{
    QPlainTextEdit *editor = window->composer()->editor();
    editor->setFocus();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
}

} // namespace

class TstBotConversations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void keepsOneConversationPerBot()
    {
        ui::TranscriptModel transcript;
        QAbstractItemModelTester tester(&transcript, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ui::BotConversations conversations(&transcript);
        QVERIFY(!conversations.switchTo(u"chat"_s)); // the first bot picked: nothing switched away
        transcript.addUserTurn(u"hello chat"_s);
        QVERIFY(conversations.switchTo(u"summariser"_s));
        QCOMPARE(transcript.rowCount(), 0);
        transcript.addUserTurn(u"hello summariser"_s);
        QVERIFY(!conversations.switchTo(u"summariser"_s));
        QVERIFY(conversations.switchTo(u"chat"_s));
        QCOMPARE(transcript.rowCount(), 1);
        QCOMPARE(transcript.textAt(0), u"hello chat"_s);
        QCOMPARE(conversations.keptCount(), 1); // summariser's
        conversations.forget();
        QCOMPARE(transcript.rowCount(), 0);
        QVERIFY(conversations.switchTo(u"summariser"_s));
        QCOMPARE(transcript.textAt(0), u"hello summariser"_s);
        QVERIFY(conversations.switchTo(u"chat"_s));
        QCOMPARE(transcript.rowCount(), 0); // forgotten stays forgotten
    }

    void switchingBotsNeverCarriesAConversation()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        QSignalSpy finished(window, &MainWindow::runFinished);
        ui::TranscriptModel *transcript = window->transcriptModel();

        pickBot(window, u"chat"_s);
        useBundledMocks(window);
        send(window, u"Hello chat"_s);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(transcript->rowCount(), 2);

        // Another bot: a fresh conversation; its first request carries only its own message.
        pickBot(window, u"summariser"_s);
        QCOMPARE(transcript->rowCount(), 0);
        QCOMPARE(window->stepModel()->rowCount(), 0); // the other bot's run left the inspector
        QVERIFY(!window->rerunAction()->isEnabled()); // the last run was chat's
        useBundledMocks(window);
        send(window, u"Summarise this please"_s);
        QTRY_COMPARE(finished.count(), 2);
        QCOMPARE(studio.backend->requests.size(), 2);
        const InvokeRequest second = studio.backend->requests.at(1);
        QCOMPARE(second.botKey, u"summariser"_s);
        QCOMPARE(second.messages.size(), 1);
        QCOMPARE(second.messages.first(), Message::user(u"Summarise this please"_s));

        // Back to chat: its conversation again, and the next turn continues it.
        pickBot(window, u"chat"_s);
        QCOMPARE(transcript->rowCount(), 2);
        QCOMPARE(transcript->textAt(0), u"Hello chat"_s);
        useBundledMocks(window);
        send(window, u"And again"_s);
        QTRY_COMPARE(finished.count(), 3);
        const InvokeRequest third = studio.backend->requests.at(2);
        QCOMPARE(third.botKey, u"chat"_s);
        QCOMPARE(third.messages.size(), 3);
        QCOMPARE(third.messages.at(0), Message::user(u"Hello chat"_s));
        QCOMPARE(third.messages.at(2), Message::user(u"And again"_s));
        for (const Message &message : third.messages)
            QVERIFY2(!message.content.contains(u"Summarise"_s), qPrintable(message.content));

        // New conversation forgets chat's; summariser's is still there.
        QTest::keyClick(window->composer()->editor(), Qt::Key_N, Qt::ControlModifier);
        QCOMPARE(transcript->rowCount(), 0);
        pickBot(window, u"summariser"_s);
        QCOMPARE(transcript->rowCount(), 2);
        pickBot(window, u"chat"_s);
        QCOMPARE(transcript->rowCount(), 0);
    }
};

QTEST_MAIN(TstBotConversations)
#include "tst_botconversations.moc"
