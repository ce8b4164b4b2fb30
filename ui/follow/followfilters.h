#pragma once
// The display filters a follow view shows (docs/filters.md), and what it reads of a row.
#include <QtCore/QString>

#include <optional>

namespace invoke::ui {

class EventListModel;

// `text` as a filter's "quoted string".
QString filterString(const QString &text);
// The events of step `path` and of the steps under it (its sub-bot).
QString stepFilterText(const QString &path);
// The text deltas of one message.
QString messageFilterText(const QString &messageContentId);

// The message_content_id of a row that is a message_content event; nullopt otherwise.
std::optional<QString> messageIdAt(const EventListModel &events, int row);
// The text chunk of a message_content row (empty for any other row).
QString messageTextAt(const EventListModel &events, int row);

} // namespace invoke::ui
