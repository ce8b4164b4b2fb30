#pragma once
// The rows of the event list (ui/events/eventlistmodel.h), in blocks that never move:
// a snapshot for a worker thread shares the full blocks instead of copying a million rows,
// and the one being filled is only ever written past the rows a snapshot reads.
#include <QtCore/QtGlobal>

#include <memory>
#include <vector>

namespace invoke::ui {

struct EventRow
{
    qint64 seq;
    qint64 tMs;
    quint32 offset; // EventStore::Ref, unpacked to keep the row at 32 bytes
    quint32 length;
    quint32 pathId; // into the model's paths
    quint16 chunk;
    quint16 typeId; // into the model's types
};
static_assert(sizeof(EventRow) == 32);

struct EventRowBlock
{
    static constexpr int kRows = 4096;
    EventRow rows[kRows];
};

using EventRowBlocks = std::vector<std::shared_ptr<EventRowBlock>>;

inline const EventRow &eventRowAt(const EventRowBlocks &blocks, int row)
{
    return blocks[size_t(row / EventRowBlock::kRows)]->rows[row % EventRowBlock::kRows];
}

} // namespace invoke::ui
