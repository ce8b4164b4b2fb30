#include "ui/request/copyascode.h"

#include "core/format/requestsnippets.h"

#include <QtGui/QAction>
#include <QtGui/QClipboard>
#include <QtGui/QGuiApplication>
#include <QtWidgets/QMenu>

using namespace Qt::StringLiterals;

namespace invoke::ui {

CopyAsCode::CopyAsCode(RequestSource source, QWidget *parent)
    : QToolButton(parent), m_source(std::move(source))
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

QString CopyAsCode::snippet(Kind kind, QString *problem) const
{
    const std::optional<Request> found = m_source(problem);
    if (!found)
        return {};
    const InvokeRequest &request = found->request;
    format::SnippetTarget target;
    target.endpoint = m_endpoint;
    if (request.mode.kind == Mode::Manual)
        target.mockFile = found->mockFile;
    switch (kind) {
    case Curl: return format::curlCommand(request, target);
    case Cli: return format::cliCommand(request, target);
    case Python: return format::pythonSnippet(request, target);
    }
    return {};
}

void CopyAsCode::copy(Kind kind)
{
    QString problem;
    const QString text = snippet(kind, &problem);
    if (text.isEmpty()) {
        Q_EMIT reported(tr("Nothing copied: %1").arg(problem));
        return;
    }
    QGuiApplication::clipboard()->setText(text);
    Q_EMIT reported(tr("Copied as %1; the token is read from $INVOKE_AUTH_TOKEN.").arg(m_actions[kind]->text()));
}

} // namespace invoke::ui
