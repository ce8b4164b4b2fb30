#include "ui/colouring/colouringdelegate.h"

#include "ui/colouring/colouringrule.h"
#include "ui/colouring/rowcolours.h"
#include "ui/events/eventfilterproxy.h"
#include "ui/steps/steptreemodel.h"

#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeView>

namespace invoke::ui {

ColouringDelegate::ColouringDelegate(RowColours *colours, std::function<int(const QModelIndex &)> ruleOf,
                                     QObject *parent)
    : QStyledItemDelegate(parent), m_colours(colours), m_ruleOf(std::move(ruleOf))
{
}

ColouringDelegate *ColouringDelegate::installOnEvents(QTableView *view, EventFilterProxy *proxy, RowColours *colours)
{
    auto *delegate = new ColouringDelegate(colours, [proxy, colours](const QModelIndex &index) {
        const QModelIndex source = proxy->mapToSource(index);
        return source.isValid() ? colours->ruleOfRow(source.row()) : RowColours::kNone;
    }, view);
    view->setItemDelegate(delegate);
    QObject::connect(colours, &RowColours::rowsColoured, view->viewport(), qOverload<>(&QWidget::update));
    return delegate;
}

ColouringDelegate *ColouringDelegate::installOnSteps(QTreeView *view, RowColours *colours)
{
    auto *delegate = new ColouringDelegate(colours, [colours](const QModelIndex &index) {
        return colours->ruleOfPath(index.siblingAtColumn(0).data(StepTreeModel::PathRole).toString());
    }, view);
    view->setItemDelegate(delegate);
    QObject::connect(colours, &RowColours::stepColoursChanged, view->viewport(), qOverload<>(&QWidget::update));
    return delegate;
}

void ColouringDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const ColouringRule *rule = m_colours->rule(m_ruleOf(index));
    if (!rule)
        return;
    if (rule->background.isValid())
        option->backgroundBrush = rule->background;
    if (rule->foreground.isValid()) {
        option->palette.setColor(QPalette::Text, rule->foreground);
        option->palette.setColor(QPalette::WindowText, rule->foreground);
    }
}

} // namespace invoke::ui
