#pragma once
#include <QtWidgets/QDialog>

class QTreeWidget;

namespace invoke::ui {

// Help ▸ Keyboard Shortcuts: every shortcut of `window` (windowShortcuts()), grouped by
// where it works, in a read-only table with a filter. Named "shortcutsDialog".
class ShortcutsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ShortcutsDialog(QWidget *window, QWidget *parent = nullptr);

    QTreeWidget *table() const { return m_table; }

private:
    QTreeWidget *m_table;
};

} // namespace invoke::ui
