#pragma once
// Paints the colouring rules (ui/colouring/rowcolours.h) on a view's rows: the event list
// (through its filter proxy) and the step tree. Only the rows a view paints ask, and each
// asks a cached byte. The selection keeps the platform's highlight.
#include <QtWidgets/QStyledItemDelegate>

#include <functional>

class QAbstractItemView;
class QTableView;
class QTreeView;

namespace invoke::ui {

class EventFilterProxy;
class RowColours;

class ColouringDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    // `ruleOf` answers the rule of a view's index (RowColours::kNone when none).
    ColouringDelegate(RowColours *colours, std::function<int(const QModelIndex &)> ruleOf, QObject *parent = nullptr);

    // Installs itself on the Events tab's table, whose model is `proxy`.
    static ColouringDelegate *installOnEvents(QTableView *view, EventFilterProxy *proxy, RowColours *colours);
    // Installs itself on the step tree (a StepTreeModel: its PathRole names the step).
    static ColouringDelegate *installOnSteps(QTreeView *view, RowColours *colours);

    int ruleOf(const QModelIndex &index) const { return m_ruleOf(index); }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    RowColours *m_colours;
    std::function<int(const QModelIndex &)> m_ruleOf;
};

} // namespace invoke::ui
