#include "ui/tests/testspanel.h"
#include "ui/tests/casedetailview.h"
#include "ui/tests/testsdocument.h"
#include "ui/tests/testsmodel.h"
#include "ui/common/banner.h"
#include "ui/common/icons.h"

#include "core/agenttests/testrunner.h"

#include <QtGui/QAction>
#include <QtGui/QUndoGroup>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

using namespace agenttests;

TestsPanel::TestsPanel(Backend *backend, QWidget *parent)
    : QWidget(parent), m_backend(backend), m_model(new TestsModel(this)), m_undoGroup(new QUndoGroup(this)),
      m_banner(new Banner), m_view(new QTreeView), m_detail(new CaseDetailView), m_summary(new QLabel)
{
    setObjectName(u"testsPanel"_s);
    buildActions();

    m_view->setObjectName(u"testsView"_s);
    m_view->setProperty("shortcutScope", tr("Tests panel")); // Help ▸ Keyboard Shortcuts groups them so
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addActions({m_runSelected, m_rename, m_duplicate, m_remove, m_closeFile});
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(TestsModel::NameColumn, QHeaderView::Stretch);
    m_view->header()->setSectionResizeMode(TestsModel::TimeColumn, QHeaderView::ResizeToContents);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &TestsPanel::onCurrentChanged);
    connect(m_view, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        if (m_model->caseRowAt(index) >= 0 && !isRunning())
            runSelected();
    });
    connect(m_model, &TestsModel::summaryChanged, this, &TestsPanel::updateSummary);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &first) {
        if (first.parent() == m_view->currentIndex().parent() && first.row() == m_view->currentIndex().row())
            onCurrentChanged();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent) {
        if (!parent.isValid())
            m_view->expandAll();
    });
    connect(m_detail, &CaseDetailView::expectationsEdited, this, [this](const QList<Assertion> &expect) {
        if (TestsDocument *document = currentDocument(); document && currentCaseRow() >= 0 && !isRunning())
            document->setExpectations(currentCaseRow(), expect);
    });

    auto *toolbar = new QToolBar;
    toolbar->setObjectName(u"testsToolbar"_s);
    toolbar->setIconSize(QSize(16, 16));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions({m_openFile, m_openFolder});
    toolbar->addSeparator();
    toolbar->addActions({m_runAll, m_runSelected, m_runFailed, m_stop});
    toolbar->addSeparator();
    toolbar->addActions({m_save, m_undo, m_redo});

    m_summary->setObjectName(u"testsSummary"_s);
    m_summary->setTextFormat(Qt::PlainText);

    auto *listSide = new QWidget;
    auto *listLayout = new QVBoxLayout(listSide);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->setSpacing(2);
    listLayout->addWidget(m_view, 1);
    listLayout->addWidget(m_summary);

    auto *split = new QSplitter(Qt::Horizontal);
    split->setObjectName(u"testsSplitter"_s);
    split->setChildrenCollapsible(false);
    split->addWidget(listSide);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(toolbar);
    layout->addWidget(m_banner);
    layout->addWidget(split, 1);

    updateActions();
    updateSummary();
}

TestsPanel::~TestsPanel()
{
    if (m_runner)
        m_runner->disconnect(this); // its last verdicts have nowhere to go
    // The documents and their undo stacks go after this (and the window may be going
    // already): a stack leaving the group must not reach us or the window through the
    // group's undo/redo actions. Without the group, a stack's destruction signals nothing.
    m_model->disconnect(this);
    m_undo->blockSignals(true);
    m_redo->blockSignals(true);
    delete m_undoGroup;
}

void TestsPanel::buildActions()
{
    auto make = [this](const QString &text, const QString &name, const QString &tip, const QString &iconName = {}) {
        auto *action = new QAction(iconName.isEmpty() ? QIcon() : icon(iconName), text, this);
        action->setObjectName(name);
        action->setToolTip(tip);
        return action;
    };
    m_openFile = make(tr("Open…"), u"openTestsFileAction"_s, tr("Open a tests file (*.tests.json)"), u"open"_s);
    m_openFolder = make(tr("Open Folder…"), u"openTestsFolderAction"_s,
                        tr("Open every *.tests.json file under a folder"));
    m_runAll = make(tr("Run All"), u"runAllTestsAction"_s, tr("Run every case of the open files"), u"invoke"_s);
    m_runSelected = make(tr("Run Selected"), u"runSelectedTestAction"_s,
                         tr("Run the selected case, or every case of the selected file"));
    m_runFailed = make(tr("Run Failed"), u"runFailedTestsAction"_s, tr("Run again the cases that failed or could not run"));
    m_stop = make(tr("Stop"), u"stopTestsAction"_s, tr("Stop the cases still running or waiting"), u"stop"_s);
    m_save = make(tr("Save"), u"saveTestsAction"_s, tr("Save the selected tests file"));
    m_rename = make(tr("Rename Case…"), u"renameTestCaseAction"_s, tr("Rename the selected case"));
    m_rename->setShortcut(Qt::Key_F2);
    m_duplicate = make(tr("Duplicate Case"), u"duplicateTestCaseAction"_s, tr("Add a copy of the selected case"));
    m_remove = make(tr("Remove Case"), u"removeTestCaseAction"_s, tr("Remove the selected case (undoable)"));
    m_remove->setShortcut(QKeySequence::Delete);
    m_closeFile = make(tr("Close File"), u"closeTestsFileAction"_s, tr("Take the selected file out of the panel"));
    for (QAction *caseAction : {m_rename, m_remove})
        caseAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_undo = m_undoGroup->createUndoAction(this, tr("Undo"));
    m_undo->setObjectName(u"undoTestsAction"_s);
    m_redo = m_undoGroup->createRedoAction(this, tr("Redo"));
    m_redo->setObjectName(u"redoTestsAction"_s);

    connect(m_openFile, &QAction::triggered, this, &TestsPanel::chooseFile);
    connect(m_openFolder, &QAction::triggered, this, &TestsPanel::chooseFolder);
    connect(m_runAll, &QAction::triggered, this, &TestsPanel::runAll);
    connect(m_runSelected, &QAction::triggered, this, &TestsPanel::runSelected);
    connect(m_runFailed, &QAction::triggered, this, &TestsPanel::runFailed);
    connect(m_stop, &QAction::triggered, this, &TestsPanel::stop);
    connect(m_save, &QAction::triggered, this, &TestsPanel::saveCurrent);
    connect(m_rename, &QAction::triggered, this, &TestsPanel::renameCurrent);
    connect(m_duplicate, &QAction::triggered, this, &TestsPanel::duplicateCurrent);
    connect(m_remove, &QAction::triggered, this, &TestsPanel::removeCurrent);
    connect(m_closeFile, &QAction::triggered, this, &TestsPanel::closeCurrentFile);
    connect(m_undoGroup, &QUndoGroup::cleanChanged, this, &TestsPanel::updateActions);
}

void TestsPanel::selectCase(const TestsDocument *document, int caseRow)
{
    const QModelIndex index = caseRow >= 0 ? m_model->indexOfCase(document, caseRow) : m_model->indexOfFile(document);
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
}

TestsDocument *TestsPanel::currentDocument() const
{
    return m_model->documentAt(m_view->currentIndex());
}

int TestsPanel::currentCaseRow() const
{
    return m_model->caseRowAt(m_view->currentIndex());
}

void TestsPanel::onCurrentChanged()
{
    updateActions();
    TestsDocument *document = currentDocument();
    const int row = currentCaseRow();
    if (!document || row < 0) {
        m_detail->clear();
        return;
    }
    const CaseResult *result = m_model->result(document, row);
    m_detail->showCase(document->testCase(row), m_model->state(document, row), result);
    m_detail->setEditable(!isRunning());
    const CaseState state = m_model->state(document, row);
    const bool finished = state == CaseState::Passed || state == CaseState::Failed || state == CaseState::Error;
    if (finished && result && (!result->run.events.isEmpty() || !result->run.steps.isEmpty()))
        Q_EMIT caseRunSelected(document->testCase(row), *result);
}

void TestsPanel::renameCurrent()
{
    TestsDocument *document = currentDocument();
    const int row = currentCaseRow();
    if (!document || row < 0 || isRunning())
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename the test case"), tr("Name:"), QLineEdit::Normal,
                                               document->testCase(row).name, &ok);
    if (!ok)
        return;
    QString error;
    if (!document->renameCase(row, name.trimmed(), &error))
        m_banner->showMessage(Banner::Error, error);
}

void TestsPanel::duplicateCurrent()
{
    TestsDocument *document = currentDocument();
    const int row = currentCaseRow();
    if (!document || row < 0 || isRunning())
        return;
    selectCase(document, document->duplicateCase(row));
}

void TestsPanel::removeCurrent()
{
    TestsDocument *document = currentDocument();
    const int row = currentCaseRow();
    if (!document || row < 0 || isRunning())
        return;
    document->removeCase(row);
    if (document->count() > 0)
        selectCase(document, std::min(row, document->count() - 1));
}

void TestsPanel::updateActions()
{
    const bool running = isRunning();
    TestsDocument *document = currentDocument();
    const bool onCase = document && currentCaseRow() >= 0;
    m_undoGroup->setActiveStack(document ? document->undoStack() : nullptr);
    bool anyCase = false;
    bool anyFailed = false;
    for (int file = 0; file < m_model->documentCount(); ++file) {
        TestsDocument *d = m_model->document(file);
        anyCase = anyCase || d->count() > 0;
        for (int row = 0; row < d->count() && !anyFailed; ++row) {
            const CaseState state = m_model->state(d, row);
            anyFailed = state == CaseState::Failed || state == CaseState::Error;
        }
    }
    m_openFile->setEnabled(!running);
    m_openFolder->setEnabled(!running);
    m_runAll->setEnabled(!running && anyCase);
    m_runSelected->setEnabled(!running && document && document->count() > 0);
    m_runFailed->setEnabled(!running && anyFailed);
    m_stop->setEnabled(running);
    m_save->setEnabled(document && document->isModified());
    m_rename->setEnabled(!running && onCase);
    m_duplicate->setEnabled(!running && onCase);
    m_remove->setEnabled(!running && onCase);
    m_closeFile->setEnabled(!running && document);
    if (running) { // no edits under a run: its verdicts are matched to the cases by name
        m_undo->setEnabled(false);
        m_redo->setEnabled(false);
    } else {
        m_undo->setEnabled(m_undoGroup->canUndo());
        m_redo->setEnabled(m_undoGroup->canRedo());
    }
    m_detail->setEditable(!running);
}

void TestsPanel::updateSummary()
{
    const TestsModel::Summary s = m_model->summary();
    if (s.cases == 0) {
        m_summary->setText(tr("No tests open: open a *.tests.json file or a folder of them."));
        return;
    }
    const int notRun = s.cases - s.passed - s.failed - s.errors - s.running;
    QString text = tr("%1 passed · %2 failed · %3 errors").arg(s.passed).arg(s.failed).arg(s.errors);
    if (notRun > 0)
        text += tr(" · %1 not run").arg(notRun);
    if (isRunning())
        text = tr("Running: %1 of %2 done — ").arg(m_finishedCount).arg(m_targets.size()) + text;
    else if (m_lastRunMs >= 0)
        text += tr(" — %1 s").arg(double(m_lastRunMs) / 1000.0, 0, 'f', 2);
    m_summary->setText(text);
    updateActions();
}

} // namespace invoke::ui
