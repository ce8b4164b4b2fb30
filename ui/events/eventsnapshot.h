#pragma once
// A frozen view of the first rows of an EventListModel, for a worker thread: filtering a
// million events must not run on the GUI thread (docs/filters.md). Taking one costs a
// few hundred shared pointers and a copy of the chunk being filled; reading it never
// touches the model, which keeps growing meanwhile.
#include "core/filter/eventrecord.h"
#include "ui/events/eventrows.h"
#include "ui/events/eventstore.h"

#include <QtCore/QStringList>

namespace invoke::ui {

class EventSnapshot
{
public:
    EventSnapshot() = default;

    int rowCount() const { return m_rowCount; }
    // The event of `row` as a filter reads it. Not for two threads at once (it keeps the
    // chunk it inflated last): each worker takes its own copy.
    filter::EventRecord record(int row) const;
    quint32 pathIdAt(int row) const { return eventRowAt(m_blocks, row).pathId; }
    const QStringList &paths() const { return m_paths; }

private:
    friend class EventListModel;

    static QByteArrayView loadRaw(const void *snapshot, qint64 row);

    EventRowBlocks m_blocks;
    int m_rowCount = 0;
    EventFactsBlocks m_facts;
    int m_factCount = 0;
    filter::FactWords m_factWords;
    EventStore::Snapshot m_store;
    QStringList m_types;
    QList<EventKind> m_kinds; // per type id: no string compare per row
    QStringList m_paths;
};

} // namespace invoke::ui
