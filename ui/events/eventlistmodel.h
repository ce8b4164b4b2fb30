#pragma once
#include "core/filter/eventrecord.h"
#include "core/model/event.h"
#include "ui/events/eventrows.h"
#include "ui/events/eventsnapshot.h"
#include "ui/events/eventstore.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QHash>
#include <QtCore/QStringList>

#include <string>
#include <unordered_map>
#include <vector>

namespace invoke::ui {

// Every raw event of a run, in arrival order, as a flat table.
//
// Memory is the point here (a long run streams hundreds of thousands of events): each
// event is kept as its raw JSON bytes in an EventStore (chunks, compressed once full)
// plus a 32-byte row (seq, time, where the bytes are, interned type and step path).
// Text deltas, the bulk of a run, are not parsed on insert when they carry a type; step
// events (a few in a hundred) are, once, for the facts a filter reads beyond the header
// (core/filter/eventfacts.h), so that `duration_ms > 100` over a million events reads no
// JSON. The one-line summary is built in data() on demand, for the few rows a view shows.
class EventListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SeqColumn, TimeColumn, TypeColumn, StepColumn, SummaryColumn, ColumnCount };
    enum Role {
        RawRole = Qt::UserRole + 1, // QByteArray: the event's compact JSON
        TypeRole,                   // QString: the event type (classified when the server sent none)
        PathRole,                   // QString: the step path, empty for invocation-level events
        SeqRole,                    // qint64: metadata.seq, -1 when absent
    };

    explicit EventListModel(QObject *parent = nullptr);

    // Appends a batch with one beginInsertRows.
    void addEvents(const QList<Event> &events);
    void clear();

    // The event as it arrived (decoded again from its bytes).
    Event eventAt(int row) const;
    // The raw bytes of a row, in place: use them before returning to the event loop
    // and before reading two more rows (see EventStore::view), or copy them.
    QByteArrayView rawAt(int row) const;
    // The type shown in the Type column: metadata type, or the kind the payload's
    // shape reveals for servers that send no type; empty when unknown.
    const QString &typeAt(int row) const;
    // The step path; for step events without metadata.path, the step's key.
    const QString &pathAt(int row) const;
    qint64 seqAt(int row) const;
    qint64 timeAt(int row) const;
    // The row as a display filter reads it (core/filter/filter.h); its bytes are in place,
    // as for rawAt().
    filter::EventRecord recordAt(int row) const;
    quint32 pathIdAt(int row) const { return rowAt(row).pathId; }
    // The rows so far, frozen for a worker thread (ui/events/eventsnapshot.h).
    EventSnapshot snapshot() const;

    // A step's own events (exact path), in arrival order.
    QList<int> rowsForPath(const QString &path) const;
    // The text deltas of one message, ascending: the rows of type "message_content" whose
    // metadata.message_content_id is `id` (a string's text, any other value's compact JSON),
    // exactly what the filter `type == "message_content" and metadata.message_content_id
    // == "id"` matches (ui/follow/followfilters.h). Read from an index kept as rows
    // arrive, so Follow Message opens at once at a million events.
    std::vector<int> messageRows(const QString &id) const;

    // Every distinct type / step path seen so far (for filter pickers), in first-seen order.
    QStringList types() const { return m_types; }
    QStringList paths() const { return m_paths; }

    // The one-line text of the Summary column.
    QString summaryAt(int row) const;

    // Where the bytes live (memory figures, waiting for compression in tests).
    EventStore &store() { return m_store; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const EventRow &rowAt(int row) const { return eventRowAt(m_blocks, row); }
    quint16 typeIdOf(const QString &type);
    quint32 pathIdOf(const QString &path);
    void indexMessage(QByteArrayView raw, int row);

    EventRowBlocks m_blocks; // blocks: no 2x capacity slack, and snapshots share them
    int m_rowCount = 0;
    EventFactsBlocks m_facts; // what filters read beyond the header, read once on insert
    int m_factCount = 0;
    filter::FactWords m_factWords;
    EventStore m_store;
    QStringList m_types;              // id -> type; id 0 is ""
    QHash<QString, quint16> m_typeIds;
    QStringList m_paths;              // id -> path; id 0 is ""
    QHash<QString, quint32> m_pathIds;
    // message_content_id (UTF-8) -> its rows as runs of consecutive rows: a message's
    // deltas mostly arrive one after another, so a message costs a few runs.
    struct RowRun
    {
        int first;
        int last;
    };
    std::unordered_map<std::string, std::vector<RowRun>> m_messageRows;
    std::vector<RowRun> *m_lastMessage = nullptr; // the runs of the last message indexed
    std::string m_lastMessageId;
};

} // namespace invoke::ui
