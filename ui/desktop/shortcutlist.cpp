#include "ui/desktop/shortcutlist.h"

#include <QtCore/QSet>
#include <QtGui/QAction>
#include <QtWidgets/QMainWindow>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMenuBar>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

QString plainText(const QAction *action)
{
    QString text = action->text();
    if (text.isEmpty())
        text = action->toolTip().isEmpty() ? action->objectName() : action->toolTip();
    text.remove(u'&');
    if (text.endsWith(u"…"_s))
        text.chop(1);
    return text;
}

void addMenu(QList<ShortcutEntry> &entries, QSet<QAction *> &seen, const QMenu *menu, const QString &where)
{
    for (QAction *action : menu->actions()) {
        if (action->isSeparator())
            continue;
        if (QMenu *sub = action->menu()) {
            addMenu(entries, seen, sub, where + u" ▸ "_s + plainText(action));
            continue;
        }
        seen.insert(action);
        for (const QKeySequence &keys : action->shortcuts())
            entries.append({where, plainText(action), keys, action->shortcutContext(), action});
    }
}

} // namespace

QList<ShortcutEntry> windowShortcuts(QWidget *window)
{
    QList<ShortcutEntry> entries;
    QSet<QAction *> seen;
    if (auto *main = qobject_cast<QMainWindow *>(window); main && main->menuWidget()) {
        for (QAction *top : main->menuBar()->actions()) {
            if (QMenu *menu = top->menu())
                addMenu(entries, seen, menu, plainText(top));
        }
    }
    // Window-wide actions that are in no menu (they should be; listed so a clash shows).
    for (QAction *action : window->actions()) {
        if (seen.contains(action))
            continue;
        seen.insert(action);
        for (const QKeySequence &keys : action->shortcuts())
            entries.append({QObject::tr("Window"), plainText(action), keys, action->shortcutContext(), action});
    }
    const QList<QWidget *> panels = window->findChildren<QWidget *>();
    for (QWidget *panel : panels) {
        if (qobject_cast<QMenu *>(panel) || qobject_cast<QMenuBar *>(panel))
            continue;
        for (QAction *action : panel->actions()) {
            if (seen.contains(action) || action->shortcuts().isEmpty())
                continue;
            seen.insert(action);
            const QVariant scope = panel->property("shortcutScope");
            QString where = scope.isValid() ? scope.toString() : panel->objectName();
            if (where.isEmpty()) // a panel that does not name itself: its class
                where = QString::fromLatin1(panel->metaObject()->className()).section(u"::"_s, -1);
            for (const QKeySequence &keys : action->shortcuts())
                entries.append({where, plainText(action), keys, action->shortcutContext(), action});
        }
    }
    return entries;
}

QStringList shortcutClashes(const QList<ShortcutEntry> &entries)
{
    QStringList clashes;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        for (qsizetype j = i + 1; j < entries.size(); ++j) {
            const ShortcutEntry &a = entries.at(i);
            const ShortcutEntry &b = entries.at(j);
            if (a.keys != b.keys || a.action == b.action)
                continue;
            // Two panel-only shortcuts live in different panels (or one panel: a real clash too).
            const bool aWide = a.context == Qt::WindowShortcut || a.context == Qt::ApplicationShortcut;
            const bool bWide = b.context == Qt::WindowShortcut || b.context == Qt::ApplicationShortcut;
            if (!aWide && !bWide && a.where != b.where)
                continue;
            clashes << u"%1: %2 ▸ %3 and %4 ▸ %5"_s.arg(a.keys.toString(QKeySequence::NativeText), a.where, a.text,
                                                      b.where, b.text);
        }
    }
    return clashes;
}

} // namespace invoke::ui
