#include "ui/common/recentfilesmenu.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSettings>

namespace invoke::ui {

RecentFilesMenu::RecentFilesMenu(QSettings *settings, const QString &key, const QString &title, QWidget *parent)
    : QMenu(title, parent), m_settings(settings), m_key(key)
{
    rebuild();
}

QStringList RecentFilesMenu::files() const
{
    return m_settings ? m_settings->value(m_key).toStringList() : QStringList();
}

void RecentFilesMenu::add(const QString &path)
{
    if (!m_settings)
        return;
    QStringList recent = files();
    recent.removeAll(path);
    recent.prepend(path);
    m_settings->setValue(m_key, recent.mid(0, MaxFiles));
    rebuild();
}

void RecentFilesMenu::rebuild()
{
    clear();
    const QStringList recent = files();
    for (const QString &path : recent) {
        QAction *action = addAction(QFileInfo(path).fileName(), this, [this, path] { Q_EMIT fileChosen(path); });
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setData(path);
    }
    if (recent.isEmpty())
        addAction(tr("No recent files"))->setEnabled(false);
}

} // namespace invoke::ui
