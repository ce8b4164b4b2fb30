#pragma once
// The table of one dataset file: the rows (ui/datasets/table/datasettablemodel.h) through the
// sort and filter view (ui/datasets/table/datasetviewproxy.h), with the actions that change
// them (add and remove rows and columns, rename a column, undo, redo, save), find, a
// filter field and sorting by a column's header. Rows that do not read are red, with
// their reason on the line number; "Next Bad Row" walks through them.
#include <QtWidgets/QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QToolButton;
class QTableView;
class QToolBar;

namespace invoke::ui {

class DatasetTableModel;
class DatasetViewProxy;

class TableEditor : public QWidget
{
    Q_OBJECT
public:
    explicit TableEditor(QWidget *parent = nullptr);
    ~TableEditor() override;

    // Shows `model` (the editor does not own it; null: nothing).
    void setModel(DatasetTableModel *model);
    DatasetTableModel *model() const { return m_model; }
    DatasetViewProxy *view() const { return m_proxy; }
    QToolButton *cancelButton() const { return m_cancel; }
    QTableView *tableView() const { return m_table; }
    QLineEdit *findField() const { return m_find; }
    QLineEdit *filterField() const { return m_filter; }
    QComboBox *filterColumn() const { return m_filterColumn; }
    QAction *undoAction() const { return m_undo; }
    QAction *redoAction() const { return m_redo; }
    QAction *saveAction() const { return m_save; }
    QAction *addRowAction() const { return m_addRow; }
    QAction *removeRowsAction() const { return m_removeRows; }
    QAction *addColumnAction() const { return m_addColumn; }
    QAction *removeColumnAction() const { return m_removeColumn; }
    QAction *renameColumnAction() const { return m_renameColumn; }
    QAction *nextBadRowAction() const { return m_nextBad; }
    QLabel *statusLabel() const { return m_status; }

    // Selects the row holding line `line` of the file; false when no row does.
    bool showLine(int line);
    // Finds the next cell holding the find field's text after the current one.
    void findNext();
    // Selects the next row that does not read, after the current one.
    bool nextBadRow();
    // Asks for a name, then adds a column after the current one.
    void addColumn();
    void renameColumn();

Q_SIGNALS:
    // Save was asked for (the workspace saves: it knows where, and reports).
    void saveRequested();

private:
    void updateActions();
    void updateStatus();
    void applyFilter();

    DatasetTableModel *m_model = nullptr;
    DatasetViewProxy *m_proxy;
    QToolBar *m_bar;
    QTableView *m_table;
    QLineEdit *m_find;
    QLineEdit *m_filter;
    QComboBox *m_filterColumn;
    QLabel *m_status;
    QProgressBar *m_progress;
    QToolButton *m_cancel; // stops a sort or filter on its way
    QAction *m_undo;
    QAction *m_redo;
    QAction *m_save;
    QAction *m_addRow;
    QAction *m_removeRows;
    QAction *m_addColumn;
    QAction *m_removeColumn;
    QAction *m_renameColumn;
    QAction *m_nextBad;
    QList<QMetaObject::Connection> m_modelConnections;
};

} // namespace invoke::ui
