#include "ui/window/windowstate.h"

#include <QtCore/QSettings>
#include <QtWidgets/QMainWindow>
#include <QtWidgets/QSplitter>

using namespace Qt::StringLiterals;

namespace invoke::ui {

void WindowState::saveLayout(const QMainWindow *window)
{
    m_settings->setValue(u"studio/geometry"_s, window->saveGeometry());
    m_settings->setValue(u"studio/windowState"_s, window->saveState());
    const QList<QSplitter *> splitters = window->findChildren<QSplitter *>();
    for (const QSplitter *splitter : splitters) {
        if (!splitter->objectName().isEmpty())
            m_settings->setValue(u"studio/splitters/"_s + splitter->objectName(), splitter->saveState());
    }
    m_settings->sync();
}

bool WindowState::restoreLayout(QMainWindow *window) const
{
    const QByteArray geometry = m_settings->value(u"studio/geometry"_s).toByteArray();
    if (geometry.isEmpty())
        return false;
    window->restoreGeometry(geometry);
    window->restoreState(m_settings->value(u"studio/windowState"_s).toByteArray());
    const QList<QSplitter *> splitters = window->findChildren<QSplitter *>();
    for (QSplitter *splitter : splitters) {
        const QVariant state = m_settings->value(u"studio/splitters/"_s + splitter->objectName());
        if (!splitter->objectName().isEmpty() && state.isValid())
            splitter->restoreState(state.toByteArray());
    }
    return true;
}

QString WindowState::lastBot() const { return m_settings->value(u"studio/bot"_s).toString(); }
void WindowState::setLastBot(const QString &key) { m_settings->setValue(u"studio/bot"_s, key); }

Mode WindowState::mode() const
{
    const QString name = m_settings->value(u"studio/mode"_s).toString();
    std::optional<Mode> mode = Mode::fromName(name);
    if (!mode)
        return Mode::live();
    if (mode->kind == Mode::Replay)
        mode->refresh = m_settings->value(u"studio/refresh"_s).toBool();
    return *mode;
}

void WindowState::setMode(const Mode &mode)
{
    m_settings->setValue(u"studio/mode"_s, mode.name());
    m_settings->setValue(u"studio/refresh"_s, mode.refresh);
}

QString WindowState::mockFile() const { return m_settings->value(u"studio/mockFile"_s).toString(); }
void WindowState::setMockFile(const QString &path) { m_settings->setValue(u"studio/mockFile"_s, path); }
QString WindowState::composerText() const { return m_settings->value(u"studio/composer"_s).toString(); }
void WindowState::setComposerText(const QString &text) { m_settings->setValue(u"studio/composer"_s, text); }
int WindowState::resultFormat() const { return m_settings->value(u"studio/resultFormat"_s, -1).toInt(); }
void WindowState::setResultFormat(int format) { m_settings->setValue(u"studio/resultFormat"_s, format); }

} // namespace invoke::ui
