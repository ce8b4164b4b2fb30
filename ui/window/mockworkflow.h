#pragma once
#include "core/model/invocation/invokerequest.h"
#include "core/model/invocation/invokeresult.h"

#include <QtCore/QObject>

#include <functional>

class QAction;
class QSettings;

namespace invoke::ui {

class MainWindow;
class MockSetEditor;

// The mock set editor inside the studio window, made one thing with Manual mode: the
// mode switch's mock set is the editor's document (unsaved edits included), a run can
// become a mock set ("Save run as mock set") or give one step's answer ("Promote to
// mock"), and "Re-run with mocks" runs the last request again in Manual mode. Before a
// Manual run it warns, naming them, about steps nothing answers. It also guards the
// window's close against unsaved mock sets and opens .json files dropped on the window.
class MockWorkflow : public QObject
{
    Q_OBJECT
public:
    MockWorkflow(MainWindow *window, QSettings *settings);

    MockSetEditor *editor() const { return m_editor; }
    QAction *saveRunAction() const { return m_saveRun; }
    QAction *promoteAction() const { return m_promote; }
    QAction *rerunAction() const { return m_rerun; }

    // Called before a run starts: true to start it now. For a Manual run that would
    // reach steps without a mock it opens "coverageWarningBox" (Run anyway / Cancel)
    // and returns false; Run anyway calls `start` again, which then goes through.
    bool confirmRun(const InvokeRequest &request, std::function<void()> start);

    void saveRunAsMockSet();
    void promoteCurrentStep();
    void rerunWithMocks();
    // The secrets a mock set made from a run must not contain: the LLM API key, and the
    // token of the remote profile in use.
    QStringList secrets() const;
    // The mock set tab, shown.
    void showEditor();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void syncModeSwitch();
    void updateActions();
    void stepContextMenu(const QPoint &position);
    void reportRedactions(const QString &what, const QStringList &lines);

    MainWindow *m_window;
    MockSetEditor *m_editor;
    InvokeResult m_lastResult;
    bool m_haveResult = false;
    bool m_runAnyway = false;
    bool m_closeApproved = false;
    QAction *m_saveRun;
    QAction *m_promote;
    QAction *m_rerun;
};

} // namespace invoke::ui
