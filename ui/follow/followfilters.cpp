#include "ui/follow/followfilters.h"

#include "core/filter/eventrecord.h"
#include "ui/events/eventlistmodel.h"

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

QString stringOf(const filter::FieldValue &value)
{
    switch (value.kind) {
    case filter::FieldValue::String:
        return value.isUtf8 ? QString::fromUtf8(value.utf8.data(), qsizetype(value.utf8.size()))
                            : value.qstring.toString();
    case filter::FieldValue::Number: return QString::number(value.number, 'g', 17);
    default: return {};
    }
}

} // namespace

QString filterString(const QString &text)
{
    QString quoted;
    quoted.reserve(text.size() + 2);
    quoted += u'"';
    for (const QChar c : text) {
        if (c == u'"' || c == u'\\')
            quoted += u'\\';
        if (c == u'\n')
            quoted += u"\\n"_s;
        else if (c == u'\t')
            quoted += u"\\t"_s;
        else if (c == u'\r')
            quoted += u"\\r"_s;
        else
            quoted += c;
    }
    quoted += u'"';
    return quoted;
}

QString stepFilterText(const QString &path)
{
    return u"step == %1 or step ^= %2"_s.arg(filterString(path), filterString(path + u'/'));
}

QString messageFilterText(const QString &messageContentId)
{
    return u"type == \"message_content\" and metadata.message_content_id == %1"_s.arg(filterString(messageContentId));
}

std::optional<QString> messageIdAt(const EventListModel &events, int row)
{
    if (row < 0 || row >= events.rowCount())
        return std::nullopt;
    const filter::EventRecord record = events.recordAt(row);
    if (record.kind() != EventKind::MessageContent)
        return std::nullopt;
    const filter::FieldValue id = record.value(filter::FieldRef{filter::FieldId::Metadata, {"message_content_id"}});
    if (id.kind != filter::FieldValue::String && id.kind != filter::FieldValue::Number)
        return std::nullopt;
    return stringOf(id);
}

QString messageTextAt(const EventListModel &events, int row)
{
    if (row < 0 || row >= events.rowCount())
        return {};
    const filter::EventRecord record = events.recordAt(row);
    return stringOf(record.value(filter::FieldRef{filter::FieldId::Text, {}}));
}

} // namespace invoke::ui
