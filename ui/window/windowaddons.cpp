#include "ui/window/windowaddons.h"
#include "ui/connection/backendprovider.h"
#include "ui/connection/profileswitcher.h"
#include "ui/request/copyascode.h"
#include "ui/request/modeswitch.h"
#include "ui/window/mainwindow.h"
#include "ui/window/datasetsworkflow.h"
#include "ui/window/historyworkflow.h"
#include "ui/window/inspectorworkflow.h"
#include "ui/window/testsworkflow.h"

#include "core/backend/backend.h"
#include "core/config/profiles.h"

#include <QtWidgets/QStatusBar>

namespace invoke::ui {

WindowAddOns installWindowAddOns(MainWindow *window, ProfileStore *profiles, BackendProvider *provider,
                                 const QString &historyFile)
{
    auto *switcher = new ProfileSwitcher(profiles, provider, window);
    auto *copy = new CopyAsCode(
        [window](QString *problem) -> std::optional<CopyAsCode::Request> {
            MainWindow::RequestProblem why;
            std::optional<InvokeRequest> request = window->currentRequest(&why);
            if (!request) {
                if (problem)
                    *problem = why.message;
                return std::nullopt;
            }
            return CopyAsCode::Request{std::move(*request), window->modeSwitch()->mockFile()};
        },
        window);
    window->addToolbarWidget(switcher);
    window->addToolbarWidget(copy);

    QObject::connect(provider, &BackendProvider::backendChanged, window, &MainWindow::backendChanged);
    QObject::connect(switcher, &ProfileSwitcher::failed, window, &MainWindow::showError);
    QObject::connect(switcher, &ProfileSwitcher::switched, copy,
                     [copy, switcher] { copy->setEndpoint(switcher->currentEndpoint()); });
    QObject::connect(copy, &CopyAsCode::reported, window,
                     [window](const QString &message) { window->statusBar()->showMessage(message, 8000); });
    auto *tests = new TestsWorkflow(window);
    // The run history: masks the LLM key and the backend's own token in what it records.
    auto *history = new HistoryWorkflow(window, historyFile, historyMaxBytes(), [window] {
        QStringList secrets = window->backend() ? window->backend()->secrets() : QStringList();
        if (!window->llmSettings().apiKey.isEmpty())
            secrets.append(window->llmSettings().apiKey);
        return secrets;
    });
    auto *inspector = new InspectorWorkflow(window, window->settings());
    auto *datasets = new DatasetsWorkflow(window);
    switcher->switchTo(profiles->current());
    return {switcher, copy, tests, history, inspector, datasets};
}

} // namespace invoke::ui
