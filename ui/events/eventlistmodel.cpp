#include "ui/events/eventlistmodel.h"

#include "core/filter/memberscan.h"
#include "core/wire/events.h"

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

constexpr qsizetype kSummaryChars = 160;

bool isStepType(const QString &type)
{
    const EventKind kind = wire::kindOfType(type);
    return kind == EventKind::StepStarted || kind == EventKind::StepFinished;
}

// One line of at most kSummaryChars: line breaks shown as ⏎, the rest elided.
QString oneLine(QString text)
{
    if (text.size() > kSummaryChars) {
        text.truncate(kSummaryChars);
        text += u'…';
    }
    text.replace(u"\r\n"_s, u"⏎"_s);
    text.replace(u'\n', u'⏎');
    text.replace(u'\r', u'⏎');
    text.replace(u'\t', u' ');
    return text;
}

QString textOf(const Json &value)
{
    if (value.is_string())
        return toQString(value.get_ref<const std::string &>());
    if (value.is_null())
        return {};
    return QString::fromUtf8(dumpJson(value));
}

} // namespace

EventListModel::EventListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    clear();
}

void EventListModel::clear()
{
    beginResetModel();
    m_blocks.clear();
    m_rowCount = 0;
    m_facts.clear();
    m_factCount = 0;
    m_factWords.clear();
    m_store.clear();
    m_types = QStringList{QString()};
    m_typeIds = {{QString(), 0}};
    m_paths = QStringList{QString()};
    m_pathIds = {{QString(), 0}};
    m_messageRows.clear();
    m_lastMessage = nullptr;
    m_lastMessageId.clear();
    endResetModel();
}

quint16 EventListModel::typeIdOf(const QString &type)
{
    const auto found = m_typeIds.constFind(type);
    if (found != m_typeIds.cend())
        return *found;
    if (m_types.size() > 0xffff) // more distinct types than anyone sends: show them as unknown
        return 0;
    const auto id = quint16(m_types.size());
    m_types.append(type);
    m_typeIds.insert(type, id);
    return id;
}

quint32 EventListModel::pathIdOf(const QString &path)
{
    const auto found = m_pathIds.constFind(path);
    if (found != m_pathIds.cend())
        return *found;
    const auto id = quint32(m_paths.size());
    m_paths.append(path);
    m_pathIds.insert(path, id);
    return id;
}

void EventListModel::addEvents(const QList<Event> &events)
{
    if (events.isEmpty())
        return;
    const int first = rowCount();
    beginInsertRows({}, first, first + int(events.size()) - 1);
    // Consecutive events mostly share type and path: remember the last ids.
    QString lastType, lastPath;
    quint16 lastTypeId = 0;
    quint32 lastPathId = 0;
    for (const Event &event : events) {
        QString type = event.type;
        QString path = event.path;
        if (type.isEmpty() || (path.isEmpty() && isStepType(type))) {
            // Servers without our metadata: classify by shape, take the step key as path.
            const Json parsed = event.json();
            if (type.isEmpty())
                type = wire::typeName(wire::kindOf(event, parsed));
            if (path.isEmpty() && isStepType(type))
                path = stringField(wire::payloadOf(parsed), "key");
        }
        EventRow row;
        row.seq = event.seq;
        row.tMs = event.tMs;
        const EventStore::Ref ref = m_store.append(event.raw);
        row.offset = ref.offset;
        row.length = ref.length;
        row.chunk = ref.chunk;
        if (type != lastType || m_rowCount == first) {
            lastTypeId = typeIdOf(type);
            lastType = type;
        }
        if (path != lastPath || m_rowCount == first) {
            lastPathId = pathIdOf(path);
            lastPath = path;
        }
        row.typeId = lastTypeId;
        row.pathId = lastPathId;
        if (type == u"message_content"_s)
            indexMessage(event.raw, m_rowCount);
        if (const EventKind kind = wire::kindOfType(type); filter::EventFacts::applies(kind)) {
            if (m_factCount % EventFactsBlock::kFacts == 0)
                m_facts.push_back(std::make_shared<EventFactsBlock>());
            EventFactsBlock &block = *m_facts.back();
            block.rows[m_factCount % EventFactsBlock::kFacts] = m_rowCount;
            block.facts[m_factCount % EventFactsBlock::kFacts] =
                filter::EventFacts::read(filter::EventRecord(type, path, event.seq, event.tMs, event.raw), m_factWords);
            ++m_factCount;
        }
        if (m_rowCount % EventRowBlock::kRows == 0)
            m_blocks.push_back(std::make_shared<EventRowBlock>());
        m_blocks.back()->rows[m_rowCount % EventRowBlock::kRows] = row;
        ++m_rowCount;
    }
    endInsertRows();
}

QByteArrayView EventListModel::rawAt(int row) const
{
    const EventRow &r = rowAt(row);
    return m_store.view({r.offset, r.length, r.chunk});
}

filter::EventRecord EventListModel::recordAt(int row) const
{
    const EventRow &r = rowAt(row);
    filter::EventRecord record(m_types.at(r.typeId), m_paths.at(r.pathId), r.seq, r.tMs,
                               m_store.view({r.offset, r.length, r.chunk}));
    if (filter::EventFacts::applies(record.kind()))
        record.setFacts(eventFactsAt(m_facts, m_factCount, row), &m_factWords);
    return record;
}

EventSnapshot EventListModel::snapshot() const
{
    EventSnapshot snapshot;
    snapshot.m_blocks = m_blocks;
    snapshot.m_rowCount = m_rowCount;
    snapshot.m_store = m_store.snapshot();
    snapshot.m_facts = m_facts;
    snapshot.m_factCount = m_factCount;
    snapshot.m_factWords = m_factWords;
    snapshot.m_types = m_types;
    for (const QString &type : m_types)
        snapshot.m_kinds.append(wire::kindOfType(type));
    snapshot.m_paths = m_paths;
    return snapshot;
}

const QString &EventListModel::typeAt(int row) const
{
    return m_types.at(rowAt(row).typeId);
}

const QString &EventListModel::pathAt(int row) const
{
    return m_paths.at(rowAt(row).pathId);
}

qint64 EventListModel::seqAt(int row) const
{
    return rowAt(row).seq;
}

qint64 EventListModel::timeAt(int row) const
{
    return rowAt(row).tMs;
}

Event EventListModel::eventAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    // The bytes were an event once, so they decode again into the same header.
    return Event::decode(rawAt(row)).value_or(Event{});
}

QList<int> EventListModel::rowsForPath(const QString &path) const
{
    QList<int> rows;
    const auto found = m_pathIds.constFind(path);
    if (found == m_pathIds.cend())
        return rows;
    const quint32 id = *found;
    for (int row = 0; row < m_rowCount; ++row)
        if (rowAt(row).pathId == id)
            rows.append(row);
    return rows;
}

void EventListModel::indexMessage(QByteArrayView raw, int row)
{
    static const std::vector<std::string> idPath{"message_content_id"};
    const filter::MemberValue id = filter::scanMember(raw, "metadata", idPath);
    if (!id.found)
        return;
    // The text the filter compares "id" with (core/filter/filtermatch.cpp): a string as it
    // is, any other value as compact JSON.
    const bool isString = id.value.is_string();
    if (!isString || id.value.get_ref<const std::string &>() != m_lastMessageId || !m_lastMessage) {
        m_lastMessageId = isString ? id.value.get_ref<const std::string &>() : dumpJson(id.value).toStdString();
        m_lastMessage = &m_messageRows[m_lastMessageId];
    }
    if (!m_lastMessage->empty() && m_lastMessage->back().last == row - 1)
        m_lastMessage->back().last = row;
    else
        m_lastMessage->push_back({row, row});
}

std::vector<int> EventListModel::messageRows(const QString &id) const
{
    std::vector<int> rows;
    const auto found = m_messageRows.find(id.toStdString());
    if (found == m_messageRows.end())
        return rows;
    for (const RowRun &run : found->second)
        for (int row = run.first; row <= run.last; ++row)
            rows.push_back(row);
    return rows;
}

QString EventListModel::summaryAt(int row) const
{
    const QByteArrayView raw = rawAt(row);
    const Json parsed = parseJson(raw, nullptr, kJsonMaxWireDepth);
    if (!parsed.is_object())
        return oneLine(QString::fromUtf8(raw));
    Event header;
    header.type = typeAt(row);
    const Json &payload = wire::payloadOf(parsed);
    const Json &meta = wire::metadataOf(parsed);
    switch (wire::kindOf(header, parsed)) {
    case EventKind::MessageContent: {
        const bool hidden = stringField(meta, "user_visibility") == u"hidden"_s;
        return oneLine((hidden ? u"(hidden) "_s : QString()) + textOf(payload));
    }
    case EventKind::StepStarted:
        return oneLine(stringField(payload, "key") + u" · "_s + stringField(payload, "action_type"));
    case EventKind::StepFinished: {
        const Json &result = payload.is_object() ? payload.value("result", Json()) : payload;
        QString text = stringField(payload, "key") + u" → "_s + stringField(result, "status");
        if (const QString source = stringField(meta, "source"); !source.isEmpty())
            text += u" ("_s + source + u')';
        if (const QString error = stringField(result, "error"); !error.isEmpty())
            text += u": "_s + error;
        return oneLine(text);
    }
    case EventKind::InvocationStarted:
        return oneLine(stringField(payload, "bot_name") + u" · "_s + stringField(payload, "invocation_id"));
    case EventKind::Status:
        return oneLine(stringField(payload, "status") + u": "_s + stringField(payload, "message"));
    case EventKind::InvocationFinished: {
        QString text = stringField(payload, "status");
        if (const QString error = stringField(payload, "error"); !error.isEmpty())
            text += u": "_s + error;
        return oneLine(text);
    }
    case EventKind::Unknown:
        break;
    }
    return oneLine(QString::fromUtf8(raw));
}

int EventListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rowCount;
}

int EventListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeqColumn: return seqAt(row) >= 0 ? QVariant(seqAt(row)) : QVariant();
        case TimeColumn: return timeAt(row) >= 0 ? QVariant(timeAt(row)) : QVariant();
        case TypeColumn: return typeAt(row);
        case StepColumn: return pathAt(row);
        case SummaryColumn: return summaryAt(row);
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == SeqColumn || index.column() == TimeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case RawRole: return rawAt(row).toByteArray();
    case TypeRole: return typeAt(row);
    case PathRole: return pathAt(row);
    case SeqRole: return seqAt(row);
    }
    return {};
}

QVariant EventListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SeqColumn: return u"#"_s;
    case TimeColumn: return u"t (ms)"_s;
    case TypeColumn: return u"Type"_s;
    case StepColumn: return u"Step"_s;
    case SummaryColumn: return u"Summary"_s;
    }
    return {};
}

} // namespace invoke::ui
