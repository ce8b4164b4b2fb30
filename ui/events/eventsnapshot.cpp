#include "ui/events/eventsnapshot.h"

namespace invoke::ui {

filter::EventRecord EventSnapshot::record(int row) const
{
    const EventRow &r = eventRowAt(m_blocks, row);
    // The bytes (maybe a chunk to inflate) only when the filter reads past the header.
    const EventKind kind = m_kinds.at(r.typeId);
    filter::EventRecord record(m_types.at(r.typeId), m_paths.at(r.pathId), kind, r.seq, r.tMs,
                               &EventSnapshot::loadRaw, this, row);
    if (filter::EventFacts::applies(kind))
        record.setFacts(eventFactsAt(m_facts, m_factCount, row), &m_factWords);
    return record;
}

QByteArrayView EventSnapshot::loadRaw(const void *snapshot, qint64 row)
{
    const auto *self = static_cast<const EventSnapshot *>(snapshot);
    const EventRow &r = eventRowAt(self->m_blocks, int(row));
    return self->m_store.view({r.offset, r.length, r.chunk});
}

} // namespace invoke::ui
