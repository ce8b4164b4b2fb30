// invoke-cli cache stats|list|show KEY|clear|export FILE|import FILE: the replay cache,
// readable, on whichever store --cache / INVOKE_CACHE_URL names (docs/cache.md).
#include "app/cli/cache/cachechoice.h"
#include "app/cli/cache/cachetransfer.h"
#include "app/cli/commands.h"
#include "app/cli/console.h"
#include "core/cache/openreplaycache.h"

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
    const QList<cache::CacheScope> scopes = cache.scopes(&error);
    if (!error.isEmpty())
        return failed(error);
    if (json) {
        Json byScope = Json::object();
        for (const cache::CacheScope &scope : scopes)
            byScope[toStd(scope.scope)] = scope.entries;
        printJson(Json{{"file", toStd(s.file)}, {"entries", s.entries}, {"bytes", s.bytes}, {"hits", s.hits},
                       {"scopes", byScope}});
        return ExitOk;
    }
    QStringList scopeText;
    for (const cache::CacheScope &scope : scopes)
        scopeText.append(u"%1 (%2)"_s.arg(scope.scope).arg(scope.entries));
    printOut(u"File:     %1\nEntries:  %2\nSize:     %3\nHits:     %4\nScopes:   %5\n"_s.arg(
        s.file, QString::number(s.entries), QLocale::c().formattedDataSize(s.bytes), QString::number(s.hits),
        scopeText.isEmpty() ? u"none"_s : scopeText.join(u", "_s)));
    return ExitOk;
}

int list(const ReplayCache &cache, const CacheArguments &args)
{
    QString error;
    cache::CacheFilter filter;
    filter.scope = args.scope;
    const QList<CacheEntry> entries = cache.list(filter, &error);
    if (!error.isEmpty())
        return failed(error);
    if (args.json) {
        Json array = Json::array();
        for (const CacheEntry &entry : entries)
            array.push_back(entry.toJson());
        printJson(array);
        return ExitOk;
    }
    if (entries.isEmpty()) {
        printErr(args.scope.isEmpty() ? u"The replay cache is empty (%1).\n"_s.arg(cache.location())
                                      : u"The replay cache %1 has no entry in scope %2.\n"_s.arg(cache.location(),
                                                                                                args.scope));
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

int clear(ReplayCache &cache, const QString &scope)
{
    QString error;
    const qint64 removed = cache.clear(scope, &error);
    if (removed < 0)
        return failed(error);
    const QString what = removed == 1 ? u"entry"_s : u"entries"_s;
    printOut(scope.isEmpty() ? u"Removed %1 %2 from %3\n"_s.arg(removed).arg(what, cache.location())
                             : u"Removed %1 %2 of scope %3 from %4\n"_s.arg(removed).arg(what, scope, cache.location()));
    return ExitOk;
}

} // namespace

int runCache(const CacheArguments &args)
{
    QString error;
    const auto cache = cache::makeReplayCache(replayCacheUrl(args.cacheUrl), &error);
    if (!cache)
        return failed(error);
    if (!cache->open(&error))
        return failed(error); // it names the file or the server
    if (args.action == u"stats"_s)
        return stats(*cache, args.json);
    if (args.action == u"list"_s)
        return list(*cache, args);
    if (args.action == u"show"_s)
        return show(*cache, args.key);
    if (args.action == u"export"_s)
        return exportCache(*cache, args.file, args.scope);
    if (args.action == u"import"_s)
        return importCache(*cache, args.file, args.scope);
    return clear(*cache, args.scope);
}

} // namespace invoke::cli
