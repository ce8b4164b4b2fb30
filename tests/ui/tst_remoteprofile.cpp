// The studio on a server: a real invoke-server on a free port, a profile saved through
// the profiles dialog (token into the real keychain), the profile chosen in the
// toolbar's switcher; the bundled chat example then runs in manual mode over HTTP and
// fills the step tree and the transcript exactly as the embedded engine does. The
// choice survives a restart, and "copy as code" addresses the server.
#include "tests/support/testpaths.h"
#include "tests/ui/modeldump.h"
#include "tests/ui/profiledstudio.h"
#include "tests/ui/studiofixture.h"
#include "ui/request/botpicker.h"
#include "ui/request/composer.h"
#include "ui/request/copyascode.h"
#include "ui/window/mockworkflow.h"
#include "ui/request/modeswitch.h"
#include "ui/connection/profilesdialog.h"
#include "ui/steps/steptreemodel.h"
#include "ui/run/transcriptmodel.h"

#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QUuid>
#include <QtGui/QClipboard>
#include <QtGui/QGuiApplication>
#include <QtTest/QtTest>
#include <QtTest/QAbstractItemModelTester>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QTreeView>

#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QString kToken = u"tok-studio-remote-0123456789"_s;

// The studio with the step tree and transcript models under test, and copy as code.
struct Studio : test::ProfiledStudio
{
    Studio(const QString &settingsFile, const QString &service, const QString &cacheFile)
        : ProfiledStudio(settingsFile, service, cacheFile, {u":/bots"_s})
    {
        stepsTester = std::make_unique<QAbstractItemModelTester>(window->stepModel());
        transcriptTester = std::make_unique<QAbstractItemModelTester>(window->transcriptModel());
        open();
    }

    std::unique_ptr<QAbstractItemModelTester> stepsTester;
    std::unique_ptr<QAbstractItemModelTester> transcriptTester;
};

// Runs the chat example in manual mode with its bundled mocks; returns the step tree.
QString runChat(ui::MainWindow *window, const QString &text)
{
    QSignalSpy finished(window, &ui::MainWindow::runFinished);
    test::pickBot(window, u"chat"_s);
    ui::ModeSwitch *mode = window->modeSwitch();
    mode->setMode(Mode::manual());
    mode->setMockFile(ui::ModeSwitch::bundledMockFile(u"chat"_s));
    QPlainTextEdit *editor = window->composer()->editor();
    editor->setFocus();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000); }();
    const auto result = finished.first().first().value<InvokeResult>();
    [&] { QVERIFY2(result.success, qPrintable(result.error)); }();
    // Without the durations: two runs of the same steps may take 0 ms and 1 ms.
    return test::dumpTree(window->stepModel(), {ui::StepTreeModel::DurationColumn});
}

} // namespace

class TestRemoteProfile : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcess m_server;
    QString m_endpoint;
    QString m_service = u"invoke-studio-test-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("this test keeps a token in the keychain: run it through scripts/test.sh (a D-Bus session "
                  "with an unlocked gnome-keyring)");
        QStandardPaths::setTestModeEnabled(true);
        const QString program = test::binDir() + u"/invoke-server"_s;
        QVERIFY2(QFileInfo::exists(program), "invoke-server is built with the tests");
        QFile tokens(m_dir.filePath(u"tokens"_s));
        QVERIFY(tokens.open(QIODevice::WriteOnly));
        tokens.write(kToken.toUtf8() + " studio-test\n");
        tokens.close();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CACHE_HOME"_s, m_dir.filePath(u"cache"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"data"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s));
        m_server.setProcessEnvironment(env);
        m_server.start(program, {u"--listen"_s, u"127.0.0.1:0"_s, u"--tokens"_s, tokens.fileName(), u"--cache"_s,
                                 m_dir.filePath(u"server.sqlite"_s)});
        QVERIFY2(m_server.waitForStarted(), qPrintable(m_server.errorString()));
        static const QRegularExpression listening(u"listening on (http://127\\.0\\.0\\.1:\\d+)"_s);
        QByteArray out;
        QRegularExpressionMatch match;
        QTRY_VERIFY_WITH_TIMEOUT((out += m_server.readAllStandardOutput(),
                                  match = listening.match(QString::fromUtf8(out)), match.hasMatch()), 20000);
        m_endpoint = match.captured(1);
    }

    void cleanupTestCase()
    {
        m_server.terminate();
        m_server.waitForFinished(20000);
    }

    void remoteRunMatchesEmbedded()
    {
        const QString settingsFile = m_dir.filePath(u"studio.ini"_s);
        QString embeddedTree;
        QString embeddedAnswer;
        {
            Studio studio(settingsFile, m_service, m_dir.filePath(u"local.sqlite"_s));
            ui::MainWindow *window = studio.window.get();
            QCOMPARE(studio.switcher->currentProfile(), u"Embedded"_s);
            embeddedTree = runChat(window, u"Hello! What can you do?"_s);
            embeddedAnswer = window->transcriptModel()->textAt(1);
            QVERIFY(!window->mockWorkflow()->secrets().contains(kToken));
            QVERIFY(embeddedAnswer.contains(u"I am the chat example"_s));

            // A profile, through the dialog: name, endpoint, token; saved, then tested.
            QTest::mouseClick(studio.switcher->editButton(), Qt::LeftButton);
            ui::ProfilesDialog *dialog = nullptr;
            QTRY_VERIFY((dialog = window->findChild<ui::ProfilesDialog *>()) != nullptr);
            QTest::keyClicks(dialog->nameField(), u"local server"_s);
            QTest::keyClicks(dialog->endpointField(), m_endpoint);
            QTest::keyClicks(dialog->tokenField(), kToken);
            QSignalSpy saved(dialog, &ui::ProfilesDialog::saved);
            QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
            QVERIFY2(dialog->statusText().contains(u"its token is in the keychain"_s), qPrintable(dialog->statusText()));
            QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(dialog->testResultText().contains(u"Connected to "_s), 20000);
            dialog->reject();
            studio.settings.sync();
            QFile file(settingsFile);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains(kToken.toUtf8()), "the token never reaches the settings file");

            // Switch in the toolbar: the bots come from the server now.
            QComboBox *combo = studio.switcher->combo();
            QCOMPARE(combo->count(), 2);
            QSignalSpy botsLoaded(window, &ui::MainWindow::botsLoaded);
            combo->setFocus();
            QTest::keyClick(combo, Qt::Key_Down);
            QTRY_COMPARE_WITH_TIMEOUT(studio.switcher->currentProfile(), u"local server"_s, 20000);
            QVERIFY(!studio.provider.isEmbedded());
            QTRY_VERIFY_WITH_TIMEOUT(botsLoaded.count() >= 1, 20000);
            QVERIFY(window->windowTitle().contains(m_endpoint));
            // A mock set saved from a run on the server masks the profile's token.
            QVERIFY(window->mockWorkflow()->secrets().contains(kToken));
            for (const BotInfo &bot : window->botPicker()->listing().bots)
                QVERIFY(bot.sourceFile.isEmpty()); // listed by the server, not read from files here

            window->newConversation();
            const QString remoteTree = runChat(window, u"Hello! What can you do?"_s);
            QCOMPARE(remoteTree, embeddedTree);
            QCOMPARE(window->transcriptModel()->rowCount(), 2);
            QCOMPARE(window->transcriptModel()->textAt(1), embeddedAnswer);

            // Copy as code addresses the server, with the token left in the environment.
            QVERIFY(window->composer()->text().isEmpty());
            QTest::keyClicks(window->composer()->editor(), u"Again"_s);
            studio.copyAsCode->copy(ui::CopyAsCode::Curl);
            const QString curl = QGuiApplication::clipboard()->text();
            QVERIFY2(curl.contains(m_endpoint + u"/bots/chat/invoke"_s), qPrintable(curl));
            QVERIFY(curl.contains(u"$INVOKE_AUTH_TOKEN"_s));
            QVERIFY(!curl.contains(kToken));
        }
        // The choice survives a restart.
        Studio again(settingsFile, m_service, m_dir.filePath(u"local.sqlite"_s));
        QTRY_COMPARE_WITH_TIMEOUT(again.switcher->currentProfile(), u"local server"_s, 20000);
        QCOMPARE(again.switcher->combo()->currentText(), u"local server"_s);
        // The embedded listing may come first (the window lists at once); the server's follows.
        QTRY_VERIFY_WITH_TIMEOUT(!again.window->botPicker()->listing().bots.isEmpty()
                                     && again.window->botPicker()->listing().bots.first().sourceFile.isEmpty(),
                                 20000);

        // Clean the keychain entry this test wrote.
        bool removed = false;
        again.profiles.removeToken(u"local server"_s, again.window.get(), [&](const SecretResult &) { removed = true; });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 20000);
    }
};

QTEST_MAIN(TestRemoteProfile)
#include "tst_remoteprofile.moc"
