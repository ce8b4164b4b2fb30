#pragma once
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtGui/QKeySequence>

class QAction;
class QWidget;

namespace invoke::ui {

// One keyboard shortcut of a window, where a person finds it: the menu path ("Run") or
// the panel it works in ("Mock set tab"), the action's text, and the keys.
struct ShortcutEntry
{
    QString where;
    QString text;
    QKeySequence keys;
    Qt::ShortcutContext context = Qt::WindowShortcut;
    QAction *action = nullptr;
};

// Every shortcut of `window`: first the actions of its menu bar, menu by menu (submenus
// as "View ▸ Theme"), then the actions of its panels that work only while the panel has
// the focus; a panel names itself with the dynamic property "shortcutScope" (else its
// object name). Actions without a shortcut are left out; an action with two shortcuts
// gives two entries. This is the one list the Keyboard Shortcuts dialog shows.
QList<ShortcutEntry> windowShortcuts(QWidget *window);

// Pairs of entries that the same keys would both trigger: two window-wide shortcuts, or
// a window-wide one and a panel's (inside the panel both would match, and Qt would run
// neither). Empty when nothing clashes. Each clash as "Ctrl+O: File ▸ Open and Mock set tab ▸ Open".
QStringList shortcutClashes(const QList<ShortcutEntry> &entries);

} // namespace invoke::ui
