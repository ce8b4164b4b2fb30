#pragma once
// How recorded events are packed: a chunk is zlib-compressed text, one event per line,
// "AT_MS RAW_JSON" (compact JSON never holds a raw line break). Shared by the history's
// SQLite rows and the run files.
#include "core/history/runrecord.h"

namespace invoke::history {

QByteArray packEvents(const QList<TimedEvent> &events);
// Appends the chunk's events to `out`; false with `error` when it is damaged.
bool unpackEvents(const QByteArray &chunk, QList<TimedEvent> &out, QString *error);

// One event's line, without its line break, and back.
QByteArray eventLine(const TimedEvent &event);
std::optional<TimedEvent> eventFromLine(QByteArrayView line, QString *error);

} // namespace invoke::history
