#include "ui/events/eventsnapshot.h"

namespace invoke::ui {

filter::EventRecord EventSnapshot::record(int row) const
{
    const EventRow &r = eventRowAt(m_blocks, row);
    // The bytes (maybe a chunk to inflate) only when the filter reads past the header.
    return filter::EventRecord(m_types.at(r.typeId), m_paths.at(r.pathId), m_kinds.at(r.typeId), r.seq, r.tMs,
                               &EventSnapshot::loadRaw, this, row);
}

QByteArrayView EventSnapshot::loadRaw(const void *snapshot, qint64 row)
{
    const auto *self = static_cast<const EventSnapshot *>(snapshot);
    const EventRow &r = eventRowAt(self->m_blocks, int(row));
    return self->m_store.view({r.offset, r.length, r.chunk});
}

} // namespace invoke::ui
