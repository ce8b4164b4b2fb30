#include "ui/events/eventsnapshot.h"

namespace invoke::ui {

filter::EventRecord EventSnapshot::record(int row) const
{
    const EventRow &r = eventRowAt(m_blocks, row);
    return filter::EventRecord(m_types.at(r.typeId), m_paths.at(r.pathId), r.seq, r.tMs,
                               m_store.view({r.offset, r.length, r.chunk}));
}

} // namespace invoke::ui
