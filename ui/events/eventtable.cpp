#include "ui/events/eventtable.h"

#include "ui/events/eventlistmodel.h"

#include <QtCore/QCoreApplication>
#include <QtGui/QFontDatabase>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QTableView>

namespace invoke::ui {

void setUpEventTable(QTableView *view)
{
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->setShowGrid(false);
    view->setWordWrap(false);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
}

void sizeEventColumns(QTableView *view, int stepColumnWidth)
{
    view->setColumnWidth(EventListModel::SeqColumn, 50);
    view->setColumnWidth(EventListModel::TimeColumn, 70);
    view->setColumnWidth(EventListModel::TypeColumn, 140);
    view->setColumnWidth(EventListModel::StepColumn, stepColumnWidth);
}

void setUpEventDetail(QPlainTextEdit *detail)
{
    detail->setReadOnly(true);
    detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    detail->setPlaceholderText(QCoreApplication::translate("invoke::ui::EventTable", "Select an event to read it in full."));
}

} // namespace invoke::ui
