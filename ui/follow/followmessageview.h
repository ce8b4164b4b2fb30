#pragma once
// Follow message: the text deltas of one message_content_id joined into the text they make,
// growing as the run streams more (docs/filters.md, "Follow"). The deltas so far come from
// the event list's index of messages (EventListModel::messageRows); those that arrive later
// are picked by the same display filter (ui/events/eventfilterproxy.h) as they come, and
// only the new ones are appended.
#include <QtWidgets/QWidget>

class QLabel;
class QPlainTextEdit;

namespace invoke::ui {

class EventFilterProxy;
class EventListModel;
class FindBar;

class FollowMessageView : public QWidget
{
    Q_OBJECT
public:
    FollowMessageView(EventListModel *events, const QString &messageContentId, QWidget *parent = nullptr);

    QString messageContentId() const { return m_id; }
    QString text() const;
    int deltaCount() const { return m_deltas; }
    // The first matching of the filter is done (before, the view is empty).
    bool isReady() const { return m_ready; }
    QPlainTextEdit *textView() const { return m_text; }
    FindBar *findBar() const { return m_find; }
    EventFilterProxy *proxy() const { return m_proxy; }
    QString statusText() const;

signals:
    void textGrew();

private:
    void rebuild();
    void append(int first, int last);
    void find(const QString &text, bool forward, bool incremental);
    void updateStatus();

    EventListModel *m_events;
    EventFilterProxy *m_proxy;
    QString m_id;
    QString m_step;
    QLabel *m_status;
    QPlainTextEdit *m_text;
    FindBar *m_find;
    int m_deltas = 0;
    bool m_ready = false;
};

} // namespace invoke::ui
