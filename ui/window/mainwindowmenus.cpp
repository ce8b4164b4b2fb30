// MainWindow's menu bar and what only the menus do: Find and Undo in the panel that has
// the focus, the theme, the run mode, Re-run, Reset Layout and the Help menu. Every
// shortcut of the window is set here or on the action it belongs to, and all of them
// are listed by Help ▸ Keyboard Shortcuts (ui/desktop/shortcutlist.h); tst_menus checks
// that none clash.
#include "ui/window/mainwindow.h"
#include "ui/desktop/aboutdialog.h"
#include "ui/desktop/documentation.h"
#include "ui/desktop/shortcutsdialog.h"
#include "ui/desktop/theme.h"
#include "ui/events/eventsview.h"
#include "ui/request/botpicker.h"
#include "ui/request/modeswitch.h"
#include "ui/run/runcontroller.h"
#include "ui/window/mockworkflow.h"
#include "ui/common/banner.h"

#include <QtCore/QSettings>
#include <QtGui/QAction>
#include <QtGui/QActionGroup>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTextEdit>
#include <QtWidgets/QToolBar>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

QAction *makeAction(QObject *parent, const QString &text, const QString &name, const QList<QKeySequence> &keys = {})
{
    auto *action = new QAction(text, parent);
    action->setObjectName(name);
    action->setShortcuts(keys);
    return action;
}

bool isInside(const QWidget *widget, const QWidget *panel)
{
    return widget && panel && (widget == panel || panel->isAncestorOf(widget));
}

// The focused widget when it is text the user can edit (it undoes its own typing).
QWidget *editableText(QWidget *focus)
{
    if (auto *line = qobject_cast<QLineEdit *>(focus); line && !line->isReadOnly())
        return line;
    if (auto *plain = qobject_cast<QPlainTextEdit *>(focus); plain && !plain->isReadOnly())
        return plain;
    if (auto *rich = qobject_cast<QTextEdit *>(focus); rich && !rich->isReadOnly())
        return rich;
    return nullptr;
}

} // namespace

void MainWindow::buildMenus()
{
    QMenuBar *bar = menuBar();
    bar->setObjectName(u"menuBar"_s);
    m_menus.resize(int(WindowMenu::Help) + 1);
    auto topMenu = [this, bar](WindowMenu which, const QString &title, const QString &name) {
        QMenu *menu = bar->addMenu(title);
        menu->setObjectName(name);
        m_menus[int(which)].menu = menu;
        return menu;
    };
    // A separator that begins a menu's closing group: addMenuAction inserts before it.
    auto closingGroup = [this](WindowMenu which) {
        m_menus[int(which)].before = m_menus[int(which)].menu->addSeparator();
    };

    // File: the conversation, then the files add-ons add (mock sets: MockWorkflow), Quit.
    QMenu *file = topMenu(WindowMenu::File, tr("&File"), u"fileMenu"_s);
    file->addAction(m_newAction);
    closingGroup(WindowMenu::File);
    m_quitAction = makeAction(this, tr("&Quit"), u"quitAction"_s, {QKeySequence(u"Ctrl+Q"_s)});
    m_quitAction->setMenuRole(QAction::QuitRole);
    m_quitAction->setToolTip(tr("Close the window and quit (unsaved mock sets are asked about first)"));
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
    file->addAction(m_quitAction);

    // Edit: undo and find in the panel that has the focus, then Preferences.
    QMenu *edit = topMenu(WindowMenu::Edit, tr("&Edit"), u"editMenu"_s);
    m_undoAction = makeAction(this, tr("&Undo"), u"undoAction"_s, QKeySequence::keyBindings(QKeySequence::Undo));
    m_redoAction = makeAction(this, tr("&Redo"), u"redoAction"_s, QKeySequence::keyBindings(QKeySequence::Redo));
    connect(m_undoAction, &QAction::triggered, this, [this] { undoOrRedo(false); });
    connect(m_redoAction, &QAction::triggered, this, [this] { undoOrRedo(true); });
    m_findAction = makeAction(this, tr("&Find…"), u"findAction"_s, {QKeySequence(u"Ctrl+F"_s)});
    m_findAction->setToolTip(tr("Search in the panel that has the focus: the bot list, the events, …"));
    connect(m_findAction, &QAction::triggered, this, &MainWindow::find);
    edit->addActions({m_undoAction, m_redoAction});
    edit->addSeparator();
    edit->addAction(m_findAction);
    closingGroup(WindowMenu::Edit);
    m_settingsAction->setText(tr("&Preferences…"));
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    edit->addAction(m_settingsAction);
    connect(edit, &QMenu::aboutToShow, this, &MainWindow::updateEditActions);
    connect(qApp, &QApplication::focusChanged, this, &MainWindow::updateEditActions);

    // View: panels, theme, reload, reset.
    QMenu *view = topMenu(WindowMenu::View, tr("&View"), u"viewMenu"_s);
    QMenu *panels = view->addMenu(tr("&Panels"));
    panels->setObjectName(u"panelsMenu"_s);
    m_menus[int(WindowMenu::Panels)].menu = panels;
    auto panelToggle = [this, panels](const QString &text, const QString &name, QWidget *panel) {
        QAction *toggle = makeAction(this, text, name);
        toggle->setCheckable(true);
        toggle->setChecked(true);
        connect(toggle, &QAction::toggled, panel, &QWidget::setVisible);
        panels->addAction(toggle);
    };
    panelToggle(tr("&Bots and Parameters"), u"showSetupAction"_s, m_leftPane);
    panelToggle(tr("&Inspector (Steps, Events, Result)"), u"showInspectorAction"_s, m_inspector);
    panelToggle(tr("&Status Bar"), u"showStatusBarAction"_s, statusBar());
    QAction *toolbarToggle = m_toolbar->toggleViewAction();
    toolbarToggle->setText(tr("&Toolbar"));
    toolbarToggle->setObjectName(u"showToolbarAction"_s);
    panels->addAction(toolbarToggle);
    panels->addSeparator();

    QMenu *theme = view->addMenu(tr("&Theme"));
    theme->setObjectName(u"themeMenu"_s);
    auto *themes = new QActionGroup(this);
    const Theme saved = savedTheme(*m_settings);
    for (const auto &[value, text] : {std::pair{Theme::System, tr("&System")}, std::pair{Theme::Light, tr("&Light")},
                                      std::pair{Theme::Dark, tr("&Dark")}}) {
        QAction *choice = makeAction(themes, text, u"theme_"_s + themeName(value));
        choice->setCheckable(true);
        choice->setChecked(value == saved);
        theme->addAction(choice);
        connect(choice, &QAction::triggered, this, [this, value] {
            applyTheme(value);
            saveTheme(*m_settings, value);
        });
    }
    view->addSeparator();
    m_reloadAction->setText(tr("Re&load Bots"));
    view->addAction(m_reloadAction);
    closingGroup(WindowMenu::View);
    m_resetLayoutAction = makeAction(this, tr("Reset &Layout"), u"resetLayoutAction"_s);
    m_resetLayoutAction->setToolTip(tr("Every panel shown again, at its first-start size"));
    connect(m_resetLayoutAction, &QAction::triggered, this, &MainWindow::resetLayout);
    view->addAction(m_resetLayoutAction);

    // Run: invoke, stop, re-run, the mode.
    QMenu *run = topMenu(WindowMenu::Run, tr("&Run"), u"runMenu"_s);
    m_rerunAction = makeAction(this, tr("Re-&run"), u"rerunAction"_s, {QKeySequence(u"Ctrl+R"_s)});
    m_rerunAction->setToolTip(tr("Send the last request again, in the mode it ran in"));
    connect(m_rerunAction, &QAction::triggered, this, &MainWindow::rerun);
    run->addActions({m_invokeAction, m_stopAction, m_rerunAction});
    QMenu *mode = run->addMenu(tr("&Mode"));
    mode->setObjectName(u"modeMenu"_s);
    auto *modes = new QActionGroup(this);
    const QList<std::pair<Mode, QString>> modeChoices{
        {Mode::live(), tr("&Live")}, {Mode::replay(), tr("&Replay")}, {Mode::manual(), tr("&Manual")}};
    for (qsizetype i = 0; i < modeChoices.size(); ++i) {
        const Mode value = modeChoices.at(i).first;
        QAction *choice = makeAction(modes, modeChoices.at(i).second, u"mode_"_s + value.name(),
                                     {QKeySequence(u"Ctrl+%1"_s.arg(i + 1))});
        choice->setCheckable(true);
        mode->addAction(choice);
        m_modeActions << choice;
        connect(choice, &QAction::triggered, this, [this, value] {
            // Replay keeps its refresh choice from the mode switch.
            if (m_mode->mode().kind != value.kind)
                m_mode->setMode(value);
        });
    }
    connect(m_mode, &ModeSwitch::modeChanged, this, &MainWindow::syncModeActions);
    syncModeActions();
    run->addSeparator();
    m_menus[int(WindowMenu::Run)].before = nullptr;

    // Help.
    QMenu *help = topMenu(WindowMenu::Help, tr("&Help"), u"helpMenu"_s);
    m_docsAction = makeAction(this, tr("&Documentation"), u"documentationAction"_s, {QKeySequence(Qt::Key_F1)});
    connect(m_docsAction, &QAction::triggered, this, &MainWindow::openDocumentation);
    m_shortcutsAction = makeAction(this, tr("&Keyboard Shortcuts"), u"shortcutsAction"_s);
    connect(m_shortcutsAction, &QAction::triggered, this, &MainWindow::showShortcuts);
    help->addActions({m_docsAction, m_shortcutsAction});
    closingGroup(WindowMenu::Help);
    m_aboutAction = makeAction(this, tr("&About Invoke Studio"), u"aboutAction"_s);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
    QAction *aboutQt = makeAction(this, tr("About &Qt"), u"aboutQtAction"_s);
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
    help->addActions({m_aboutAction, aboutQt});

    // How Help ▸ Keyboard Shortcuts names the panels whose keys work only inside them.
    m_eventsView->setProperty("shortcutScope", tr("Events tab"));
    m_botPicker->setProperty("shortcutScope", tr("Bot list"));
    // The two panels with a search field of their own.
    addFindField(m_leftPane, m_botPicker->searchField());
    addFindField(m_eventsView, m_eventsView->filterField());
}

QMenu *MainWindow::menu(WindowMenu which) const
{
    return m_menus.value(int(which)).menu;
}

void MainWindow::addMenuAction(WindowMenu which, QAction *action)
{
    const MenuSlot slot = m_menus.value(int(which));
    if (!slot.menu)
        return;
    slot.menu->insertAction(slot.before, action);
}

QMenu *MainWindow::addMenu(const QString &title, const QString &objectName)
{
    auto *added = new QMenu(title, menuBar());
    added->setObjectName(objectName);
    menuBar()->insertMenu(menu(WindowMenu::Help)->menuAction(), added);
    return added;
}

void MainWindow::addFindField(QWidget *panel, QLineEdit *field)
{
    m_panelTargets.append({panel, field});
}

void MainWindow::addUndoTarget(QWidget *panel, QAction *undo, QAction *redo)
{
    m_panelTargets.append({panel, nullptr, undo, redo});
    for (QAction *action : {undo, redo})
        connect(action, &QAction::changed, this, &MainWindow::updateEditActions);
}

void MainWindow::find()
{
    QWidget *focus = QApplication::focusWidget();
    QLineEdit *field = nullptr;
    for (const PanelTarget &target : std::as_const(m_panelTargets)) {
        if (target.find && isInside(focus, target.panel)) {
            field = target.find;
            break;
        }
    }
    // Elsewhere: the events when they are in front, else the bot list.
    if (!field)
        field = m_inspector->isVisible() && m_inspector->currentWidget() == m_eventsView ? m_eventsView->filterField()
                                                                                         : m_botPicker->searchField();
    // A hidden panel comes back (through its View ▸ Panels toggle, so that stays true).
    QWidget *pane = field == m_eventsView->filterField() ? static_cast<QWidget *>(m_inspector) : m_leftPane;
    if (pane->isHidden())
        findChild<QAction *>(pane == m_inspector ? u"showInspectorAction"_s : u"showSetupAction"_s)->setChecked(true);
    if (pane == m_inspector)
        m_inspector->setCurrentWidget(m_eventsView);
    field->setFocus(Qt::ShortcutFocusReason);
    field->selectAll();
}

void MainWindow::undoOrRedo(bool redo)
{
    QWidget *focus = QApplication::focusWidget();
    if (QWidget *text = editableText(focus)) {
        if (auto *line = qobject_cast<QLineEdit *>(text))
            redo ? line->redo() : line->undo();
        else if (auto *plain = qobject_cast<QPlainTextEdit *>(text))
            redo ? plain->redo() : plain->undo();
        else if (auto *rich = qobject_cast<QTextEdit *>(text))
            redo ? rich->redo() : rich->undo();
        return;
    }
    for (const PanelTarget &target : std::as_const(m_panelTargets)) {
        QAction *action = redo ? target.redo : target.undo;
        if (action && isInside(focus, target.panel)) {
            action->trigger();
            return;
        }
    }
}

void MainWindow::updateEditActions()
{
    if (!m_undoAction)
        return;
    QWidget *focus = QApplication::focusWidget();
    bool undo = false, redo = false;
    QString undoTip, redoTip;
    if (editableText(focus)) {
        undo = redo = true;
    } else {
        for (const PanelTarget &target : std::as_const(m_panelTargets)) {
            if (target.undo && isInside(focus, target.panel)) {
                undo = target.undo->isEnabled();
                redo = target.redo->isEnabled();
                undoTip = target.undo->toolTip();
                redoTip = target.redo->toolTip();
                break;
            }
        }
    }
    m_undoAction->setEnabled(undo);
    m_redoAction->setEnabled(redo);
    m_undoAction->setToolTip(undoTip.isEmpty() ? tr("Undo in the panel that has the focus") : undoTip);
    m_redoAction->setToolTip(redoTip.isEmpty() ? tr("Redo in the panel that has the focus") : redoTip);
}

void MainWindow::syncModeActions()
{
    const Mode::Kind kind = m_mode->mode().kind;
    for (qsizetype i = 0; i < m_modeActions.size(); ++i)
        m_modeActions.at(i)->setChecked(int(kind) == i);
}

void MainWindow::resetLayout()
{
    for (QAction *toggle : menu(WindowMenu::Panels)->actions())
        if (toggle->isCheckable())
            toggle->setChecked(true);
    m_toolbar->show();
    m_inspector->setCurrentIndex(0);
    applyDefaultLayout(); // once every pane is visible again, or a hidden one keeps 0
}

void MainWindow::showAbout()
{
    auto *about = new AboutDialog(this);
    about->setAttribute(Qt::WA_DeleteOnClose);
    about->open();
}

void MainWindow::showShortcuts()
{
    auto *list = new ShortcutsDialog(this, this);
    list->setAttribute(Qt::WA_DeleteOnClose);
    list->open();
}

void MainWindow::openDocumentation()
{
    QString error;
    if (ui::openDocumentation(&error))
        statusBar()->showMessage(tr("Opened the documentation: %1").arg(documentationFolder()), 8000);
    else
        m_banner->showMessage(Banner::Error, error);
}

} // namespace invoke::ui
