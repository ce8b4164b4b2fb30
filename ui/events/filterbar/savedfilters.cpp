#include "ui/events/filterbar/savedfilters.h"

#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

const QString kKey = u"events/savedFilters"_s;

} // namespace

SavedFilters::SavedFilters(QObject *parent)
    : QObject(parent), m_entries(defaults())
{
}

QList<SavedFilters::Entry> SavedFilters::defaults()
{
    return {
        {tr("Errors"), u"status == \"error\""_s},
        {tr("Slow steps (over 1 s)"), u"type == \"step_finished\" and duration_ms > 1000"_s},
        // As the colouring rule (ui/colouring/colouringrule.cpp): the miss's reason, or the
        // source older runs and other servers give.
        {tr("Replay misses"), u"type == \"step_finished\" and (metadata.replay_miss or source == \"replay_stored\")"_s},
        {tr("Model calls"), u"action == \"llm.message\""_s},
        {tr("Steps, no text"), u"step and not type == \"message_content\""_s},
    };
}

void SavedFilters::setSettings(QSettings *settings)
{
    m_settings = settings;
    if (!settings || !settings->contains(kKey))
        return;
    m_entries.clear();
    for (const QVariant &item : settings->value(kKey).toList()) {
        const QVariantMap map = item.toMap();
        const QString name = map.value(u"name"_s).toString();
        const QString text = map.value(u"filter"_s).toString();
        if (!name.isEmpty() && !text.isEmpty())
            m_entries.append({name, text});
    }
    emit changed();
}

void SavedFilters::save(const QString &name, const QString &text)
{
    if (name.trimmed().isEmpty() || text.trimmed().isEmpty())
        return;
    for (Entry &entry : m_entries) {
        if (entry.name == name.trimmed()) {
            entry.text = text;
            write();
            return;
        }
    }
    m_entries.append({name.trimmed(), text});
    write();
}

void SavedFilters::remove(const QString &name)
{
    const qsizetype before = m_entries.size();
    m_entries.removeIf([&](const Entry &entry) { return entry.name == name; });
    if (m_entries.size() != before)
        write();
}

void SavedFilters::write()
{
    if (m_settings) {
        QVariantList list;
        for (const Entry &entry : m_entries)
            list.append(QVariantMap{{u"name"_s, entry.name}, {u"filter"_s, entry.text}});
        m_settings->setValue(kKey, list); // an empty list too: the defaults stay removed
    }
    emit changed();
}

} // namespace invoke::ui
