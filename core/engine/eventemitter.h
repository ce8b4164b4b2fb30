#pragma once
// Stamps and emits one invocation's events, and remembers the messages its steps wrote
// (the final event carries the visible ones). Used on the invocation's thread only.
#include "core/wire/events.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>

#include <functional>

namespace invoke::engine {

class EventEmitter
{
public:
    using Sink = std::function<void(Event)>;

    EventEmitter(QString invocationId, Sink sink);

    const QString &invocationId() const { return m_invocationId; }
    // The next stamp: seq 0, 1, 2..., milliseconds since construction, `path`.
    wire::Stamp stamp(const QString &path = {});
    void emitEvent(Event event);

    // A message_content_id for a step's message, unique within the invocation.
    QString newMessageId(const QString &path);
    void emitContent(const QString &path, const QString &messageId, const QString &chunk,
                     const QString &contentType, bool visible);
    // How many content events went out so far (a step compares before and after).
    qint64 contentCount() const { return m_contentCount; }
    // The visible messages as [{content_type, content}], in order of first chunk.
    Json visibleContent() const;

private:
    struct Message
    {
        QString contentType;
        QString content;
    };
    QString m_invocationId;
    Sink m_sink;
    QElapsedTimer m_clock;
    qint64 m_seq = 0;
    qint64 m_contentCount = 0;
    QHash<QString, int> m_idUses;
    QList<QString> m_visibleOrder;
    QHash<QString, Message> m_visible;
};

} // namespace invoke::engine
