#pragma once
#include <QtCore/QSet>
#include <QtWidgets/QWidget>

class QLineEdit;
class QPlainTextEdit;
class QSettings;
class QTableView;

namespace invoke::ui {

class EventFilterProxy;
class EventListModel;
class FilterBar;

// Every raw event of the run in arrival order, narrowed by a display filter
// (docs/filters.md) matched off the GUI thread, with the selected event pretty-printed
// underneath.
class EventsView : public QWidget
{
    Q_OBJECT
public:
    explicit EventsView(EventListModel *events, QWidget *parent = nullptr);

    // Saved filters are kept in `settings` (the studio's); without, in memory only.
    void setSettings(QSettings *settings);

    // Scrolls to the newest event when the view was already at the bottom; called once
    // per batch (scrolling per event would stall the view).
    void followTail();

    // Selects the next (or previous) matching event, wrapping around.
    void selectMatch(bool forward);

    FilterBar *filterBar() const { return m_bar; }
    QLineEdit *filterField() const;
    QTableView *view() const { return m_view; }
    EventFilterProxy *proxy() const { return m_proxy; }
    QString detailText() const;

signals:
    // What the step tree shows (ui/steps/stephider.h): when `active`, only the steps in
    // `paths` (those with a matching event) and the steps above them.
    void stepFilterChanged(bool active, const QSet<QString> &paths);

private:
    void announceSteps();
    void showSelected();
    void updateCount();

    EventListModel *m_events;
    EventFilterProxy *m_proxy;
    FilterBar *m_bar;
    QTableView *m_view;
    QPlainTextEdit *m_detail;
    bool m_atBottom = true;
    QString m_problem; // the last filter that failed (a too costly pattern)
    int m_progress = -1; // percent of a running evaluation, -1 when none
};

} // namespace invoke::ui
