#pragma once
// View > Colouring Rules…: the ordered list of colouring rules (docs/filters.md), each a
// name, a display filter checked as you type and its colours. Add, remove, move up and
// down, turn on and off, restore the defaults; OK saves them (ColouringRules::setRules) and
// the views repaint. OK is refused while an enabled rule's filter is not a filter.
#include "ui/colouring/colouringrule.h"

#include <QtWidgets/QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace invoke::ui {

class ColouringRules;
class FilterField;

class ColouringDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ColouringDialog(ColouringRules *rules, QWidget *parent = nullptr);

    // The rules as edited so far (not saved until OK).
    const QList<ColouringRule> &editedRules() const { return m_rules; }
    int currentRule() const;
    void selectRule(int index);

    QTreeWidget *list() const { return m_list; }
    QLineEdit *nameEdit() const { return m_name; }
    FilterField *filterField() const { return m_filter; }
    QToolButton *foregroundButton() const { return m_foreground; }
    QToolButton *backgroundButton() const { return m_background; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *upButton() const { return m_up; }
    QPushButton *downButton() const { return m_down; }
    QPushButton *defaultsButton() const { return m_defaults; }
    QPushButton *okButton() const;
    QString problemText() const;

    void accept() override;

private:
    enum class Which { Foreground, Background };

    QMenu *colourMenu(Which which);
    void setColour(Which which, const QColor &colour);
    void rebuildList(int select);
    void paintItem(QTreeWidgetItem *item, const ColouringRule &rule);
    void showCurrent();
    void edited();
    void move(int by);
    void updateState();

    ColouringRules *m_target;
    QList<ColouringRule> m_rules;
    QTreeWidget *m_list;
    QLineEdit *m_name;
    FilterField *m_filter;
    QToolButton *m_foreground;
    QToolButton *m_background;
    QLabel *m_preview;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_up;
    QPushButton *m_down;
    QPushButton *m_defaults;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    bool m_loading = false;
};

} // namespace invoke::ui
