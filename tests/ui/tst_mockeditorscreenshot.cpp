// Renders the studio with the Mock set tab open to <build>/screenshots/: a run of the
// ticket-triage example saved as a mock set (mockeditor.png), and the same key with
// JSON that does not parse (mockeditor-error.png), for the docs and for looking at.
#include "studiofixture.h"

#include "ui/request/botpicker.h"
#include "ui/request/composer.h"
#include "ui/mocks/mockentryview.h"
#include "ui/mocks/mockseteditor.h"
#include "ui/mocks/mocksetdocument.h"
#include "ui/window/mockworkflow.h"
#include "ui/request/modeswitch.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtGui/QAction>
#include <QtTest/QSignalSpy>
#include <QtWidgets/QApplication>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStyleFactory>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;

class TstMockEditorScreenshot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
    }

    void render()
    {
        StudioFixture studio;
        ui::MainWindow *window = studio.open();
        QSignalSpy finished(window, &ui::MainWindow::runFinished);
        QTRY_VERIFY(!window->botPicker()->listing().bots.isEmpty());
        window->botPicker()->selectBot(u"ticket-triage"_s);
        window->modeSwitch()->setMode(Mode::manual());
        window->modeSwitch()->setMockFile(ui::ModeSwitch::bundledMockFile(u"ticket-triage"_s));
        window->composer()->setText(u"I was charged twice for the annual plan!"_s);
        QTest::keyClick(window->composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE(finished.count(), 1);

        ui::MockSetEditor *editor = window->mockWorkflow()->editor();
        window->mockWorkflow()->saveRunAction()->trigger();
        QTRY_COMPARE(editor->document()->count(), 1);
        // Wide enough to read the editor: the conversation gives way.
        window->findChild<QSplitter *>(u"mainSplitter"_s)->setSizes({260, 430, 750});

        const QString folder = QStringLiteral(INVOKE_BIN_DIR) + u"/../screenshots"_s;
        QVERIFY(QDir().mkpath(folder));
        auto save = [&](const QString &name) {
            const QImage image = window->grab().toImage();
            QVERIFY(image.width() >= 1200 && image.height() >= 700);
            QVERIFY(image.save(folder + u'/' + name));
            qInfo("rendered %s", qPrintable(QDir::cleanPath(folder + u'/' + name)));
        };
        save(u"mockeditor.png"_s);

        QPlainTextEdit *output = editor->entryView()->outputEdit();
        // A member typed without quotes around its value, after "finish_reason".
        QTextCursor cursor = output->textCursor();
        cursor.setPosition(int(output->toPlainText().indexOf(u"\"stop\","_s)) + 7);
        output->setTextCursor(cursor);
        output->setFocus();
        QTest::keyClick(output, Qt::Key_Return);
        QTest::keyClicks(output, u"  \"note\": oops,"_s);
        QCOMPARE(editor->document()->problem(0).kind, ui::MockEntryProblem::Syntax);
        save(u"mockeditor-error.png"_s);
    }
};

QTEST_MAIN(TstMockEditorScreenshot)
#include "tst_mockeditorscreenshot.moc"
