#pragma once
// The rows of the event list (ui/events/eventlistmodel.h), in blocks that never move:
// a snapshot for a worker thread shares the full blocks instead of copying a million rows,
// and the one being filled is only ever written past the rows a snapshot reads.
#include "core/filter/eventfacts.h"

#include <QtCore/QtGlobal>

#include <algorithm>
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

// The facts of the rows that have any (step events, status notes, the final event: a few
// in a hundred), in row order, in blocks that never move, like the rows.
struct EventFactsBlock
{
    static constexpr int kFacts = 1024;
    int rows[kFacts];
    filter::EventFacts facts[kFacts];
};

using EventFactsBlocks = std::vector<std::shared_ptr<EventFactsBlock>>;

// The facts of `row` among the first `count`, or nullptr (a binary search).
inline const filter::EventFacts *eventFactsAt(const EventFactsBlocks &blocks, int count, int row)
{
    int low = 0, high = count; // the first fact whose row is >= `row`
    while (low < high) {
        const int mid = low + (high - low) / 2;
        if (blocks[size_t(mid / EventFactsBlock::kFacts)]->rows[mid % EventFactsBlock::kFacts] < row)
            low = mid + 1;
        else
            high = mid;
    }
    if (low == count)
        return nullptr;
    const EventFactsBlock &block = *blocks[size_t(low / EventFactsBlock::kFacts)];
    return block.rows[low % EventFactsBlock::kFacts] == row ? &block.facts[low % EventFactsBlock::kFacts] : nullptr;
}

} // namespace invoke::ui
