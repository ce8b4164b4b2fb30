#pragma once
#include "core/model/invocation/mode.h"

#include <QtCore/QString>

class QMainWindow;
class QSettings;

namespace invoke::ui {

// What comes back on the next start (QSettings, group "studio"): the layout (window
// geometry and state, every splitter by object name) and the session (last bot, mode,
// mock-set file, unsent composer text, the result view's format).
class WindowState
{
public:
    explicit WindowState(QSettings *settings) : m_settings(settings) {}

    void saveLayout(const QMainWindow *window);
    // False when nothing was saved yet (first start): keep the default layout.
    bool restoreLayout(QMainWindow *window) const;

    QString lastBot() const;
    void setLastBot(const QString &key);
    Mode mode() const;
    void setMode(const Mode &mode);
    QString mockFile() const;
    void setMockFile(const QString &path);
    QString composerText() const;
    void setComposerText(const QString &text);
    int resultFormat() const;
    void setResultFormat(int format);

private:
    QSettings *m_settings;
};

} // namespace invoke::ui
