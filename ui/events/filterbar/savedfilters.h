#pragma once
// Display filters kept by name (docs/filters.md), offered in the filter bar's menu. Saved
// in the studio's settings under events/savedFilters when given settings; a few useful
// ones are there until the user saves their own.
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>

class QMenu;
class QSettings;

namespace invoke::ui {

class SavedFilters : public QObject
{
    Q_OBJECT
public:
    struct Entry
    {
        QString name;
        QString text;
        bool operator==(const Entry &) const = default;
    };

    explicit SavedFilters(QObject *parent = nullptr);

    // Reads the saved list from `settings` (nullptr: kept in memory only).
    void setSettings(QSettings *settings);
    const QList<Entry> &entries() const { return m_entries; }
    // Adds or, for a name already there, replaces; saved at once.
    void save(const QString &name, const QString &text);
    void remove(const QString &name);

    static QList<Entry> defaults();

signals:
    void changed();

private:
    void write();

    QSettings *m_settings = nullptr;
    QList<Entry> m_entries;
};

} // namespace invoke::ui
