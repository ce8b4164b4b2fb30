#pragma once
#include "core/agenttests/testcase.h"
#include "core/model/invocation/invokeresult.h"

#include <QtCore/QObject>

class QAction;
class QDockWidget;

namespace invoke::agenttests {
struct CaseResult;
}

namespace invoke::ui {

class MainWindow;
class TestsPanel;

// The Tests panel inside the studio window: a dock at the bottom (View ▸ Panels ▸ Tests),
// a Tests menu with the panel's actions, opening tests files and folders from the File
// menu too, running through the window's
// backend (so a server profile runs them there). A finished case picked in the panel
// shows its run in the window's step tree, events, transcript and result; "Save Run as
// Test Case" (Run menu) turns the run shown into a case of a tests file. The window does
// not close over unsaved tests files without asking.
class TestsWorkflow : public QObject
{
    Q_OBJECT
public:
    explicit TestsWorkflow(MainWindow *window);

    TestsPanel *panel() const { return m_panel; }
    QDockWidget *dock() const { return m_dock; }
    QAction *saveRunAction() const { return m_saveRun; }

    // The window shows `result` (a case's run) as its current run. False while a run is going.
    bool showCaseRun(const agenttests::TestCase &testCase, const InvokeResult &result);
    // Opens the dialog for the run shown; on Save the case goes into the chosen file.
    void saveRunAsTestCase();
    // What Save writes when the dialog was accepted (the tests use it without the dialog).
    bool saveTestCase(const QString &filePath, const agenttests::TestCase &testCase, QString *error);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showPanel();
    void updateActions();

    MainWindow *m_window;
    TestsPanel *m_panel;
    QDockWidget *m_dock;
    QAction *m_saveRun;
    InvokeRequest m_shownRequest;
    InvokeResult m_shownResult;
    bool m_haveRun = false;
    bool m_closeApproved = false;
    bool m_sized = false;
    QString m_lastFile;
};

} // namespace invoke::ui
