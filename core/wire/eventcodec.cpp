#include "core/wire/eventcodec.h"

using namespace Qt::StringLiterals;

namespace invoke::wire {

static void appendFrame(QByteArray &out, const QByteArray &raw)
{
    if (!raw.contains('\n') && !raw.contains('\r')) {
        out.append("data: ", 6).append(raw).append("\n\n", 2);
        return;
    }
    // Split on every line end the SSE reader knows (CRLF, LF, CR).
    qsizetype start = 0;
    for (qsizetype i = 0; i <= raw.size(); ++i) {
        if (i < raw.size() && raw[i] != '\n' && raw[i] != '\r')
            continue;
        out.append("data: ", 6).append(raw.constData() + start, i - start).append('\n');
        if (i + 1 < raw.size() && raw[i] == '\r' && raw[i + 1] == '\n')
            ++i;
        start = i + 1;
    }
    out.append('\n');
}

QByteArray encodeSseFrame(const Event &event)
{
    QByteArray out;
    out.reserve(event.raw.size() + 8);
    appendFrame(out, event.raw);
    return out;
}

QByteArray encodeSseFrames(const QList<Event> &events)
{
    qsizetype size = 0;
    for (const Event &event : events)
        size += event.raw.size() + 8;
    QByteArray out;
    out.reserve(size);
    for (const Event &event : events)
        appendFrame(out, event.raw);
    return out;
}

std::optional<Event> decodeSseMessage(const SseMessage &message, QString *error)
{
    return Event::decode(message.data, error);
}

void EventStreamDecoder::feed(QByteArrayView bytes, QList<Event> &out)
{
    m_messages.clear();
    m_parser.feed(bytes, m_messages);
    for (const SseMessage &message : std::as_const(m_messages)) {
        ++m_messageCount;
        QString why;
        if (auto event = Event::decode(message.data, &why)) {
            out.append(std::move(*event));
            continue;
        }
        if (++m_skippedCount > kMaxProblems)
            continue;
        QByteArray shown = message.data.left(80);
        if (shown.size() < message.data.size())
            shown += "...";
        m_problems.append(u"message %1 is not an event (%2): %3"_s
                              .arg(m_messageCount)
                              .arg(why, QString::fromUtf8(shown)));
    }
    m_messages.clear();
}

void EventStreamDecoder::reset()
{
    m_parser.reset();
    m_messages.clear();
    m_problems.clear();
    m_messageCount = 0;
    m_skippedCount = 0;
}

} // namespace invoke::wire
