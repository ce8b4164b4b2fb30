#include "ui/events/eventfilterproxy.h"

#include "ui/events/eventlistmodel.h"

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

bool isAscii(const QString &text)
{
    for (const QChar c : text)
        if (c.unicode() > 0x7f)
            return false;
    return true;
}

} // namespace

EventFilterProxy::EventFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

void EventFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_events = qobject_cast<EventListModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void EventFilterProxy::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_textLatin1 = isAscii(text) ? text.toLatin1() : QByteArray();
    invalidateFilter();
}

void EventFilterProxy::setTypeFilter(const QString &type)
{
    if (type == m_type)
        return;
    m_type = type;
    invalidateFilter();
}

void EventFilterProxy::setStepFilter(const QString &path)
{
    if (path == m_step)
        return;
    m_step = path;
    invalidateFilter();
}

bool EventFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty() && m_type.isEmpty() && m_step.isEmpty())
        return true;
    const QAbstractItemModel *source = sourceModel();
    const auto stringAt = [&](int role) {
        return source->index(sourceRow, 0, sourceParent).data(role).toString();
    };
    if (!m_type.isEmpty()) {
        const QString type = m_events ? m_events->typeAt(sourceRow) : stringAt(EventListModel::TypeRole);
        if (type != m_type)
            return false;
    }
    if (!m_step.isEmpty()) {
        const QString path = m_events ? m_events->pathAt(sourceRow) : stringAt(EventListModel::PathRole);
        if (path != m_step && !(path.startsWith(m_step) && path.at(m_step.size()) == u'/'))
            return false;
    }
    return m_text.isEmpty() || textMatches(sourceRow);
}

bool EventFilterProxy::textMatches(int sourceRow) const
{
    QString type, path;
    QByteArray copy;
    QByteArrayView raw;
    if (m_events) {
        type = m_events->typeAt(sourceRow);
        path = m_events->pathAt(sourceRow);
        raw = m_events->rawAt(sourceRow);
    } else {
        const QModelIndex index = sourceModel()->index(sourceRow, 0);
        type = index.data(EventListModel::TypeRole).toString();
        path = index.data(EventListModel::PathRole).toString();
        copy = index.data(EventListModel::RawRole).toByteArray();
        raw = copy;
    }
    if (type.contains(m_text, Qt::CaseInsensitive) || path.contains(m_text, Qt::CaseInsensitive))
        return true;
    // An ASCII needle can be searched in the UTF-8 bytes directly: case folding of the
    // other bytes never produces an ASCII letter. Anything else needs real decoding.
    if (!m_textLatin1.isEmpty())
        return QLatin1StringView(raw).contains(QLatin1StringView(m_textLatin1), Qt::CaseInsensitive);
    return QString::fromUtf8(raw).contains(m_text, Qt::CaseInsensitive);
}

} // namespace invoke::ui
