#pragma once
// "Copy as code" on the studio's toolbar: the request the window would send now (bot,
// conversation plus the composer's text, parameters, datasets, mode, mocks) as a curl
// command, an invoke-cli command or a Python snippet for the public SDK, addressed to
// the profile in use. The token is never in the text: it is read from
// $INVOKE_AUTH_TOKEN. The texts come from core/format/requestsnippets. Its inputs are
// handed to it (ui/window/windowaddons.cpp wires them): it knows no window.
#include "core/model/invocation/invokerequest.h"

#include <QtCore/QString>
#include <QtWidgets/QToolButton>

#include <functional>
#include <optional>

namespace invoke::ui {

class CopyAsCode : public QToolButton
{
    Q_OBJECT
public:
    enum Kind { Curl, Cli, Python };

    // What a snippet is made of: the request Invoke would send now, and the mock file
    // a Manual request names.
    struct Request
    {
        InvokeRequest request;
        QString mockFile;
    };
    // The current request, or nullopt with why there is none in `problem`.
    using RequestSource = std::function<std::optional<Request>(QString *problem)>;

    explicit CopyAsCode(RequestSource source, QWidget *parent = nullptr);

    // The endpoint the snippets address (the profile in use); empty for the embedded engine.
    void setEndpoint(const QString &endpoint) { m_endpoint = endpoint; }
    QString endpoint() const { return m_endpoint; }

    // The snippet of `kind`; empty with `problem` when there is no request.
    QString snippet(Kind kind, QString *problem = nullptr) const;

    QAction *actionFor(Kind kind) const { return m_actions[kind]; }

public Q_SLOTS:
    // Copies the snippet to the clipboard and reports it (or why not) with `reported`.
    void copy(Kind kind);

Q_SIGNALS:
    // A line for the status bar: what was copied, or why nothing was.
    void reported(const QString &message);

private:
    RequestSource m_source;
    QString m_endpoint;
    QAction *m_actions[3] = {};
};

} // namespace invoke::ui
