// The mock tools on a server profile: a real invoke-server on a free port, the studio
// switched to it in the toolbar's profile box; the coverage table, the per-step schema
// checks of the open mock set and the "steps without a mock" warning are then exactly
// what the embedded engine shows for the same bots (the plan comes from
// GET /bots/{key}/plan, not from a bot file read by the studio).
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"
#include "tests/ui/profiledstudio.h"
#include "tests/ui/studiofixture.h"
#include "ui/request/botpicker.h"
#include "ui/request/composer.h"
#include "ui/mocks/mockcoveragemodel.h"
#include "ui/mocks/mockkeylistmodel.h"
#include "ui/mocks/mocksetdocument.h"
#include "ui/mocks/mockseteditor.h"
#include "ui/window/mockworkflow.h"
#include "ui/request/modeswitch.h"

#include <QtCore/QUuid>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QtTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTreeView>

#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QString kToken = u"tok-studio-mocks-0123456789"_s;
const QString kProfile = u"mock server"_s;

// The bots of the mock tests (nested sub-bots, handlers, a template bot_key), on both sides.
QStringList botFolders()
{
    return {u":/bots"_s, test::sourcePath(u"tests/data/mocks/bots"_s)};
}

// The studio with the mock editor's models under test.
struct Studio : test::ProfiledStudio
{
    Studio(const QString &settingsFile, const QString &service, const QString &cacheFile)
        : ProfiledStudio(settingsFile, service, cacheFile, botFolders())
    {
        editor = window->mockWorkflow()->editor();
        coverageTester = std::make_unique<QAbstractItemModelTester>(
            editor->coverageModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        keysTester = std::make_unique<QAbstractItemModelTester>(editor->keyModel(),
                                                                QAbstractItemModelTester::FailureReportingMode::QtTest);
        open();
    }

    ui::MockSetEditor *editor = nullptr;
    std::unique_ptr<QAbstractItemModelTester> coverageTester;
    std::unique_ptr<QAbstractItemModelTester> keysTester;
};

QString coverageNote(ui::MockSetEditor *editor)
{
    auto *note = editor->findChild<QLabel *>(u"mockCoverageNote"_s);
    return note ? note->text() : u"(no note)"_s;
}

// Everything the mock tab shows about the bot: each coverage row (its cells, tooltip,
// answer and answering key), the steps without a mock, and each key's problem.
QString mockTabState(ui::MockSetEditor *editor)
{
    QStringList lines{coverageNote(editor)};
    const ui::MockCoverageModel *model = editor->coverageModel();
    for (int row = 0; row < model->rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < model->columnCount(); ++column)
            cells << model->index(row, column).data().toString();
        const QModelIndex first = model->index(row, 0);
        cells << first.data(Qt::ToolTipRole).toString() << first.data(ui::MockCoverageModel::AnswerRole).toString()
              << first.data(ui::MockCoverageModel::MockKeyRole).toString();
        lines << cells.join(u" | "_s);
    }
    lines << u"uncovered: "_s + model->uncoveredSteps().join(u", "_s);
    const ui::MockSetDocument *document = editor->document();
    for (int row = 0; row < document->count(); ++row)
        lines << u"key %1: %2 %3 (type %4)"_s.arg(document->entry(row).key)
                     .arg(int(document->problem(row).kind))
                     .arg(document->problem(row).message, editor->actionTypeOf(document->entry(row).key));
    return lines.join(u'\n');
}

// Clicks Invoke in Manual mode: the warning box's text (Cancel is clicked), or empty.
QString warningOnInvoke(ui::MainWindow *window)
{
    window->modeSwitch()->setMode(Mode::manual());
    window->composer()->setText(u"Tea?"_s);
    test::clickAction(window, window->invokeAction());
    QMessageBox *box = nullptr;
    if (!QTest::qWaitFor([&] { return (box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) != nullptr; }))
        return {};
    const QString text = box->objectName() + u": "_s + box->text();
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    [&] { QTRY_VERIFY(!QApplication::activeModalWidget()); }();
    return text;
}

} // namespace

class TestRemoteMocks : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<test::ServerProcess> m_server;
    QString m_service = u"invoke-studio-test-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("this test keeps a token in the keychain: run it through scripts/test.sh (a D-Bus session "
                  "with an unlocked gnome-keyring)");
        QStandardPaths::setTestModeEnabled(true);
        QFile tokens(m_dir.filePath(u"tokens"_s));
        QVERIFY(tokens.open(QIODevice::WriteOnly));
        tokens.write(kToken.toUtf8() + " studio-test\n");
        tokens.close();
        m_server = std::make_unique<test::ServerProcess>(
            QStringList{u"--tokens"_s, tokens.fileName(), u"--cache"_s, m_dir.filePath(u"server.sqlite"_s),
                        u"--bots-dir"_s, test::sourcePath(u"tests/data/mocks/bots"_s)},
            test::ServerProcess::scratchEnvironment(m_dir.filePath(u"server-home"_s)));
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        if (m_server)
            QCOMPARE(m_server->terminate(), 0);
    }

    void coverageOnAServerIsTheEmbeddedOne()
    {
        // One mock set for both bots: a step mock whose output misses its schema, a
        // misspelt key, a step mock on a sub-bot (its steps bypassed), an error mock and
        // an action-type mock.
        const QString mocks = m_dir.filePath(u"tools.mocks.json"_s);
        QFile file(mocks);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({
  "gahter": {"status": "success", "output": {"content": "typo"}},
  "gather": {"status": "success", "output": {"text": "no content member"}},
  "memory.search": {"status": "success", "output": {"memories": []}},
  "plan": {"status": "error", "error": "rate limited"},
  "research": {"status": "success", "output": {"content": "the sub-bot answer"}}
}
)");
        file.close();
        const QStringList bots{u"research-assistant"_s, u"outer"_s};

        Studio studio(m_dir.filePath(u"studio.ini"_s), m_service, m_dir.filePath(u"local.sqlite"_s));
        ui::MainWindow *window = studio.window.get();
        QCOMPARE(studio.switcher->currentProfile(), u"Embedded"_s);
        QVERIFY(studio.editor->openFileNow(mocks));
        QMap<QString, QString> embedded, embeddedWarning;
        for (const QString &bot : bots) {
            test::pickBot(window, bot);
            QTRY_VERIFY_WITH_TIMEOUT(coverageNote(studio.editor).startsWith(u"Bot "_s), 20000);
            embedded[bot] = mockTabState(studio.editor);
            embeddedWarning[bot] = warningOnInvoke(window);
        }
        // What the tools say locally, so the comparison below is of something.
        QVERIFY2(embedded[u"research-assistant"_s].contains(u"summarise/answer | llm.message | nothing"_s),
                 qPrintable(embedded[u"research-assistant"_s]));
        QVERIFY2(embedded[u"research-assistant"_s].contains(u"unknown step: \"gahter\""_s),
                 qPrintable(embedded[u"research-assistant"_s]));
        QVERIFY2(embedded[u"outer"_s].contains(u"research/deep/answer | llm.message | not reached"_s),
                 qPrintable(embedded[u"outer"_s]));
        QVERIFY2(embeddedWarning[u"research-assistant"_s].startsWith(u"coverageWarningBox: "_s)
                     && embeddedWarning[u"research-assistant"_s].contains(u"“summarise/answer”"_s),
                 qPrintable(embeddedWarning[u"research-assistant"_s]));
        QVERIFY2(embeddedWarning[u"outer"_s].contains(u"“apology” (if reached)"_s),
                 qPrintable(embeddedWarning[u"outer"_s]));

        // The server profile (its token in the keychain), chosen in the toolbar.
        QVERIFY(studio.profiles.save(Profile{kProfile, m_server->url({})}));
        bool written = false;
        studio.profiles.writeToken(kProfile, kToken, window, [&](const SecretResult &r) {
            QVERIFY2(r.ok(), qPrintable(r.error));
            written = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(written, 20000);
        studio.switcher->reload();
        QSignalSpy botsLoaded(window, &ui::MainWindow::botsLoaded);
        QComboBox *combo = studio.switcher->combo();
        combo->setFocus();
        QTest::keyClick(combo, Qt::Key_Down);
        QTRY_COMPARE_WITH_TIMEOUT(studio.switcher->currentProfile(), kProfile, 20000);
        QVERIFY(!studio.provider.isEmbedded());
        QTRY_VERIFY_WITH_TIMEOUT(botsLoaded.count() >= 1, 20000);
        for (const BotInfo &bot : window->botPicker()->listing().bots)
            QVERIFY(bot.sourceFile.isEmpty()); // listed by the server: no bot file to read here

        for (const QString &bot : bots) {
            const QString asked = u"GET /bots/%1/plan 200 org=studio-test"_s.arg(bot);
            const qsizetype before = m_server->log().count(asked);
            test::pickBot(window, bot);
            QTRY_VERIFY_WITH_TIMEOUT(m_server->log().count(asked) > before, 20000);
            QTRY_COMPARE_WITH_TIMEOUT(mockTabState(studio.editor), embedded[bot], 20000);
            QCOMPARE(warningOnInvoke(window), embeddedWarning[bot]);
        }
        QCOMPARE(studio.editor->actionTypeOf(u"summarise/answer"_s), QString()); // outer is shown now
        QCOMPARE(studio.editor->actionTypeOf(u"research/deep/answer"_s), u"llm.message"_s);

        // A bot the server does not have: no coverage, and the note says why.
        studio.editor->setBot(u"no-such-bot"_s, window->backend());
        QTRY_VERIFY_WITH_TIMEOUT(coverageNote(studio.editor).contains(u"bot \"no-such-bot\" not found"_s), 20000);
        QCOMPARE(studio.editor->coverageModel()->rowCount(), 0);

        bool removed = false;
        studio.profiles.removeToken(kProfile, window, [&](const SecretResult &) { removed = true; });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 20000);
    }
};

QTEST_MAIN(TestRemoteMocks)
#include "tst_remotemocks.moc"
