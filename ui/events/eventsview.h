#pragma once
#include <QtCore/QTimer>
#include <QtWidgets/QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;

namespace invoke::ui {

class EventFilterProxy;
class EventListModel;

// Every raw event of the run in arrival order, filtered as you type (debounced), with
// the selected event pretty-printed underneath.
class EventsView : public QWidget
{
    Q_OBJECT
public:
    explicit EventsView(EventListModel *events, QWidget *parent = nullptr);

    // Scrolls to the newest event when the view was already at the bottom; called once
    // per batch (scrolling per event would stall the view).
    void followTail();

    QLineEdit *filterField() const { return m_filter; }
    QTableView *view() const { return m_view; }
    EventFilterProxy *proxy() const { return m_proxy; }
    QString detailText() const;

private:
    void showSelected();
    void updateCount();

    EventListModel *m_events;
    EventFilterProxy *m_proxy;
    QLineEdit *m_filter;
    QLabel *m_count;
    QTableView *m_view;
    QPlainTextEdit *m_detail;
    QTimer m_debounce;
    bool m_atBottom = true;
};

} // namespace invoke::ui
