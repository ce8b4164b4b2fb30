#pragma once
// "Copy as code" in the studio's toolbar: the request the window would send now (bot,
// conversation plus the composer's text, parameters, datasets, mode, mocks) as a curl
// command, an invoke-cli command or a Python snippet for the public SDK, addressed to
// the profile in use. The token is never in the text: it is read from
// $INVOKE_AUTH_TOKEN. The texts come from core/format/requestsnippets.
#include <QtCore/QString>

#include <QtWidgets/QToolButton>

namespace invoke::ui {

class MainWindow;
class ProfileSwitcher;

class CopyAsCode : public QToolButton
{
    Q_OBJECT
public:
    enum Kind { Curl, Cli, Python };

    CopyAsCode(MainWindow *window, ProfileSwitcher *switcher, QWidget *parent = nullptr);
    // Puts the button into the window's toolbar, before the profile switcher.
    static CopyAsCode *install(MainWindow *window, ProfileSwitcher *switcher);

    // The snippet of `kind`; empty with `problem` when there is no request.
    QString snippet(Kind kind, QString *problem = nullptr) const;

    QAction *actionFor(Kind kind) const { return m_actions[kind]; }

public Q_SLOTS:
    // Copies the snippet to the clipboard and says so in the status bar (or says why not).
    void copy(Kind kind);

private:
    MainWindow *m_window;
    ProfileSwitcher *m_switcher;
    QAction *m_actions[3] = {};
};

} // namespace invoke::ui
