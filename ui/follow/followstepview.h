#pragma once
// Follow step: only the events of one step and of the steps under it (its sub-bot), live as
// the run streams (docs/filters.md, "Follow"), the selected one in full underneath, with
// find (Ctrl+F) over the shown events' text. The events are picked by a display filter on
// the event list (ui/events/eventfilterproxy.h).
#include <QtWidgets/QWidget>

class QLabel;
class QPlainTextEdit;
class QTableView;

namespace invoke::ui {

class EventFilterProxy;
class EventListModel;
class FindBar;

class FollowStepView : public QWidget
{
    Q_OBJECT
public:
    FollowStepView(EventListModel *events, const QString &stepPath, QWidget *parent = nullptr);

    QString stepPath() const { return m_path; }
    bool isReady() const { return m_ready; }
    QTableView *view() const { return m_view; }
    EventFilterProxy *proxy() const { return m_proxy; }
    FindBar *findBar() const { return m_find; }
    QString statusText() const;
    QString detailText() const;

private:
    void showSelected();
    void find(const QString &text, bool forward, bool incremental);
    bool rowHas(int proxyRow, const QString &text) const;
    void updateStatus();

    EventListModel *m_events;
    EventFilterProxy *m_proxy;
    QString m_path;
    QLabel *m_status;
    QTableView *m_view;
    QPlainTextEdit *m_detail;
    FindBar *m_find;
    bool m_ready = false;
    bool m_atBottom = true;
};

} // namespace invoke::ui
