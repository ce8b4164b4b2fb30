#pragma once
#include "core/model/botinfo.h"

#include <QtWidgets/QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTextBrowser;
class QToolButton;
class QTreeView;

namespace invoke::ui {

// The backend's bots as a searchable list (name, key, description). Selecting one shows
// its parameter definitions and updated_at; bot files that failed to load are listed
// with "file:line: reason" under the list, never hidden.
class BotPicker : public QWidget
{
    Q_OBJECT
public:
    explicit BotPicker(QWidget *parent = nullptr);

    // Replaces the list; keeps the selected bot when it is still there.
    void setListing(const BotListing &listing);
    const BotListing &listing() const { return m_listing; }

    // The selected bot, or null.
    const BotInfo *currentBot() const;
    QString currentKey() const;
    // Selects a bot by key; false when there is none with that key.
    bool selectBot(const QString &key);
    // Selects the first bot shown, if any.
    void selectFirst();

    QLineEdit *searchField() const { return m_search; }
    QTreeView *listView() const { return m_view; }
    QListWidget *problemList() const { return m_problems; }
    QString detailsText() const;

Q_SIGNALS:
    // The selection changed; empty when nothing is selected.
    void currentBotChanged(const QString &key);
    void reloadRequested();

private:
    void showDetails();
    const BotInfo *find(const QString &key) const;

    BotListing m_listing;
    QLineEdit *m_search;
    QToolButton *m_reload;
    QStandardItemModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTreeView *m_view;
    QTextBrowser *m_details;
    QLabel *m_problemsTitle;
    QListWidget *m_problems;
};

} // namespace invoke::ui
