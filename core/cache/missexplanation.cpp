#include "core/cache/missexplanation.h"

using namespace Qt::StringLiterals;

namespace invoke::cache {

namespace {

constexpr qsizetype kShortValue = 60; // longer strings are named, not quoted

// Collects the leaf differences of two JSON values under `path`; counts them all, keeps
// the first `keep`.
struct DiffWalk
{
    QList<FieldDifference> kept;
    int total = 0;
    int keep = MissExplanation::kMaxFields;

    void add(const QString &field, const Json &cached, const Json &now, const QString &change)
    {
        ++total;
        if (kept.size() < keep)
            kept.append(FieldDifference{field, cached, now, change});
    }

    void walk(const QString &path, const Json &cached, const Json &now)
    {
        if (cached.is_object() && now.is_object()) {
            for (auto it = cached.begin(); it != cached.end(); ++it) {
                const QString member = path + u'.' + toQString(it.key());
                if (const auto other = now.find(it.key()); other != now.end())
                    walk(member, it.value(), *other);
                else
                    add(member, it.value(), Json(), u"removed"_s);
            }
            for (auto it = now.begin(); it != now.end(); ++it)
                if (!cached.contains(it.key()))
                    add(path + u'.' + toQString(it.key()), Json(), it.value(), u"added"_s);
            return;
        }
        if (cached.is_array() && now.is_array()) {
            const size_t common = std::min(cached.size(), now.size());
            for (size_t i = 0; i < common; ++i)
                walk(u"%1[%2]"_s.arg(path).arg(i), cached[i], now[i]);
            for (size_t i = common; i < cached.size(); ++i)
                add(u"%1[%2]"_s.arg(path).arg(i), cached[i], Json(), u"removed"_s);
            for (size_t i = common; i < now.size(); ++i)
                add(u"%1[%2]"_s.arg(path).arg(i), Json(), now[i], u"added"_s);
            return;
        }
        if (cached != now)
            add(path, cached, now, u"changed"_s);
    }
};

// A value short enough to repeat in a sentence, as the user would type it; empty when not.
QString shortText(const Json &value, bool quoteStrings)
{
    if (value.is_string()) {
        const QString s = toQString(value.get<std::string>());
        if (s.size() > kShortValue || s.contains(u'\n'))
            return {};
        return quoteStrings ? u'"' + s + u'"' : s;
    }
    if (value.is_structured())
        return {};
    const QString s = QString::fromUtf8(dumpJson(value));
    return s.size() > kShortValue ? QString() : s;
}

QList<FieldDifference> differences(const CacheKeyParts &cached, const CacheKeyParts &wanted, int *total)
{
    DiffWalk walk;
    const auto text = [&walk](const char *name, const QString &a, const QString &b) {
        if (a != b)
            walk.add(QString::fromLatin1(name), Json(toStd(a)), Json(toStd(b)), u"changed"_s);
    };
    text("scope", cached.scope, wanted.scope);
    text("bot", cached.botKey, wanted.botKey);
    text("bot updated_at", cached.botUpdatedAt, wanted.botUpdatedAt);
    text("action type", cached.actionType, wanted.actionType);
    // The model is the one parameter people change on purpose: named plainly.
    const Json &a = cached.parameters, &b = wanted.parameters;
    if (a.is_object() && b.is_object()) {
        const Json none;
        const auto ma = a.find("model"), mb = b.find("model");
        const Json &modelA = ma == a.end() ? none : *ma, &modelB = mb == b.end() ? none : *mb;
        if (modelA != modelB)
            walk.add(u"model"_s, modelA, modelB,
                     modelA.is_null() ? u"added"_s : modelB.is_null() ? u"removed"_s : u"changed"_s);
        Json restA = a, restB = b;
        restA.erase("model");
        restB.erase("model");
        walk.walk(u"parameters"_s, restA, restB);
    } else {
        walk.walk(u"parameters"_s, a, b);
    }
    if (total)
        *total = walk.total;
    return walk.kept;
}

} // namespace

QString FieldDifference::sentence() const
{
    const bool quote = field != u"bot updated_at"_s && field != u"model"_s && field != u"bot"_s
        && field != u"scope"_s && field != u"action type"_s;
    const QString name = field == u"model"_s ? u"the model"_s : field;
    if (change == u"added"_s) {
        const QString v = shortText(now, quote);
        return v.isEmpty() ? name + u" was added"_s : u"%1 was added (%2)"_s.arg(name, v);
    }
    if (change == u"removed"_s) {
        const QString v = shortText(cached, quote);
        return v.isEmpty() ? name + u" was removed"_s : u"%1 was removed (was %2)"_s.arg(name, v);
    }
    const QString from = shortText(cached, quote), to = shortText(now, quote);
    if (from.isEmpty() || to.isEmpty())
        return name + u" differs"_s;
    return u"%1 changed from %2 to %3"_s.arg(name, from, to);
}

Json FieldDifference::toJson() const
{
    return Json{{"field", toStd(field)}, {"change", toStd(change)}, {"cached", cached}, {"now", now}};
}

QString MissExplanation::summary(const CacheKeyParts &wanted) const
{
    if (reason == u"never_cached"_s)
        return u"nothing was ever cached for this step (bot %1, %2, scope %3)"_s.arg(
            wanted.botKey, wanted.actionType, wanted.scope);
    QStringList parts;
    for (const FieldDifference &f : fields)
        parts.append(f.sentence());
    if (omittedFields > 0)
        parts.append(omittedFields == 1 ? u"1 more field differs"_s
                                        : u"%1 more fields differ"_s.arg(omittedFields));
    const QString when = nearestCreatedAt.isValid() ? nearestCreatedAt.toUTC().toString(Qt::ISODate) : QString();
    if (reason == u"refresh"_s) {
        if (sameKeyExisted)
            return u"refresh asked: the answer cached at %1 was recorded again"_s.arg(when);
        return parts.isEmpty() ? u"refresh asked: recorded again"_s
                               : u"refresh asked; compared with the nearest entry: "_s + parts.join(u"; "_s);
    }
    if (reason == u"entry_gone"_s)
        return u"an entry with these inputs exists now (key %1): it was stored while this step ran"_s.arg(
            nearestKey.left(12));
    return parts.join(u"; "_s);
}

Json MissExplanation::toJson(const CacheKeyParts &wanted) const
{
    Json list = Json::array();
    for (const FieldDifference &f : fields)
        list.push_back(f.toJson());
    Json j{{"reason", toStd(reason)}, {"summary", toStd(summary(wanted))}, {"fields", std::move(list)}};
    j["nearest"] = nearestKey.isEmpty()
        ? Json()
        : Json{{"key", toStd(nearestKey)},
               {"created_at", toStd(nearestCreatedAt.toUTC().toString(Qt::ISODateWithMs))}};
    if (omittedFields > 0)
        j["omitted_fields"] = omittedFields;
    return j;
}

QList<FieldDifference> keyDifferences(const CacheKeyParts &cached, const CacheKeyParts &wanted)
{
    return differences(cached, wanted, nullptr);
}

MissExplanation explainMiss(const CacheKeyParts &wanted, const QList<CacheEntry> &candidates, bool refresh)
{
    MissExplanation e;
    e.reason = refresh ? u"refresh"_s : u"never_cached"_s;
    int best = -1;
    for (const CacheEntry &entry : candidates) {
        int total = 0;
        QList<FieldDifference> fields = differences(entry.parts, wanted, &total);
        if (best >= 0 && total >= best)
            continue; // newest first: a tie keeps the newer one
        best = total;
        e.nearestKey = entry.key;
        e.nearestCreatedAt = entry.createdAt;
        e.fields = std::move(fields);
        e.omittedFields = total - int(e.fields.size());
        if (total == 0)
            break;
    }
    if (best < 0)
        return e;
    if (best == 0)
        e.sameKeyExisted = true;
    if (!refresh)
        e.reason = best == 0 ? u"entry_gone"_s : u"inputs_differ"_s;
    return e;
}

} // namespace invoke::cache
