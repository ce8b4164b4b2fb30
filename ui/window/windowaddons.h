#pragma once
// The one place the studio window's add-ons are wired to it (app/studio/main.cpp and the
// tests call it): the profile switcher and Copy as code go on the toolbar, each given
// only what it needs: the switcher the profiles and the BackendProvider, Copy as code
// the current request and the endpoint of the profile in use. The window hears of a
// backend switch and of a switch that failed; Copy as code's reports go to the status bar.
// The Tests panel (ui/window/testsworkflow.h) docks at the bottom, on the window's backend.

#include <QtCore/QString>

namespace invoke {
class ProfileStore;
}

namespace invoke::ui {

class BackendProvider;
class CopyAsCode;
class MainWindow;
class ProfileSwitcher;
class TestsWorkflow;
class HistoryWorkflow;
class InspectorWorkflow;
class DatasetsWorkflow;

struct WindowAddOns
{
    ProfileSwitcher *switcher = nullptr;
    CopyAsCode *copyAsCode = nullptr;
    TestsWorkflow *tests = nullptr;
    HistoryWorkflow *history = nullptr; // ui/window/historyworkflow.h: records every run
    InspectorWorkflow *inspector = nullptr; // ui/window/inspectorworkflow.h: colouring rules, follow views
    DatasetsWorkflow *datasets = nullptr; // ui/window/datasetsworkflow.h: the dataset workspace
};

// Adds them to `window` (which must talk to `provider`), then switches to the profile
// chosen last.
// `historyFile` empty: the user's run history (history::defaultHistoryFile()).
WindowAddOns installWindowAddOns(MainWindow *window, ProfileStore *profiles, BackendProvider *provider,
                                 const QString &historyFile = {});

} // namespace invoke::ui
