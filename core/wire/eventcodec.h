#pragma once
// Events on the wire: one event per SSE message, `data: <compact JSON>` (docs/events.md).
#include "core/model/event.h"
#include "core/wire/sseparser.h"

#include <QtCore/QStringList>

namespace invoke::wire {

// "data: <raw>\n\n". Raw JSON is compact, hence one line; should it hold line breaks
// anyway (an event relayed as it came), each line becomes its own `data:` line, which
// the reader joins back with "\n".
QByteArray encodeSseFrame(const Event &event);
// The frames of many events, concatenated.
QByteArray encodeSseFrames(const QList<Event> &events);

// One SSE message to an event (Event::decode); nullopt with `error` when the data is not
// a JSON object (e.g. "[DONE]" or a keep-alive text).
std::optional<Event> decodeSseMessage(const SseMessage &message, QString *error = nullptr);

// Bytes in, events out: the SSE parser and the event decoder together. A message that
// is not an event is skipped and reported, never fatal (docs/events.md).
class EventStreamDecoder
{
public:
    // Appends the events completed by `bytes` to `out`.
    void feed(QByteArrayView bytes, QList<Event> &out);

    // What was skipped ("message 3 is not an event (...): [DONE]"); taking clears it.
    // Only the first kMaxProblems are kept; skippedCount() counts them all.
    QStringList takeProblems() { return std::exchange(m_problems, {}); }
    qint64 skippedCount() const { return m_skippedCount; }
    qint64 messageCount() const { return m_messageCount; }
    const SseParser &parser() const { return m_parser; }
    void reset();

private:
    SseParser m_parser;
    QList<SseMessage> m_messages; // reused between calls
    static constexpr qsizetype kMaxProblems = 100;
    QStringList m_problems;
    qint64 m_messageCount = 0;
    qint64 m_skippedCount = 0;
};

} // namespace invoke::wire
