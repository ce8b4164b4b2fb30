#pragma once
// The dataset workspace inside the studio window (ui/datasets/datasetworkspace.h): a dock
// (View ▸ Panels ▸ Datasets, hidden until used; half the window's height the first time)
// opened by File ▸ Datasets… (Ctrl+Shift+D). Edit ▸ Find and Undo/Redo reach its table;
// the search preview asks the window's Backend (Backend::searchDataset: the local index or
// a server profile's route). New Dataset can take the rows of the run shown (the selected step's output, else the
// last step whose output is a list of objects). The window does not close over unsaved
// dataset changes without asking; a dataset saved or imported lists the backend's datasets again.
#include <QtCore/QObject>

class QAction;
class QDockWidget;

namespace invoke::ui {

class DatasetWorkspace;
class MainWindow;

class DatasetsWorkflow : public QObject
{
    Q_OBJECT
public:
    // `folders` and `indexFile` empty: the user's (ui/datasets/datasetlistmodel.h).
    explicit DatasetsWorkflow(MainWindow *window, const QStringList &folders = {}, const QString &indexFile = {});

    DatasetWorkspace *workspace() const { return m_workspace; }
    QDockWidget *dock() const { return m_dock; }
    QAction *openAction() const { return m_open; }
    void showWorkspace();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    MainWindow *m_window;
    DatasetWorkspace *m_workspace;
    QDockWidget *m_dock;
    QAction *m_open;
    bool m_sized = false;
};

} // namespace invoke::ui
