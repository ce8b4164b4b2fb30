#pragma once
// The event inspector's add-ons in the window (docs/filters.md): colouring rules painted on
// the Events tab and the step tree (View > Colouring Rules…, View > Colour Events), and the
// follow views, opened from the Events tab's and the step tree's context menus (Follow
// Message on a message_content event or a step, Follow Step on any event of a step or a step).
#include <QtCore/QObject>
#include <QtCore/QPointer>

class QAction;
class QSettings;

namespace invoke::ui {

class ColouringDialog;
class ColouringRules;
class FollowMessageView;
class FollowStepView;
class MainWindow;
class RowColours;

class InspectorWorkflow : public QObject
{
    Q_OBJECT
public:
    // Rules read from and saved to `settings` (nullptr: the defaults, in memory).
    InspectorWorkflow(MainWindow *window, QSettings *settings);

    ColouringRules *rules() const { return m_rules; }
    RowColours *colours() const { return m_colours; }
    QAction *rulesAction() const { return m_rulesAction; }
    QAction *colourAction() const { return m_colourAction; }
    QAction *followMessageAction() const { return m_followMessage; }
    QAction *followStepAction() const { return m_followStep; }
    QAction *followSelectedStepAction() const { return m_followSelectedStep; }
    QAction *followStepMessageAction() const { return m_followStepMessage; }

    // View > Colouring Rules…: the dialog, open (window-modal) until OK or Cancel.
    ColouringDialog *openRulesDialog();
    // The follow windows for an event row of the list, or a step path.
    FollowMessageView *followMessage(int eventRow);
    // The first message the step `path` streamed (nullptr, and a word in the status bar, when none).
    FollowMessageView *followStepMessage(const QString &path);
    FollowStepView *followStep(const QString &path);

private:
    void eventContextMenu(const QPoint &position);
    int currentEventRow() const;
    void updateEventActions();

    MainWindow *m_window;
    ColouringRules *m_rules;
    RowColours *m_colours;
    QAction *m_rulesAction;
    QAction *m_colourAction;
    QAction *m_followMessage;
    QAction *m_followStep;
    QAction *m_followSelectedStep;
    QAction *m_followStepMessage;
    QPointer<ColouringDialog> m_dialog;
};

} // namespace invoke::ui
