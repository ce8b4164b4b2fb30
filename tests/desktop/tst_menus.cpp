// The studio as a desktop application, clicked through offscreen: the menu bar (every
// toolbar action in a menu, one list of shortcuts with no clash), Ctrl+Q quits, Help ▸
// About shows the version, the licence and Qt's version, Help ▸ Documentation opens the
// docs, Ctrl+F finds in the panel that has the focus, Edit ▸ Undo reaches the mock set
// editor, Esc stops only a running run, View ▸ Theme and Reset Layout.
#include "tests/ui/studiofixture.h"

#include "tests/support/openaistubserver.h"
#include "ui/desktop/aboutdialog.h"
#include "ui/desktop/shortcutlist.h"
#include "ui/desktop/shortcutsdialog.h"
#include "ui/events/eventsview.h"
#include "ui/mocks/mocksetdocument.h"
#include "ui/mocks/mockseteditor.h"
#include "ui/request/composer.h"
#include "ui/request/modeswitch.h"
#include "ui/run/transcriptmodel.h"
#include "ui/window/mockworkflow.h"

#include <QtCore/QStandardPaths>
#include <QtGui/QDesktopServices>
#include <QtTest/QSignalSpy>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListView>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QWidgetAction>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;
using invoke::ui::MainWindow;
using invoke::ui::WindowMenu;

namespace {

bool menuHolds(const QMenu *menu, const QAction *action)
{
    for (QAction *item : menu->actions()) {
        if (item == action || (item->menu() && menuHolds(item->menu(), action)))
            return true;
    }
    return false;
}

// Opens `menu` from the menu bar with a click and clicks `action` in it.
void clickMenuItem(MainWindow *window, QMenu *menu, QAction *action)
{
    QMenuBar *bar = window->menuBar();
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->actionGeometry(menu->menuAction()).center());
    QTRY_VERIFY(menu->isVisible());
    QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(action).center());
}

} // namespace

// Receives what QDesktopServices::openUrl would hand the desktop.
class UrlCatcher : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> urls;
public Q_SLOTS:
    void open(const QUrl &url) { urls << url; }
};

class TstMenus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setApplicationVersion(u"9.8.7"_s);
        QGuiApplication::setApplicationDisplayName(u"Invoke Studio"_s);
    }

    void menusFollowTheConventions()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        QStringList titles;
        for (QAction *top : window->menuBar()->actions())
            titles << top->text().remove(u'&');
        QCOMPARE(titles, (QStringList{u"File"_s, u"Edit"_s, u"View"_s, u"Run"_s, u"Help"_s}));
        // Quit ends File, About ends Help, Preferences ends Edit.
        QCOMPARE(window->menu(WindowMenu::File)->actions().last(), window->quitAction());
        QCOMPARE(window->menu(WindowMenu::Help)->actions().last()->objectName(), u"aboutQtAction"_s);
        QCOMPARE(window->menu(WindowMenu::Edit)->actions().last()->objectName(), u"settingsAction"_s);
        // Mock sets are files: open, recent, save, save as under File, before Quit.
        ui::MockSetEditor *editor = window->mockWorkflow()->editor();
        QMenu *file = window->menu(WindowMenu::File);
        for (QAction *action : {editor->openAction(), editor->saveAction(), editor->saveAsAction()})
            QVERIFY2(file->actions().indexOf(action) >= 0
                         && file->actions().indexOf(action) < file->actions().indexOf(window->quitAction()),
                     qPrintable(action->text()));
        QVERIFY(menuHolds(window->menu(WindowMenu::Run), window->mockWorkflow()->rerunAction()));
        // An add-on's action lands in the open group, a new menu before Help.
        auto *extra = new QAction(u"Open Tests File…"_s, window);
        window->addMenuAction(WindowMenu::File, extra);
        QVERIFY(file->actions().indexOf(extra) < file->actions().indexOf(window->quitAction()));
        QMenu *tests = window->addMenu(u"&Tests"_s, u"testsMenu"_s);
        QCOMPARE(window->menuBar()->actions().at(window->menuBar()->actions().size() - 2), tests->menuAction());
    }

    void everyToolbarActionIsInAMenu()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        auto *toolbar = window->findChild<QToolBar *>(u"mainToolbar"_s);
        int checked = 0;
        for (QAction *action : toolbar->actions()) {
            if (action->isSeparator() || qobject_cast<QWidgetAction *>(action) || action->text().isEmpty())
                continue;
            bool found = false;
            for (QAction *top : window->menuBar()->actions())
                found = found || menuHolds(top->menu(), action);
            QVERIFY2(found, qPrintable(action->text()));
            ++checked;
        }
        QVERIFY(checked >= 5); // Invoke, Stop, New conversation, Reload, Settings
    }

    void shortcutsAreListedOnceWithoutClashes()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        const QList<ui::ShortcutEntry> entries = ui::windowShortcuts(window);
        const QStringList clashes = ui::shortcutClashes(entries);
        QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(u'\n')));
        auto where = [&entries](const QString &keys) -> QString {
            for (const ui::ShortcutEntry &entry : entries)
                if (entry.keys == QKeySequence(keys))
                    return entry.where + u" ▸ "_s + entry.text;
            return QString();
        };
        QCOMPARE(where(u"Ctrl+Q"_s), u"File ▸ Quit"_s);
        QCOMPARE(where(u"Ctrl+F"_s), u"Edit ▸ Find"_s);
        QCOMPARE(where(u"Ctrl+Return"_s), u"Run ▸ Invoke"_s);
        QCOMPARE(where(u"Esc"_s), u"Run ▸ Stop"_s);
        QCOMPARE(where(u"Ctrl+O"_s), u"File ▸ Open Mock Set"_s);
        QCOMPARE(where(u"F1"_s), u"Help ▸ Documentation"_s);
        QCOMPARE(where(u"Ctrl+D"_s), u"Mock set tab ▸ Duplicate"_s);
        // The dialog shows the same list.
        ui::ShortcutsDialog dialog(window);
        int rows = 0;
        for (int g = 0; g < dialog.table()->topLevelItemCount(); ++g)
            rows += dialog.table()->topLevelItem(g)->childCount();
        QSet<QAction *> actions; // one row per action, its keys together
        for (const ui::ShortcutEntry &entry : entries)
            actions.insert(entry.action);
        QCOMPARE(rows, actions.size());
        // The checker does see a clash.
        auto *twin = new QAction(u"Twin"_s, window);
        twin->setShortcut(QKeySequence(u"Ctrl+F"_s));
        window->addAction(twin);
        QCOMPARE(ui::shortcutClashes(ui::windowShortcuts(window)).size(), 1);
    }

    void ctrlQQuits()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        QVERIFY(QTest::qWaitForWindowActive(window));
        QTest::keyClick(window, Qt::Key_Q, Qt::ControlModifier);
        QTRY_VERIFY(!window->isVisible());
    }

    void ctrlQAsksAboutAnUnsavedMockSetFirst()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        QVERIFY(QTest::qWaitForWindowActive(window));
        window->mockWorkflow()->editor()->document()->putResponse(u"answer"_s, MockResponse{});
        QTest::keyClick(window, Qt::Key_Q, Qt::ControlModifier);
        QWidget *box = nullptr;
        QTRY_VERIFY((box = window->findChild<QWidget *>(u"unsavedChangesBox"_s)) && box->isVisible());
        QVERIFY(window->isVisible());
        box->close();
    }

    void aboutShowsVersionLicenceAndQt()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        QVERIFY(QTest::qWaitForWindowActive(window));
        clickMenuItem(window, window->menu(WindowMenu::Help), window->aboutAction());
        ui::AboutDialog *about = nullptr;
        QTRY_VERIFY((about = window->findChild<ui::AboutDialog *>()) && about->isVisible());
        const QString text = about->findChild<QLabel *>(u"aboutText"_s)->text();
        QVERIFY2(text.contains(u"9.8.7"_s), qPrintable(text));
        QVERIFY2(text.contains(u"Licence:</b> MIT"_s), qPrintable(text));
        QVERIFY2(text.contains(QString::fromLatin1(qVersion())), qPrintable(text));
        QCOMPARE(about->windowTitle(), u"About"_s); // the display name follows once, added by Qt
        about->close();
    }

    void documentationOpensTheDocsFolder()
    {
        UrlCatcher catcher;
        QDesktopServices::setUrlHandler(u"file"_s, &catcher, "open");
        StudioFixture studio;
        MainWindow *window = studio.open();
        QVERIFY(QTest::qWaitForWindowActive(window));
        QTest::keyClick(window, Qt::Key_F1);
        QDesktopServices::unsetUrlHandler(u"file"_s);
        QCOMPARE(catcher.urls.size(), 1);
        const QString folder = catcher.urls.first().toLocalFile();
        QVERIFY2(QFileInfo::exists(folder + u"/architecture.md"_s), qPrintable(folder));
    }

    void findSearchesThePanelWithTheFocus()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        QVERIFY(QTest::qWaitForWindowActive(window));
        QTRY_VERIFY(!window->botPicker()->listing().bots.isEmpty());
        // In the bot list: its search field.
        window->botPicker()->listView()->setFocus();
        QTest::keyClick(window->botPicker()->listView(), Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget(), window->botPicker()->searchField());
        // In the events: their filter, even from the table.
        window->inspectorTabs()->setCurrentWidget(window->eventsView());
        window->eventsView()->findChild<QTableView *>()->setFocus();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget(), window->eventsView()->filterField());
        // From the composer, with the Steps tab in front: the bot list again.
        window->inspectorTabs()->setCurrentIndex(0);
        window->composer()->editor()->setFocus();
        QTest::keyClick(window->composer()->editor(), Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget(), window->botPicker()->searchField());
    }

    void editUndoReachesTheMockSetEditor()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        QVERIFY(QTest::qWaitForWindowActive(window));
        ui::MockSetEditor *editor = window->mockWorkflow()->editor();
        window->mockWorkflow()->showEditor();
        editor->document()->putResponse(u"answer"_s, MockResponse{});
        QCOMPARE(editor->document()->count(), 1);
        editor->keyView()->setFocus();
        QTest::keyClick(editor->keyView(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(editor->document()->count(), 0);
        QTest::keyClick(editor->keyView(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(editor->document()->count(), 1);
        // In a text field Ctrl+Z undoes the typing, not the mock set.
        QPlainTextEdit *composer = window->composer()->editor();
        composer->setFocus();
        QTest::keyClicks(composer, u"abc"_s);
        QTest::keyClick(composer, Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(composer->toPlainText().size() < 3);
        QCOMPARE(editor->document()->count(), 1);
    }

    void escStopsOnlyARunningRun()
    {
        OpenAiStubServer llm;
        QVERIFY(llm.listen());
        StubReply reply = StubReply::text({u"Partial "_s, u"answer "_s, u"never "_s});
        reply.stallAfter = 1;
        llm.setReply(reply);
        StudioFixture studio({}, LlmSettings{llm.baseUrl(), u"stub-model"_s, {}, 60});
        MainWindow *window = studio.open();
        QVERIFY(QTest::qWaitForWindowActive(window));
        QSignalSpy finished(window, &MainWindow::runFinished);
        pickBot(window, u"chat"_s);
        QVERIFY(!window->stopAction()->isEnabled()); // idle: Esc is free for everyone else
        QPlainTextEdit *composer = window->composer()->editor();
        composer->setFocus();
        QTest::keyClicks(composer, u"Tell me a story"_s);
        QTest::keyClick(composer, Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY(window->transcriptModel()->rowCount() == 2);
        QVERIFY(window->stopAction()->isEnabled());
        QVERIFY(!window->botPicker()->isEnabled()); // no switching bots while a run is on
        // A popup menu and a dialog keep their own Esc: the run goes on.
        QMenu *run = window->menu(WindowMenu::Run);
        run->popup(window->mapToGlobal(QPoint(40, 40)));
        QTRY_VERIFY(run->isVisible());
        QTest::keyClick(run, Qt::Key_Escape);
        QTRY_VERIFY(!run->isVisible());
        window->aboutAction()->trigger();
        ui::AboutDialog *about = nullptr;
        QTRY_VERIFY((about = window->findChild<ui::AboutDialog *>()) && about->isVisible());
        QTest::keyClick(about, Qt::Key_Escape);
        QTRY_VERIFY(!about->isVisible());
        QTest::qWait(50);
        QCOMPARE(finished.count(), 0);
        QVERIFY(window->stopAction()->isEnabled());
        // In the window itself, Esc stops the run.
        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window));
        composer->setFocus();
        QTest::keyClick(composer, Qt::Key_Escape);
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(finished.at(0).at(0).value<InvokeResult>().cancelled);
        QVERIFY(!window->stopAction()->isEnabled());
        QVERIFY(window->botPicker()->isEnabled());
    }

    void themeAndResetLayout()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        const QPalette before = QApplication::palette();
        window->findChild<QAction *>(u"theme_dark"_s)->trigger();
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
        QCOMPARE(studio.settings.value(u"view/theme"_s).toString(), u"dark"_s);
        window->findChild<QAction *>(u"theme_light"_s)->trigger();
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 180);
        window->findChild<QAction *>(u"theme_system"_s)->trigger();
        QCOMPARE(QApplication::palette().color(QPalette::Window), before.color(QPalette::Window));

        // Hide the inspector and the setup pane, squeeze the middle; Reset brings it all back.
        window->findChild<QAction *>(u"showInspectorAction"_s)->trigger();
        window->findChild<QAction *>(u"showSetupAction"_s)->trigger();
        QVERIFY(window->inspectorTabs()->isHidden());
        window->findChild<QAction *>(u"resetLayoutAction"_s)->trigger();
        QVERIFY(!window->inspectorTabs()->isHidden());
        QVERIFY(window->findChild<QAction *>(u"showSetupAction"_s)->isChecked());
        const QList<int> sizes = window->findChild<QSplitter *>(u"mainSplitter"_s)->sizes();
        QCOMPARE(sizes.size(), 3);
        QVERIFY2(sizes.at(0) > 0 && sizes.at(2) > 0, qPrintable(QString::number(sizes.at(0))));
    }

    void modeMenuFollowsTheModeSwitch()
    {
        StudioFixture studio;
        MainWindow *window = studio.open();
        QVERIFY(QTest::qWaitForWindowActive(window));
        QTest::keyClick(window, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(window->modeSwitch()->mode().kind, Mode::Manual);
        window->modeSwitch()->setMode(Mode::live());
        QVERIFY(window->findChild<QAction *>(u"mode_live"_s)->isChecked());
    }
};

QTEST_MAIN(TstMenus)
#include "tst_menus.moc"
