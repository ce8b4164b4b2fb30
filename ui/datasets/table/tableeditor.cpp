#include "ui/datasets/table/tableeditor.h"
#include "ui/datasets/table/datasettablemodel.h"
#include "ui/datasets/table/datasetviewproxy.h"

#include <QtCore/QLocale>
#include <QtGui/QAction>
#include <QtGui/QUndoStack>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

TableEditor::TableEditor(QWidget *parent)
    : QWidget(parent), m_proxy(new DatasetViewProxy(this)), m_bar(new QToolBar(this)), m_table(new QTableView(this)),
      m_find(new QLineEdit(this)), m_filter(new QLineEdit(this)), m_filterColumn(new QComboBox(this)),
      m_status(new QLabel(this)), m_progress(new QProgressBar(this)), m_cancel(new QToolButton(this))
{
    m_cancel->setText(tr("Cancel"));
    m_cancel->setObjectName(u"datasetCancelScan"_s);
    m_cancel->setToolTip(tr("Stop sorting or filtering; the table stays as it was"));
    m_cancel->hide();
    m_table->setObjectName(u"datasetTable"_s);
    m_find->setObjectName(u"datasetFind"_s);
    m_filter->setObjectName(u"datasetFilter"_s);
    m_status->setObjectName(u"datasetTableStatus"_s);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(false); // the header's clicks sort through the proxy, off the GUI thread
    m_table->horizontalHeader()->setSectionsClickable(true);
    m_table->horizontalHeader()->setSortIndicatorShown(false);
    m_table->horizontalHeader()->setDefaultSectionSize(220);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_find->setPlaceholderText(tr("Find"));
    m_find->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("Filter rows"));
    m_filter->setClearButtonEnabled(true);
    m_progress->setMaximumWidth(160);
    m_progress->setTextVisible(false);
    m_progress->hide();

    auto action = [this](const QString &text, const QString &name, auto slot) {
        auto *a = m_bar->addAction(text);
        a->setObjectName(name);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_save = action(tr("Save"), u"datasetSave"_s, [this] { Q_EMIT saveRequested(); });
    m_bar->addSeparator();
    m_undo = action(tr("Undo"), u"datasetUndo"_s, [this] { if (m_model) m_model->undoStack()->undo(); });
    m_redo = action(tr("Redo"), u"datasetRedo"_s, [this] { if (m_model) m_model->undoStack()->redo(); });
    m_bar->addSeparator();
    m_addRow = action(tr("Add Row"), u"datasetAddRow"_s, [this] {
        const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
        const int row = current.isValid() ? current.row() + 1 : m_model->rowCount();
        if (m_model->insertRows(row, 1)) {
            const QModelIndex added = m_proxy->mapFromSource(m_model->index(row, 0));
            m_table->setCurrentIndex(added);
            m_table->scrollTo(added);
        }
    });
    m_removeRows = action(tr("Remove Rows"), u"datasetRemoveRows"_s, [this] {
        QList<int> rows;
        for (const QModelIndex &index : m_table->selectionModel()->selectedIndexes())
            rows.append(m_proxy->mapToSource(index).row());
        if (rows.isEmpty() && m_table->currentIndex().isValid())
            rows.append(m_proxy->mapToSource(m_table->currentIndex()).row());
        m_model->removeRowList(rows);
    });
    // The column actions share one button's menu: the bar fits a narrow pane.
    auto *columns = new QMenu(tr("Columns"), this);
    auto columnAction = [this, columns](const QString &text, const QString &name, auto slot) {
        auto *a = columns->addAction(text);
        a->setObjectName(name);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_addColumn = columnAction(tr("Add Column…"), u"datasetAddColumn"_s, [this] { addColumn(); });
    m_renameColumn = columnAction(tr("Rename Column…"), u"datasetRenameColumn"_s, [this] { renameColumn(); });
    m_removeColumn = columnAction(tr("Remove Column"), u"datasetRemoveColumn"_s, [this] {
        const int column = m_table->currentIndex().column();
        if (column >= 0)
            m_model->removeColumns(column, 1);
    });
    auto *columnsButton = new QToolButton(this);
    columnsButton->setObjectName(u"datasetColumnsButton"_s);
    columnsButton->setText(tr("Columns"));
    columnsButton->setMenu(columns);
    columnsButton->setPopupMode(QToolButton::InstantPopup);
    columnsButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_bar->addWidget(columnsButton);
    m_bar->addSeparator();
    m_nextBad = action(tr("Next Bad Row"), u"datasetNextBadRow"_s, [this] { nextBadRow(); });
    m_undo->setToolTip(tr("Undo the last change to the table"));
    m_nextBad->setToolTip(tr("Show the next row that does not read"));

    auto *findRow = new QHBoxLayout;
    findRow->addWidget(m_find, 1);
    findRow->addWidget(m_filter, 1);
    findRow->addWidget(m_filterColumn);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_progress);
    statusRow->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_bar);
    layout->addLayout(findRow);
    layout->addWidget(m_table, 1);
    layout->addLayout(statusRow);

    connect(m_find, &QLineEdit::returnPressed, this, &TableEditor::findNext);
    connect(m_filter, &QLineEdit::returnPressed, this, &TableEditor::applyFilter);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty())
            applyFilter();
    });
    connect(m_filterColumn, &QComboBox::activated, this, &TableEditor::applyFilter);
    connect(m_table->horizontalHeader(), &QHeaderView::sectionClicked, this, [this](int column) {
        if (!m_model)
            return;
        // Ascending, descending, then the file's order again.
        QHeaderView *header = m_table->horizontalHeader();
        if (m_proxy->sortColumn() != column)
            m_proxy->sortBy(column, Qt::AscendingOrder);
        else if (m_proxy->sortOrder() == Qt::AscendingOrder)
            m_proxy->sortBy(column, Qt::DescendingOrder);
        else
            m_proxy->sortBy(-1);
        header->setSortIndicatorShown(m_proxy->sortColumn() >= 0);
        header->setSortIndicator(m_proxy->sortColumn(), m_proxy->sortOrder());
    });
    connect(m_proxy, &DatasetViewProxy::busyChanged, this, [this](bool busy) {
        m_progress->setVisible(busy);
        m_cancel->setVisible(busy);
        updateStatus();
    });
    connect(m_cancel, &QToolButton::clicked, this, [this] {
        m_proxy->stop(); // the view stays as it was before this sort or filter
        QHeaderView *header = m_table->horizontalHeader();
        header->setSortIndicatorShown(m_proxy->sortColumn() >= 0);
        header->setSortIndicator(m_proxy->sortColumn(), m_proxy->sortOrder());
        m_status->setText(tr("Stopped."));
    });
    connect(m_proxy, &DatasetViewProxy::failed, this, [this](const QString &error) {
        m_status->setText(tr("Sorting or filtering stopped: %1").arg(error));
    });
    connect(m_proxy, &DatasetViewProxy::progress, this, [this](int done, int total) {
        m_progress->setRange(0, std::max(1, total));
        m_progress->setValue(done);
    });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &TableEditor::updateStatus);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &TableEditor::updateStatus);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &TableEditor::updateStatus);
    setModel(nullptr);
}

TableEditor::~TableEditor()
{
    m_proxy->setSourceModel(nullptr);
}

void TableEditor::setModel(DatasetTableModel *model)
{
    for (const auto &c : std::as_const(m_modelConnections))
        disconnect(c);
    m_modelConnections.clear();
    m_model = model;
    m_proxy->setSourceModel(model);
    m_find->clear();
    m_filter->clear();
    m_table->horizontalHeader()->setSortIndicatorShown(false);
    auto refillColumns = [this] {
        const int kept = m_filterColumn->currentIndex();
        m_filterColumn->clear();
        m_filterColumn->addItem(tr("any column"));
        if (m_model)
            m_filterColumn->addItems(m_model->columnNames());
        m_filterColumn->setCurrentIndex(kept >= 0 && kept < m_filterColumn->count() ? kept : 0);
    };
    refillColumns();
    if (model) {
        QUndoStack *stack = model->undoStack();
        m_modelConnections << connect(stack, &QUndoStack::indexChanged, this, &TableEditor::updateActions)
                           << connect(stack, &QUndoStack::cleanChanged, this, &TableEditor::updateActions)
                           << connect(model, &QAbstractItemModel::columnsInserted, this, refillColumns)
                           << connect(model, &QAbstractItemModel::columnsRemoved, this, refillColumns)
                           << connect(model, &QAbstractItemModel::headerDataChanged, this, refillColumns)
                           << connect(model, &QAbstractItemModel::modelReset, this, refillColumns);
        if (TableFile *file = model->file()) {
            m_modelConnections << connect(file, &TableFile::progress, this, [this](qint64 done, qint64 total) {
                m_progress->setVisible(done < total);
                m_progress->setRange(0, 1000);
                m_progress->setValue(total > 0 ? int(done * 1000 / total) : 1000);
                updateStatus();
            }) << connect(file, &TableFile::finishedReading, this, [this] {
                m_progress->hide();
                updateActions();
                updateStatus();
            });
        }
        m_modelConnections << connect(model, &DatasetTableModel::saved, this, [this] {
            // A new TableFile: follow its reading too.
            setModel(m_model);
        });
    }
    setEnabled(model != nullptr);
    updateActions();
    updateStatus();
}

void TableEditor::updateActions()
{
    const bool have = m_model != nullptr;
    m_undo->setEnabled(have && m_model->undoStack()->canUndo());
    m_redo->setEnabled(have && m_model->undoStack()->canRedo());
    m_undo->setText(have && m_model->undoStack()->canUndo() ? tr("Undo %1").arg(m_model->undoStack()->undoText())
                                                            : tr("Undo"));
    m_save->setEnabled(have && m_model->isModified());
    const bool rows = have && m_model->canChangeRows();
    m_addRow->setEnabled(rows);
    m_removeRows->setEnabled(rows);
    m_addColumn->setEnabled(have);
    m_removeColumn->setEnabled(have);
    m_renameColumn->setEnabled(have);
    m_nextBad->setEnabled(have);
}

void TableEditor::updateStatus()
{
    if (!m_model) {
        m_status->setText(tr("No dataset open."));
        return;
    }
    const QLocale locale;
    QStringList parts;
    const TableFile *file = m_model->file();
    if (file && !file->finished())
        parts.append(tr("reading… %1 rows so far").arg(locale.toString(m_model->rowCount())));
    else
        parts.append(tr("%n row(s)", nullptr, m_model->rowCount()));
    if (m_proxy->rowCount() != m_model->rowCount())
        parts.append(tr("%1 shown").arg(locale.toString(m_proxy->rowCount())));
    if (file && file->finished()) {
        const int bad = int(m_model->knownBadRows().size());
        if (bad > 0)
            parts.append(tr("%n row(s) do not read", nullptr, bad));
    }
    if (file && !file->error().isEmpty())
        parts.append(tr("reading stopped: %1").arg(file->error()));
    if (m_proxy->isBusy())
        parts.append(tr("working…"));
    m_status->setText(parts.join(u" · "_s));
    updateActions();
}

void TableEditor::applyFilter()
{
    if (!m_model)
        return;
    m_proxy->setFilter(m_filter->text(), m_filterColumn->currentIndex() - 1);
}

void TableEditor::findNext()
{
    if (!m_model || m_find->text().isEmpty())
        return;
    m_proxy->findNext(m_find->text(), m_table->currentIndex(), [this](const QModelIndex &found) {
        if (!found.isValid()) {
            m_status->setText(tr("\"%1\" is not in the table.").arg(m_find->text()));
            return;
        }
        m_table->setCurrentIndex(found);
        m_table->scrollTo(found, QAbstractItemView::PositionAtCenter);
    });
}

bool TableEditor::showLine(int line)
{
    if (!m_model)
        return false;
    const int row = m_model->rowOfLine(line);
    if (row < 0)
        return false;
    QModelIndex at = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!at.isValid()) { // filtered out: show every row again
        m_filter->clear();
        m_proxy->setFilter({});
        at = m_proxy->mapFromSource(m_model->index(row, 0));
    }
    m_table->setCurrentIndex(at);
    m_table->selectRow(at.row());
    m_table->scrollTo(at, QAbstractItemView::PositionAtCenter);
    return at.isValid();
}

bool TableEditor::nextBadRow()
{
    if (!m_model)
        return false;
    const QList<int> bad = m_model->knownBadRows();
    const int current = m_table->currentIndex().isValid() ? m_table->currentIndex().row() : -1;
    QList<int> viewRows;
    for (int row : bad) {
        const QModelIndex at = m_proxy->mapFromSource(m_model->index(row, 0));
        if (at.isValid())
            viewRows.append(at.row());
    }
    std::sort(viewRows.begin(), viewRows.end());
    if (viewRows.isEmpty()) {
        m_status->setText(tr("Every row reads."));
        return false;
    }
    const auto next = std::upper_bound(viewRows.begin(), viewRows.end(), current);
    const int row = next == viewRows.end() ? viewRows.first() : *next;
    const QModelIndex at = m_proxy->index(row, 0);
    m_table->setCurrentIndex(at);
    m_table->scrollTo(at, QAbstractItemView::PositionAtCenter);
    m_status->setText(m_model->rowProblem(m_proxy->mapToSource(at).row()));
    return true;
}

void TableEditor::addColumn()
{
    if (!m_model)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Add Column"), tr("Name:"), QLineEdit::Normal, {}, &ok);
    if (!ok)
        return;
    const int at = m_table->currentIndex().isValid() ? m_table->currentIndex().column() + 1 : m_model->columnCount();
    QString error;
    if (!m_model->insertColumnNamed(at, name, &error))
        QMessageBox::warning(this, tr("Add Column"), error);
}

void TableEditor::renameColumn()
{
    const int column = m_table->currentIndex().column();
    if (!m_model || column < 0)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename Column"), tr("Name:"), QLineEdit::Normal,
                                               m_model->columnName(column), &ok);
    QString error;
    if (ok && !m_model->renameColumn(column, name, &error))
        QMessageBox::warning(this, tr("Rename Column"), error);
}

} // namespace invoke::ui
