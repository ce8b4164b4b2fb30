#pragma once
#include <QtWidgets/QMenu>

class QSettings;

namespace invoke::ui {

// A menu of the files used last, newest first, kept in settings under `key` (at most
// eight). Choosing one emits fileChosen.
class RecentFilesMenu : public QMenu
{
    Q_OBJECT
public:
    RecentFilesMenu(QSettings *settings, const QString &key, const QString &title, QWidget *parent = nullptr);

    QStringList files() const;
    void add(const QString &path);

    static constexpr int MaxFiles = 8;

Q_SIGNALS:
    void fileChosen(const QString &path);

private:
    void rebuild();

    QSettings *m_settings;
    QString m_key;
};

} // namespace invoke::ui
