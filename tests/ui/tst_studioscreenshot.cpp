// Renders the window after a finished run to <build>/screenshots/studio.png (light) and
// studio-dark.png (dark palette), for the docs and for looking at: run it, open them.
#include "studiofixture.h"

#include "ui/request/botpicker.h"
#include "ui/request/composer.h"
#include "ui/request/modeswitch.h"
#include "ui/steps/steptreemodel.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtGui/QPalette>
#include <QtTest/QSignalSpy>
#include <QtWidgets/QApplication>
#include <QtWidgets/QPlainTextEdit>
#include "ui/run/transcriptview.h"
#include <QtWidgets/QStyleFactory>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;

namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2c));
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x3b, 0x7d, 0xd8));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8f, 0x98));
    p.setColor(QPalette::Link, QColor(0x6a, 0xb0, 0xff));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    return p;
}

} // namespace

class TstStudioScreenshot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
    }

    void render_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void render()
    {
        QFETCH(bool, dark);
        const QPalette original = QApplication::palette();
        if (dark)
            QApplication::setPalette(darkPalette());

        StudioFixture studio;
        ui::MainWindow *window = studio.open();
        QSignalSpy finished(window, &ui::MainWindow::runFinished);
        QTRY_VERIFY(!window->botPicker()->listing().bots.isEmpty());
        window->botPicker()->selectBot(u"research-assistant"_s);
        window->modeSwitch()->setMode(Mode::manual());
        window->modeSwitch()->setMockFile(ui::ModeSwitch::bundledMockFile(u"research-assistant"_s));
        window->composer()->setText(u"How do green and black tea differ?"_s);
        QTest::keyClick(window->composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE(finished.count(), 1);
        window->composer()->setText(u"And which has more caffeine?"_s);
        const QModelIndex gather = window->stepModel()->indexOfPath(u"gather"_s);
        window->stepView()->setCurrentIndex(gather);
        // The transcript renders on its frame timer: wait for the finished answer.
        QTRY_VERIFY(window->transcriptView()->toPlainText().contains(u"How do green"_s));
        QTRY_VERIFY(window->transcriptView()->toPlainText().contains(u"a little more caffeine"_s));

        const QString folder = QStringLiteral(INVOKE_BIN_DIR) + u"/../screenshots"_s;
        QVERIFY(QDir().mkpath(folder));
        const QString file = folder + (dark ? u"/studio-dark.png"_s : u"/studio.png"_s);
        const QImage image = window->grab().toImage();
        QVERIFY(image.width() >= 1200 && image.height() >= 700);
        QVERIFY(image.save(file));
        qInfo("rendered %s", qPrintable(QDir::cleanPath(file)));
        QApplication::setPalette(original);
    }
};

QTEST_MAIN(TstStudioScreenshot)
#include "tst_studioscreenshot.moc"
