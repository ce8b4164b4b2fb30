#pragma once
// One event as a detail pane shows it: its JSON indented by two, or its bytes as they
// came when they are not JSON (within the wire's depth limit). The Events tab, Follow
// Step and a step's Events tab (ui/steps/stepdetailview.cpp) show events the same way.
#include <QtCore/QByteArrayView>
#include <QtCore/QString>

class QAbstractItemView;
class QPlainTextEdit;

namespace invoke::ui {

class EventFilterProxy;
class EventListModel;

QString eventDetailText(QByteArrayView raw);

// Shows in `detail` the event at `view`'s current row (`view` shows `proxy` over
// `events`); clears it when no row is current.
void showCurrentEvent(const QAbstractItemView *view, const EventFilterProxy *proxy, const EventListModel *events,
                      QPlainTextEdit *detail);

} // namespace invoke::ui
