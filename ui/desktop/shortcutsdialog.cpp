#include "ui/desktop/shortcutsdialog.h"
#include "ui/desktop/shortcutlist.h"

#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::ui {

ShortcutsDialog::ShortcutsDialog(QWidget *window, QWidget *parent) : QDialog(parent), m_table(new QTreeWidget(this))
{
    setObjectName(u"shortcutsDialog"_s);
    setWindowTitle(tr("Keyboard Shortcuts"));
    m_table->setObjectName(u"shortcutsTable"_s);
    m_table->setColumnCount(2);
    m_table->setHeaderLabels({tr("Action"), tr("Shortcut")});
    m_table->setRootIsDecorated(false);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->header()->setStretchLastSection(false);

    // One group per place (a submenu's entries after their menu's), one row per action
    // with all its keys.
    QStringList places;
    QHash<QString, QList<std::pair<QAction *, QTreeWidgetItem *>>> rows;
    for (const ShortcutEntry &entry : windowShortcuts(window)) {
        if (!places.contains(entry.where))
            places << entry.where;
        auto &group = rows[entry.where];
        auto row = std::find_if(group.begin(), group.end(), [&entry](const auto &r) { return r.first == entry.action; });
        const QString keys = entry.keys.toString(QKeySequence::NativeText);
        if (row != group.end())
            row->second->setText(1, row->second->text(1) + u", "_s + keys);
        else
            group.append({entry.action, new QTreeWidgetItem(QStringList{entry.text, keys})});
    }
    for (const QString &place : std::as_const(places)) {
        auto *group = new QTreeWidgetItem(m_table, {place});
        QFont bold = group->font(0);
        bold.setBold(true);
        group->setFont(0, bold);
        group->setFirstColumnSpanned(true);
        for (const auto &row : std::as_const(rows[place]))
            group->addChild(row.second);
    }
    m_table->expandAll();

    auto *filter = new QLineEdit(this);
    filter->setObjectName(u"shortcutsFilter"_s);
    filter->setPlaceholderText(tr("Filter by action or key"));
    filter->setClearButtonEnabled(true);
    connect(filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        for (int g = 0; g < m_table->topLevelItemCount(); ++g) {
            QTreeWidgetItem *group = m_table->topLevelItem(g);
            int shown = 0;
            for (int i = 0; i < group->childCount(); ++i) {
                QTreeWidgetItem *item = group->child(i);
                const bool match = text.isEmpty() || item->text(0).contains(text, Qt::CaseInsensitive)
                                   || item->text(1).contains(text, Qt::CaseInsensitive)
                                   || group->text(0).contains(text, Qt::CaseInsensitive);
                item->setHidden(!match);
                shown += match ? 1 : 0;
            }
            group->setHidden(shown == 0);
        }
    });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(filter);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(520, 560);
}

} // namespace invoke::ui
