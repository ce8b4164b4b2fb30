#include "core/history/eventchunks.h"

using namespace Qt::StringLiterals;

namespace invoke::history {

QByteArray eventLine(const TimedEvent &e)
{
    return QByteArray::number(e.atMs) + ' ' + e.event.raw;
}

std::optional<TimedEvent> eventFromLine(QByteArrayView line, QString *error)
{
    const qsizetype space = line.indexOf(' ');
    bool ok = false;
    const qint64 at = space > 0 ? line.first(space).toLongLong(&ok) : -1;
    if (!ok) {
        if (error)
            *error = u"an event line without its time"_s;
        return std::nullopt;
    }
    QString why;
    auto event = Event::decode(line.sliced(space + 1), &why);
    if (!event) {
        if (error)
            *error = u"an event that is not JSON: "_s + why;
        return std::nullopt;
    }
    return TimedEvent{at, std::move(*event)};
}

QByteArray packEvents(const QList<TimedEvent> &events)
{
    QByteArray text;
    qsizetype size = 0;
    for (const TimedEvent &e : events)
        size += e.event.raw.size() + 24;
    text.reserve(size);
    for (const TimedEvent &e : events) {
        text += eventLine(e);
        text += '\n';
    }
    return qCompress(text);
}

bool unpackEvents(const QByteArray &chunk, QList<TimedEvent> &out, QString *error)
{
    const QByteArray text = qUncompress(chunk);
    if (text.isEmpty() && !chunk.isEmpty()) {
        if (error)
            *error = u"a chunk of events is damaged (it does not decompress)"_s;
        return false;
    }
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        auto event = eventFromLine(QByteArrayView(text).sliced(start, end - start), error);
        if (!event)
            return false;
        out.append(std::move(*event));
        start = end + 1;
    }
    return true;
}

} // namespace invoke::history
