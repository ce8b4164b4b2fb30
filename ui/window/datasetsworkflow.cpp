#include "ui/window/datasetsworkflow.h"
#include "ui/window/mainwindow.h"
#include "ui/datasets/datasetworkspace.h"
#include "ui/datasets/newdatasetdialog.h"
#include "ui/datasets/table/tableeditor.h"
#include "ui/steps/steptreemodel.h"

#include "core/backend/backend.h"
#include "core/model/dataset/datasetsearch.h"

#include <QtGui/QAction>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

// The rows a dataset can be made of from the run shown: the selected step's output, else
// the last step's whose output is a list of objects.
std::optional<datasets::DatasetTable> runRowsOf(MainWindow *window)
{
    StepTreeModel *steps = window->stepModel();
    const QModelIndex selected = window->stepView()->currentIndex();
    if (selected.isValid())
        if (auto table = tableFromJson(steps->stepAt(selected).output))
            return table;
    std::optional<datasets::DatasetTable> last;
    std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
        for (int row = 0; row < steps->rowCount(parent); ++row) {
            const QModelIndex index = steps->index(row, 0, parent);
            if (auto table = tableFromJson(steps->stepAt(index).output))
                last = table;
            walk(index);
        }
    };
    walk({});
    return last;
}

} // namespace

DatasetsWorkflow::DatasetsWorkflow(MainWindow *window, const QStringList &folders, const QString &indexFile)
    : QObject(window), m_window(window), m_workspace(new DatasetWorkspace(folders, indexFile)),
      m_dock(new QDockWidget(tr("Datasets"), window)), m_open(new QAction(tr("&Datasets…"), this))
{
    m_dock->setObjectName(u"datasetsDock"_s);
    m_dock->setWidget(m_workspace);
    m_dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable
                        | QDockWidget::DockWidgetFloatable);
    window->addDockWidget(Qt::BottomDockWidgetArea, m_dock);
    m_dock->hide();
    connect(m_dock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && !std::exchange(m_sized, true))
            m_window->resizeDocks({m_dock}, {std::max(320, m_window->height() / 2)}, Qt::Vertical);
    });

    m_open->setObjectName(u"openDatasetsAction"_s);
    m_open->setShortcut(QKeySequence(u"Ctrl+Shift+D"_s));
    m_open->setToolTip(tr("See, edit, import and search the datasets a bot reads"));
    connect(m_open, &QAction::triggered, this, &DatasetsWorkflow::showWorkspace);
    window->addMenuAction(WindowMenu::File, m_open);
    QAction *toggle = m_dock->toggleViewAction();
    toggle->setObjectName(u"showDatasetsPanelAction"_s);
    toggle->setText(tr("&Datasets"));
    window->addMenuAction(WindowMenu::Panels, toggle);

    TableEditor *table = m_workspace->tableEditor();
    window->addFindField(m_workspace, table->findField());
    window->addUndoTarget(m_workspace, table->undoAction(), table->redoAction());
    m_workspace->setRunRows([window] { return runRowsOf(window); });
    // The preview asks the window's backend, as a run would search: the local engine's
    // index, or a server profile's GET /datasets/{slug}/search.
    m_workspace->setSearcher([window](const QString &slug, const QString &query, int limit, QObject *context,
                                      std::function<void(const SearchAnswer &)> done) {
        window->backend()->searchDataset(slug, query, limit, context, [done](const DatasetSearchResult &result) {
            SearchAnswer answer;
            if (!result.ok())
                answer.error = result.error;
            answer.output = result.toJson();
            for (const DatasetMemory &memory : result.memories)
                answer.hits.append({memory.id, memory.content, memory.score, memory.metadata});
            done(answer);
        });
    });
    // A dataset written here: the request's dataset list and the backend see it.
    connect(m_workspace, &DatasetWorkspace::datasetSaved, window, &MainWindow::reloadDatasets);
    window->installEventFilter(this);
}

void DatasetsWorkflow::showWorkspace()
{
    m_dock->show();
    m_dock->raise();
    m_workspace->datasetView()->setFocus();
}

bool DatasetsWorkflow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_window || event->type() != QEvent::Close || !m_workspace->isModified())
        return false;
    showWorkspace();
    if (!m_workspace->maybeSave()) {
        event->ignore();
        return true;
    }
    return false;
}

} // namespace invoke::ui
