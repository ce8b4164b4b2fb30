// Renders what a person sees of the desktop parts of the studio to <build>/screenshots/
// (desktop-*.png), to look at: the window with its menu bar, each menu open, About,
// Keyboard Shortcuts, Settings and Profiles (whose titles name the application once), the
// ticket-triage parameter form (a multi-line JSON field without a gap under it), a long
// result wrapped, and the dark theme. Each render also checks what it shows.
#include "tests/ui/studiofixture.h"

#include "core/config/profiles.h"
#include "ui/connection/profilesdialog.h"
#include "ui/connection/settingsdialog.h"
#include "ui/desktop/aboutdialog.h"
#include "ui/desktop/shortcutsdialog.h"
#include "ui/request/composer.h"
#include "ui/request/modeswitch.h"
#include "ui/request/parametereditor.h"
#include "ui/request/parameterform.h"
#include "ui/run/resultview.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtTest/QSignalSpy>
#include <QtWidgets/QApplication>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QStyleFactory>
#include <QtWidgets/QTabWidget>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;
using invoke::ui::MainWindow;
using invoke::ui::WindowMenu;

namespace {

QString save(QWidget *widget, const QString &name)
{
    const QString folder = QStringLiteral(INVOKE_BIN_DIR) + u"/../screenshots"_s;
    QDir().mkpath(folder);
    const QString file = QDir::cleanPath(folder + u"/desktop-"_s + name + u".png"_s);
    if (!widget->grab().save(file))
        return {};
    qInfo("rendered %s", qPrintable(file));
    return file;
}

// A window's own title: the desktop's platform plugin (xcb, wayland) appends " — " and the
// display name to it (QPlatformWindow::formatWindowTitle), so it must not name the
// application itself. The offscreen plugin shows it as it is.
QString shownTitle(QWidget *widget)
{
    return widget->windowTitle();
}

} // namespace

class TstDesktopScreenshots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        QGuiApplication::setApplicationDisplayName(u"Invoke Studio"_s);
        QCoreApplication::setApplicationVersion(u"0.1.0"_s);
    }

    void windowAndMenus()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        QTRY_VERIFY(!window->botPicker()->listing().bots.isEmpty());
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QWidget *prompt = nullptr;
        QTRY_VERIFY((prompt = window->parameterEditor()->form()->fieldWidget(u"system_prompt"_s)) && prompt->isVisible());
        QTest::qWait(100); // the form's scroll area lays it out on the next pass
        QVERIFY(!window->windowTitle().contains(u"Invoke Studio"_s));
        QVERIFY(!save(window, u"window"_s).isEmpty());
        for (const auto &[which, name] : {std::pair{WindowMenu::File, u"file"_s}, std::pair{WindowMenu::Edit, u"edit"_s},
                                          std::pair{WindowMenu::View, u"view"_s}, std::pair{WindowMenu::Run, u"run"_s},
                                          std::pair{WindowMenu::Help, u"help"_s}}) {
            QMenu *menu = window->menu(which);
            menu->popup(window->mapToGlobal(QPoint(10, 30)));
            QTRY_VERIFY(menu->isVisible());
            QVERIFY(!save(menu, u"menu-"_s + name).isEmpty());
            menu->close();
        }
    }

    void dialogs()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        ui::AboutDialog about(window);
        about.show();
        QVERIFY(QTest::qWaitForWindowExposed(&about));
        QCOMPARE(shownTitle(&about), u"About"_s);
        QVERIFY(!save(&about, u"about"_s).isEmpty());

        ui::ShortcutsDialog shortcuts(window, window);
        shortcuts.show();
        QVERIFY(QTest::qWaitForWindowExposed(&shortcuts));
        QCOMPARE(shownTitle(&shortcuts), u"Keyboard Shortcuts"_s);
        QVERIFY(!save(&shortcuts, u"shortcuts"_s).isEmpty());

        ui::SettingsDialog settings(&studio.settings, &studio.secrets, window);
        settings.show();
        QVERIFY(QTest::qWaitForWindowExposed(&settings));
        QCOMPARE(shownTitle(&settings), u"Settings"_s);
        QVERIFY(!save(&settings, u"settings"_s).isEmpty());

        ProfileStore profiles(&studio.settings, &studio.secrets);
        ui::ProfilesDialog profilesDialog(&profiles, window);
        profilesDialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&profilesDialog));
        QCOMPARE(shownTitle(&profilesDialog), u"Profiles"_s);
        QVERIFY(!save(&profilesDialog, u"profiles"_s).isEmpty());
    }

    void parameterFormWithMultiLineJson()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        pickBot(window, u"ticket-triage"_s);
        ui::ParameterForm *form = window->parameterEditor()->form();
        QWidget *teams = form->fieldWidget(u"teams"_s);
        QVERIFY(teams);
        QTest::qWait(50);
        // No gap: the Teams row is as tall as its field and hint, and the next row starts
        // right under it, whatever height the scroll area has to spare.
        QWidget *column = teams->parentWidget();
        QWidget *next = form->fieldWidget(u"max_summary_words"_s)->parentWidget();
        QVERIFY(!save(window->parameterEditor(), u"parameters-ticket-triage"_s).isEmpty());
        const int needed = column->hasHeightForWidth() ? column->heightForWidth(column->width())
                                                       : column->sizeHint().height();
        QVERIFY2(column->height() <= needed + 4, qPrintable(u"%1 vs %2"_s.arg(column->height()).arg(needed)));
        const int gap = next->y() - (column->y() + column->height());
        QVERIFY2(gap >= 0 && gap < 20, qPrintable(QString::number(gap)));
    }

    void longResultWraps()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        QSignalSpy finished(window, &MainWindow::runFinished);
        pickBot(window, u"research-assistant"_s);
        window->modeSwitch()->setMode(Mode::manual());
        window->modeSwitch()->setMockFile(ui::ModeSwitch::bundledMockFile(u"research-assistant"_s));
        window->composer()->setText(u"How do green and black tea differ?"_s);
        QTest::keyClick(window->composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE(finished.count(), 1);
        window->inspectorTabs()->setCurrentWidget(window->resultView());
        auto *text = window->resultView()->findChild<QPlainTextEdit *>(u"resultText"_s);
        QCOMPARE(text->lineWrapMode(), QPlainTextEdit::WidgetWidth);
        QTest::qWait(50);
        QVERIFY(!text->horizontalScrollBar()->isVisible());
        QVERIFY(!save(window, u"result-wrapped"_s).isEmpty());
    }

    void darkTheme()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        QTRY_VERIFY(!window->botPicker()->listing().bots.isEmpty());
        pickBot(window, u"ticket-triage"_s);
        window->findChild<QAction *>(u"theme_dark"_s)->trigger();
        QTest::qWait(50);
        QVERIFY(!save(window, u"window-dark"_s).isEmpty());
        ui::AboutDialog about(window);
        about.show();
        QVERIFY(QTest::qWaitForWindowExposed(&about));
        QVERIFY(!save(&about, u"about-dark"_s).isEmpty());
        window->findChild<QAction *>(u"theme_system"_s)->trigger();
    }
};

QTEST_MAIN(TstDesktopScreenshots)
#include "tst_desktopscreenshots.moc"
