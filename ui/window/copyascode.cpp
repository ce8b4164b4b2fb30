#include "ui/window/copyascode.h"
#include "ui/window/mainwindow.h"
#include "ui/request/modeswitch.h"
#include "ui/window/profileswitcher.h"

#include "core/format/requestsnippets.h"

#include <QtGui/QAction>
#include <QtGui/QClipboard>
#include <QtGui/QGuiApplication>
#include <QtWidgets/QMenu>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QToolBar>

using namespace Qt::StringLiterals;

namespace invoke::ui {

CopyAsCode::CopyAsCode(MainWindow *window, ProfileSwitcher *switcher, QWidget *parent)
    : QToolButton(parent), m_window(window), m_switcher(switcher)
{
    setObjectName(u"copyAsCodeButton"_s);
    setText(tr("Copy as code"));
    setToolTip(tr("Copy the current request as a curl command, an invoke-cli command or Python "
                  "(the token stays in $INVOKE_AUTH_TOKEN)"));
    setPopupMode(QToolButton::InstantPopup);
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *menu = new QMenu(this);
    const QString names[3] = {tr("curl"), tr("invoke-cli"), tr("Python (SDK)")};
    const QString objectNames[3] = {u"copyCurl"_s, u"copyCli"_s, u"copyPython"_s};
    for (int kind = Curl; kind <= Python; ++kind) {
        m_actions[kind] = menu->addAction(names[kind], this, [this, kind] { copy(Kind(kind)); });
        m_actions[kind]->setObjectName(objectNames[kind]);
    }
    setMenu(menu);
}

CopyAsCode *CopyAsCode::install(MainWindow *window, ProfileSwitcher *switcher)
{
    auto *button = new CopyAsCode(window, switcher, window);
    if (auto *toolbar = window->findChild<QToolBar *>(u"mainToolbar"_s))
        toolbar->insertWidget(window->settingsAction(), button);
    return button;
}

QString CopyAsCode::snippet(Kind kind, QString *problem) const
{
    MainWindow::RequestProblem why;
    const std::optional<InvokeRequest> request = m_window->currentRequest(&why);
    if (!request) {
        if (problem)
            *problem = why.message;
        return {};
    }
    format::SnippetTarget target;
    target.endpoint = m_switcher ? m_switcher->currentEndpoint() : QString();
    if (request->mode.kind == Mode::Manual)
        target.mockFile = m_window->modeSwitch()->mockFile();
    switch (kind) {
    case Curl: return format::curlCommand(*request, target);
    case Cli: return format::cliCommand(*request, target);
    case Python: return format::pythonSnippet(*request, target);
    }
    return {};
}

void CopyAsCode::copy(Kind kind)
{
    QString problem;
    const QString text = snippet(kind, &problem);
    if (text.isEmpty()) {
        m_window->statusBar()->showMessage(tr("Nothing copied: %1").arg(problem), 8000);
        return;
    }
    QGuiApplication::clipboard()->setText(text);
    m_window->statusBar()->showMessage(tr("Copied as %1; the token is read from $INVOKE_AUTH_TOKEN.")
                                           .arg(m_actions[kind]->text()),
                                       8000);
}

} // namespace invoke::ui
