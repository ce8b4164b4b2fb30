#pragma once
// An incremental parser for text/event-stream (HTML Living Standard, "Server-sent
// events", the event stream interpretation). Bytes may arrive split anywhere — inside
// a field, between the CR and LF of a line end, inside the BOM — and give the same
// messages as the whole stream would.
#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QList>

#include <optional>

namespace invoke::wire {

struct SseMessage
{
    QByteArray event = QByteArrayLiteral("message"); // the `event` field, "message" by default
    QByteArray data;        // the `data` lines joined with "\n"
    QByteArray lastEventId; // the last `id` seen so far (it persists across messages)

    bool operator==(const SseMessage &) const = default;
};

class SseParser
{
public:
    // Frames `bytes` and appends every completed message to `out`. Only the unfinished
    // last line (and the fields of the message in progress) are kept between calls.
    void feed(QByteArrayView bytes, QList<SseMessage> &out);

    // The reconnection time of the last valid `retry` field, in milliseconds.
    std::optional<int> retry() const { return m_retry; }
    // The last event id seen, to send back as Last-Event-ID when reconnecting.
    QByteArray lastEventId() const { return m_lastEventId; }
    // Bytes held for an unfinished line (the tail of the last chunk).
    qsizetype pendingBytes() const { return m_tail.size(); }
    // Bytes held for the message in progress: its data lines so far plus the unfinished
    // line. A reader caps this to refuse an endless event (the parser itself has no cap).
    qsizetype pendingMessageBytes() const { return m_tail.size() + m_data.size(); }

    // Forgets everything, as for a new stream. The end of a stream needs no call:
    // an unterminated last message is simply never dispatched (as the standard says).
    void reset();

private:
    void frame(const char *begin, const char *end, QList<SseMessage> &out);
    void processLine(const char *line, qsizetype size, QList<SseMessage> &out);
    void dispatch(QList<SseMessage> &out);

    QByteArray m_tail;        // an unfinished line from the previous chunk
    bool m_skipLf = false;    // the previous chunk ended with CR: a leading LF ends no line
    bool m_bomChecked = false;

    QByteArray m_data;        // data lines so far, joined with "\n"
    bool m_hasData = false;   // at least one data line (m_data may still be empty)
    QByteArray m_event;       // empty means "message"
    QByteArray m_idBuffer;    // the `id` field; becomes the last event id at dispatch
    QByteArray m_lastEventId;
    std::optional<int> m_retry;
};

} // namespace invoke::wire
