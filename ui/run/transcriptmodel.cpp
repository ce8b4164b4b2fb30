#include "ui/run/transcriptmodel.h"

#include "core/wire/events.h"
#include "ui/common/jsonpeek.h"

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

// Messages of one answer are separated like paragraphs.
const QString kSeparator = u"\n\n"_s;

struct Chunk
{
    QString id;
    QString text;
};

// The plain-SDK way, and the fallback: parse, classify by shape, read the fields.
bool parseVisibleChunk(const Event &event, Chunk *chunk)
{
    const Json parsed = event.json();
    if (wire::kindOf(event, parsed) != EventKind::MessageContent)
        return false;
    const Json &meta = wire::metadataOf(parsed);
    if (stringField(meta, "user_visibility", u"visible"_s) != u"visible"_s)
        return false;
    const Json &payload = wire::payloadOf(parsed);
    chunk->id = stringField(meta, "message_content_id");
    if (payload.is_string())
        chunk->text = toQString(payload.get_ref<const std::string &>());
    else if (!payload.is_null())
        chunk->text = QString::fromUtf8(dumpJson(payload));
    return true;
}

// A visible message_content event's chunk. Events of ours say what they are in
// "type", and most of a run is such chunks: read the three fields without a parse.
bool visibleChunk(const Event &event, Chunk *chunk)
{
    if (!event.type.isEmpty() && wire::kindOfType(event.type) != EventKind::MessageContent)
        return false;
    if (event.type.isEmpty())
        return parseVisibleChunk(event, chunk);
    using jsonpeek::Found;
    static const QByteArrayView topKeys[] = {"metadata", "payload"};
    static const QByteArrayView metaKeys[] = {"user_visibility", "message_content_id"};
    QByteArrayView top[2], meta[2];
    if (jsonpeek::members(event.raw, topKeys, top, 2) != Found::Yes)
        return parseVisibleChunk(event, chunk);
    if (top[0].startsWith('{')) {
        if (jsonpeek::members(top[0], metaKeys, meta, 2) != Found::Yes)
            return parseVisibleChunk(event, chunk);
        // stringField's reading: a value that is not a string counts as absent.
        QString value;
        if (!meta[0].isNull() && meta[0] != "\"visible\"" && jsonpeek::stringValue(meta[0], &value)
            && value != u"visible"_s)
            return false;
        if (!meta[1].isNull() && !jsonpeek::stringValue(meta[1], &chunk->id))
            chunk->id.clear();
    }
    const QByteArrayView payload = top[1];
    if (payload.isNull() || payload == "null")
        return true; // an empty chunk
    if (jsonpeek::stringValue(payload, &chunk->text))
        return true;
    return parseVisibleChunk(event, chunk); // a JSON payload: shown as compact JSON
}

} // namespace

TranscriptModel::TranscriptModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void TranscriptModel::appendTurn(Turn turn)
{
    const int row = int(m_turns.size());
    beginInsertRows({}, row, row);
    m_turns.append(std::move(turn));
    endInsertRows();
}

TranscriptModel::Turn *TranscriptModel::openAnswer()
{
    if (m_turns.isEmpty())
        return nullptr;
    Turn &last = m_turns.last();
    return last.speaker == Speaker::Assistant && !last.finished ? &last : nullptr;
}

void TranscriptModel::changed(int row)
{
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at);
}

bool TranscriptModel::isStreaming() const
{
    return const_cast<TranscriptModel *>(this)->openAnswer() != nullptr;
}

void TranscriptModel::addUserTurn(const QString &text)
{
    appendTurn({Speaker::User, text});
}

void TranscriptModel::addEvents(const QList<Event> &events)
{
    // Gather the batch first, so an answer is inserted or changed once per batch.
    Turn *open = openAnswer();
    Turn fresh{Speaker::Assistant, {}, false};
    Turn &target = open ? *open : fresh;
    bool grew = false;
    Chunk chunk;
    for (const Event &event : events) {
        chunk = {};
        if (!visibleChunk(event, &chunk))
            continue;
        if (!target.text.isEmpty() && chunk.id != target.lastMessageId)
            target.text += kSeparator;
        target.lastMessageId = chunk.id;
        target.text += chunk.text;
        grew = true;
    }
    if (!grew)
        return;
    if (open)
        changed(int(m_turns.size()) - 1);
    else
        appendTurn(std::move(fresh));
}

void TranscriptModel::finishTurn(const InvokeResult &result)
{
    QList<StepMessage> visible;
    for (const StepMessage &message : result.messages)
        if (message.visible && !message.content.isEmpty())
            visible.append(message);
    const bool failed = !result.success && !result.cancelled;

    Turn *open = openAnswer();
    if (open || !visible.isEmpty() || !failed) {
        Turn answer = open ? std::move(*open) : Turn{Speaker::Assistant};
        if (!visible.isEmpty()) {
            // The result has each message whole; streamed chunks of parallel steps may
            // have interleaved.
            QStringList parts;
            for (const StepMessage &message : visible)
                parts.append(message.content);
            answer.text = parts.join(kSeparator);
        }
        answer.messages = visible;
        answer.finished = true;
        answer.cancelled = result.cancelled;
        answer.lastMessageId.clear();
        if (open) {
            *open = std::move(answer);
            changed(int(m_turns.size()) - 1);
        } else {
            appendTurn(std::move(answer));
        }
    }
    if (failed) {
        const QString error = result.error.isEmpty() ? u"The run failed."_s : result.error;
        appendTurn({Speaker::Error, error});
    }
}

void TranscriptModel::clear()
{
    beginResetModel();
    m_turns.clear();
    endResetModel();
}

void TranscriptModel::restore(Snapshot turns)
{
    beginResetModel();
    m_turns = std::move(turns);
    endResetModel();
}

QList<Message> TranscriptModel::conversation() const
{
    QList<Message> messages;
    for (const Turn &turn : m_turns) {
        if (turn.speaker == Speaker::User)
            messages.append(Message::user(turn.text));
        else if (turn.speaker == Speaker::Assistant && turn.finished && !turn.text.isEmpty())
            messages.append(Message::assistant(turn.text));
    }
    return messages;
}

int TranscriptModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_turns.size());
}

QVariant TranscriptModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Turn &turn = m_turns.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return turn.text;
    case SpeakerRole:
        switch (turn.speaker) {
        case Speaker::User: return u"user"_s;
        case Speaker::Assistant: return u"assistant"_s;
        case Speaker::Error: return u"error"_s;
        }
        break;
    case FinishedRole: return turn.finished;
    case ErrorRole: return turn.speaker == Speaker::Error;
    case CancelledRole: return turn.cancelled;
    case MarkdownRole: {
        if (turn.speaker != Speaker::Assistant || turn.messages.isEmpty())
            return turn.text;
        // JSON answers are code, not prose: fence them so Markdown leaves them alone.
        QStringList parts;
        for (const StepMessage &message : turn.messages) {
            if (message.contentType == u"json"_s)
                parts.append(u"```json\n"_s + message.content + u"\n```"_s);
            else
                parts.append(message.content);
        }
        return parts.join(kSeparator);
    }
    }
    return {};
}

} // namespace invoke::ui
