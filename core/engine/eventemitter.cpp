#include "core/engine/eventemitter.h"

using namespace Qt::StringLiterals;

namespace invoke::engine {

EventEmitter::EventEmitter(QString invocationId, Sink sink)
    : m_invocationId(std::move(invocationId)), m_sink(std::move(sink))
{
    m_clock.start();
}

wire::Stamp EventEmitter::stamp(const QString &path)
{
    return {m_invocationId, m_seq++, m_clock.elapsed(), path};
}

void EventEmitter::emitEvent(Event event)
{
    if (m_sink)
        m_sink(std::move(event));
}

QString EventEmitter::newMessageId(const QString &path)
{
    // The step path names the message; a path used twice (a step run again by a
    // handler with the same key) gets a suffix so the ids stay unique.
    const int uses = ++m_idUses[path];
    return uses == 1 ? path : u"%1#%2"_s.arg(path).arg(uses);
}

void EventEmitter::emitContent(const QString &path, const QString &messageId, const QString &chunk,
                               const QString &contentType, bool visible)
{
    ++m_contentCount;
    if (visible) {
        auto it = m_visible.find(messageId);
        if (it == m_visible.end()) {
            m_visibleOrder.append(messageId);
            it = m_visible.insert(messageId, {contentType, {}});
        }
        it->content += chunk;
    }
    emitEvent(wire::messageContent(stamp(path), chunk, messageId, contentType, visible));
}

Json EventEmitter::visibleContent() const
{
    Json content = Json::array();
    for (const QString &id : m_visibleOrder) {
        const Message &message = m_visible[id];
        content.push_back({{"content_type", toStd(message.contentType)}, {"content", toStd(message.content)}});
    }
    return content;
}

} // namespace invoke::engine
