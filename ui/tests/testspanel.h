#pragma once
#include "core/agenttests/caseresult.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtWidgets/QWidget>

#include <functional>

class QAction;
class QLabel;
class QTreeView;
class QUndoGroup;

namespace invoke {
class Backend;
}
namespace invoke::agenttests {
class TestRunner;
}

namespace invoke::ui {

class Banner;
class CaseDetailView;
class TestsDocument;
class TestsModel;

// The Tests panel (docs/tests.md): tests files and folders opened into a red/green list of
// files and their cases; Run all, Run selected, Run failed and Stop, through the Backend it
// is given (the window's: the embedded engine or a server), each case's run kept with its
// events so the window can show it; a summary line; the selected case's failures next to
// the actual values. Cases are renamed, duplicated, removed and their expectations edited
// with undo (one stack per file), and files saved like mock sets; unsaved changes are
// never dropped without asking. Its work is in three files: testspanel.cpp (the layout,
// actions, selection and case edits), testspanelfiles.cpp (opening, saving, closing
// files) and testspanelrun.cpp (running cases).
class TestsPanel : public QWidget
{
    Q_OBJECT
public:
    TestsPanel(Backend *backend, QWidget *parent = nullptr);
    ~TestsPanel() override;

    TestsModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    CaseDetailView *detail() const { return m_detail; }
    Banner *banner() const { return m_banner; }
    QLabel *summaryLabel() const { return m_summary; }

    QAction *openFileAction() const { return m_openFile; }
    QAction *openFolderAction() const { return m_openFolder; }
    QAction *runAllAction() const { return m_runAll; }
    QAction *runSelectedAction() const { return m_runSelected; }
    QAction *runFailedAction() const { return m_runFailed; }
    QAction *stopAction() const { return m_stop; }
    QAction *saveAction() const { return m_save; }
    QAction *renameAction() const { return m_rename; }
    QAction *duplicateAction() const { return m_duplicate; }
    QAction *removeAction() const { return m_remove; }
    QAction *closeFileAction() const { return m_closeFile; }
    QAction *undoAction() const { return m_undo; }
    QAction *redoAction() const { return m_redo; }

    // Opens a tests file, or every *.tests.json under a folder. A file already open is
    // not read again. Files with problems are not opened; the banner lists the problems
    // ("file:line: what"). False when nothing could be opened.
    bool openPath(const QString &path);
    // The open file at `filePath`, opened (or a new, empty document for a file that does
    // not exist yet), or nullptr with `error`.
    TestsDocument *documentFor(const QString &filePath, QString *error);
    // Adds `testCase` to the tests file `filePath` (opened first, or made) as one undoable
    // edit, and saves that file. False with `error` when the name is taken or the file
    // cannot be read or written; nothing else is changed then.
    bool addCaseToFile(const QString &filePath, const agenttests::TestCase &testCase, QString *error);

    void runAll();
    void runSelected();
    void runFailed();
    void stop();
    bool isRunning() const { return m_runner != nullptr; }
    // Saves the file of the selected row.
    bool saveCurrent();
    void selectCase(const TestsDocument *document, int caseRow);

    bool hasUnsavedChanges() const;
    // With unsaved tests files, asks Save all / Discard / Cancel (a window-modal box named
    // "unsavedTestsBox"); calls `proceed` unless the user cancels or a save fails.
    void whenChangesAreSafe(std::function<void()> proceed);

Q_SIGNALS:
    // A case that ran was selected (or finished while selected): show its run.
    void caseRunSelected(const invoke::agenttests::TestCase &testCase, const invoke::agenttests::CaseResult &result);
    // A run of cases started or finished.
    void runningChanged(bool running);

private:
    struct Target
    {
        QPointer<TestsDocument> document;
        QString name;
    };
    void buildActions();
    void chooseFile();
    void chooseFolder();
    void runCases(const QList<std::pair<TestsDocument *, int>> &cases);
    void onCaseFinished(int index, const agenttests::CaseResult &result);
    void onRunFinished();
    void onCurrentChanged();
    void renameCurrent();
    void duplicateCurrent();
    void removeCurrent();
    void closeCurrentFile();
    void updateActions();
    void updateSummary();
    TestsDocument *currentDocument() const;
    int currentCaseRow() const;

    Backend *m_backend;
    TestsModel *m_model;
    QUndoGroup *m_undoGroup;
    Banner *m_banner;
    QTreeView *m_view;
    CaseDetailView *m_detail;
    QLabel *m_summary;
    agenttests::TestRunner *m_runner = nullptr;
    QList<Target> m_targets; // by the runner's case index
    int m_finishedCount = 0;
    QElapsedTimer m_clock;
    qint64 m_lastRunMs = -1;
    QString m_lastDir;
    QAction *m_openFile, *m_openFolder, *m_runAll, *m_runSelected, *m_runFailed, *m_stop, *m_save, *m_rename,
        *m_duplicate, *m_remove, *m_closeFile, *m_undo, *m_redo;
};

} // namespace invoke::ui
