// invoke-cli cache stats|list|show KEY|clear: the replay cache, readable.
#include "app/cli/commands.h"
#include "app/cli/console.h"
#include "core/cache/sqlitereplaycache.h"

#include <QtCore/QLocale>

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {

using cache::CacheEntry;
using cache::ReplayCache;

void printJson(const Json &value)
{
    printOut(QString::fromUtf8(dumpJson(value, 2)) + u'\n');
}

int failed(const QString &error)
{
    printErr(u"error: "_s + error + u'\n');
    return ExitFailed;
}

int stats(const ReplayCache &cache, bool json)
{
    QString error;
    const cache::CacheStats s = cache.stats(&error);
    if (!error.isEmpty())
        return failed(error);
    if (json) {
        printJson(Json{{"file", toStd(s.file)}, {"entries", s.entries}, {"bytes", s.bytes}, {"hits", s.hits}});
        return ExitOk;
    }
    printOut(u"File:     %1\nEntries:  %2\nSize:     %3\nHits:     %4\n"_s.arg(
        s.file, QString::number(s.entries), QLocale::c().formattedDataSize(s.bytes), QString::number(s.hits)));
    return ExitOk;
}

int list(const ReplayCache &cache, bool json)
{
    QString error;
    const QList<CacheEntry> entries = cache.list({}, &error);
    if (!error.isEmpty())
        return failed(error);
    if (json) {
        Json array = Json::array();
        for (const CacheEntry &entry : entries)
            array.push_back(entry.toJson());
        printJson(array);
        return ExitOk;
    }
    if (entries.isEmpty()) {
        printErr(u"The replay cache is empty (%1).\n"_s.arg(cache.location()));
        return ExitOk;
    }
    qsizetype botWidth = 3, actionWidth = 6;
    for (const CacheEntry &e : entries) {
        botWidth = qMax(botWidth, e.parts.botKey.size());
        actionWidth = qMax(actionWidth, e.parts.actionType.size());
    }
    auto row = [&](const QString &key, const QString &bot, const QString &action,
                    const QString &created, const QString &hits) -> QString {
        const QString line = key.leftJustified(12) + u"  "_s + bot.leftJustified(botWidth) + u"  "_s
                             + action.leftJustified(actionWidth) + u"  "_s + created.leftJustified(16)
                             + u"  "_s + hits;
        return line + u'\n';
    };
    QString out = row(u"KEY"_s, u"BOT"_s, u"ACTION"_s, u"CREATED"_s, u"HITS"_s);
    for (const CacheEntry &e : entries)
        out += row(e.key.left(12), e.parts.botKey, e.parts.actionType,
                   e.createdAt.toUTC().toString(u"yyyy-MM-dd HH:mm"_s), QString::number(e.hits));
    printOut(out);
    return ExitOk;
}

int show(const ReplayCache &cache, const QString &key)
{
    QString error;
    const auto entry = cache.find(key, &error);
    if (!entry)
        return failed((error.isEmpty() ? u"no cache entry matches \"%1\""_s.arg(key) : error)
                      + u" (see 'invoke-cli cache list')"_s);
    printJson(entry->toJson());
    return ExitOk;
}

} // namespace

int runCache(const QString &cacheFile, const CacheArguments &args)
{
    cache::SqliteReplayCache cache(cacheFile);
    QString error;
    if (!cache.open(&error))
        return failed(u"cannot open the replay cache %1: %2"_s.arg(cacheFile, error));
    if (args.action == u"stats"_s)
        return stats(cache, args.json);
    if (args.action == u"list"_s)
        return list(cache, args.json);
    if (args.action == u"show"_s)
        return show(cache, args.key);
    const qint64 removed = cache.clear({}, &error);
    if (removed < 0)
        return failed(error);
    printOut(u"Removed %1 %2 from %3\n"_s.arg(removed).arg(removed == 1 ? u"entry"_s : u"entries"_s, cacheFile));
    return ExitOk;
}

} // namespace invoke::cli
