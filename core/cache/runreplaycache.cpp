#include "core/cache/runreplaycache.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::cache {

namespace {

void clearError(QString *error)
{
    if (error)
        error->clear();
}

// Newest first, as every store lists.
void sortNewestFirst(QList<CacheEntry> &entries)
{
    std::stable_sort(entries.begin(), entries.end(),
                     [](const CacheEntry &a, const CacheEntry &b) { return a.createdAt > b.createdAt; });
}

} // namespace

std::unique_ptr<RunReplayCache> RunReplayCache::fromJson(const Json &entries, QString *error)
{
    const auto fail = [&](const QString &why) -> std::unique_ptr<RunReplayCache> {
        if (error)
            *error = why;
        return nullptr;
    };
    if (!entries.is_array())
        return fail(u"replay_entries: must be an array of replay-cache entries"_s);
    QList<CacheEntry> list;
    list.reserve(qsizetype(entries.size()));
    for (size_t i = 0; i < entries.size(); ++i) {
        QString why;
        auto entry = CacheEntry::fromJson(entries[i], &why);
        if (!entry)
            return fail(u"replay_entries[%1]: %2"_s.arg(i).arg(why));
        if (!list.isEmpty() && entry->parts.scope != list.first().parts.scope)
            return fail(u"replay_entries[%1]: scope \"%2\" differs from the first entry's \"%3\": a run's entries "
                        "share one scope"_s.arg(i).arg(entry->parts.scope, list.first().parts.scope));
        list.append(std::move(*entry));
    }
    return std::make_unique<RunReplayCache>(std::move(list));
}

RunReplayCache::RunReplayCache(QList<CacheEntry> entries)
{
    if (!entries.isEmpty())
        m_scope = entries.first().parts.scope;
    for (CacheEntry &e : entries)
        m_entries.insert(e.key, std::move(e));
}

QString RunReplayCache::location() const
{
    return u"the run's own replay entries"_s;
}

bool RunReplayCache::open(QString *error)
{
    clearError(error);
    return true;
}

std::optional<CacheEntry> RunReplayCache::lookup(const QString &key, QString *error) const
{
    clearError(error);
    QMutexLocker lock(&m_mutex);
    const auto it = m_entries.find(key);
    if (it == m_entries.end())
        return std::nullopt;
    ++it->hits;
    return *it;
}

bool RunReplayCache::store(const CacheKeyParts &parts, const Json &output, const wire::Usage &usage, QString *error)
{
    clearError(error);
    CacheEntry e;
    e.key = parts.key();
    e.parts = parts;
    e.output = output;
    e.usage = usage;
    e.createdAt = QDateTime::currentDateTimeUtc();
    QMutexLocker lock(&m_mutex);
    m_entries.insert(e.key, std::move(e));
    return true;
}

std::optional<CacheEntry> RunReplayCache::nearest(const CacheKeyParts &parts, QString *error) const
{
    CacheFilter filter{parts.scope, parts.botKey, parts.actionType, 1};
    const QList<CacheEntry> found = list(filter, error);
    if (found.isEmpty())
        return std::nullopt;
    return found.first();
}

CacheStats RunReplayCache::stats(QString *error) const
{
    clearError(error);
    QMutexLocker lock(&m_mutex);
    CacheStats s;
    s.file = location();
    s.entries = m_entries.size();
    for (const CacheEntry &e : m_entries)
        s.hits += e.hits;
    return s;
}

QList<CacheEntry> RunReplayCache::list(const CacheFilter &filter, QString *error) const
{
    clearError(error);
    QList<CacheEntry> out;
    {
        QMutexLocker lock(&m_mutex);
        for (const CacheEntry &e : m_entries)
            if (filter.matches(e.parts))
                out.append(e);
    }
    sortNewestFirst(out);
    if (filter.limit >= 0 && out.size() > filter.limit)
        out.resize(filter.limit);
    return out;
}

QList<CacheScope> RunReplayCache::scopes(QString *error) const
{
    clearError(error);
    QMutexLocker lock(&m_mutex);
    QHash<QString, qint64> counts;
    for (const CacheEntry &e : m_entries)
        ++counts[e.parts.scope];
    QList<CacheScope> out;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        out.append({it.key(), it.value()});
    std::sort(out.begin(), out.end(), [](const CacheScope &a, const CacheScope &b) { return a.scope < b.scope; });
    return out;
}

std::optional<CacheEntry> RunReplayCache::find(const QString &keyPrefix, QString *error) const
{
    clearError(error);
    QMutexLocker lock(&m_mutex);
    std::optional<CacheEntry> found;
    for (const CacheEntry &e : m_entries) {
        if (!e.key.startsWith(keyPrefix))
            continue;
        if (found) {
            if (error)
                *error = u"several entries start with %1"_s.arg(keyPrefix);
            return std::nullopt;
        }
        found = e;
    }
    if (!found && error)
        *error = u"no entry %1 among the run's replay entries"_s.arg(keyPrefix);
    return found;
}

bool RunReplayCache::insert(const QList<CacheEntry> &entries, QString *error)
{
    clearError(error);
    QMutexLocker lock(&m_mutex);
    for (const CacheEntry &e : entries)
        m_entries.insert(e.key, e);
    return true;
}

qint64 RunReplayCache::clear(const QString &scope, QString *error)
{
    clearError(error);
    QMutexLocker lock(&m_mutex);
    qint64 removed = 0;
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (scope.isEmpty() || it->parts.scope == scope) {
            it = m_entries.erase(it);
            ++removed;
        } else {
            ++it;
        }
    }
    return removed;
}

} // namespace invoke::cache
