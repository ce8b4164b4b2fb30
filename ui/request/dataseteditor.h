#pragma once
#include "core/model/dataset/datasetinfo.h"

#include <QtWidgets/QWidget>

class QLabel;
class QLineEdit;
class QListWidget;

namespace invoke::ui {

// Which datasets the bot may read: a checkable list of what the backend offers plus
// free slugs (comma separated) for datasets the listing does not show.
class DatasetEditor : public QWidget
{
    Q_OBJECT
public:
    explicit DatasetEditor(QWidget *parent = nullptr);

    // Replaces the offered datasets; checked slugs stay checked (or move to the free
    // slugs when no longer offered).
    void setListing(const DatasetListing &listing);

    // Checked slugs in list order, then the free ones; no duplicates.
    QStringList slugs() const;
    void setSlugs(const QStringList &slugs);

    QListWidget *list() const { return m_list; }
    QLineEdit *freeSlugs() const { return m_free; }

Q_SIGNALS:
    void changed();

private:
    QListWidget *m_list;
    QLineEdit *m_free;
    QLabel *m_note;
};

} // namespace invoke::ui
