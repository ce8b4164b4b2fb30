// invoke-cli runs list|show|export|import|rm: reads and edits the run history
// (core/history/historystore.h) and run files (core/history/runfile.h).
#include "app/cli/runs/runscommand.h"

#include "app/cli/cliarguments.h"
#include "app/cli/console.h"
#include "app/cli/filter/eventfilteroption.h"
#include "app/cli/cache/cachechoice.h"
#include "app/cli/runs/rundiffcommand.h"
#include "core/cache/openreplaycache.h"
#include "core/cache/replaycache.h"
#include "core/config/environmentsecret.h"
#include "core/config/paths.h"
#include "core/engine/botcatalog.h"
#include "core/format/formatter.h"
#include "core/history/botsources.h"
#include "core/history/historystore.h"
#include "core/history/runcacheentries.h"
#include "core/history/runfile.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>

using namespace Qt::StringLiterals;

namespace invoke::cli {

using namespace history;

namespace {

const char kHelp[] = R"(Usage: invoke-cli runs ACTION [OPTIONS]

The run history: every run of the studio and of 'invoke-cli invoke' (unless
--no-history) with its request, its events as they streamed and its outcome.
Runs are named by their invocation id or any unique prefix of it.

Actions:
  list [--bot KEY] [--limit N] [--json]
                       The runs, newest first (default limit 20)
  show ID|FILE [--format text|json|events] [-v] [--filter EXPR]
                       A run (or a run file) as 'invoke-cli invoke' printed it;
                       --filter keeps the events a display filter matches
                       (docs/filters.md)
  export ID FILE [--cache URL] [--scope NAME] [--bots-dir DIR]...
                       Write a run file (*.invokerun) to share or keep, with the
                       replay-cache entries its replay steps used and those its
                       live LLM steps make, and its bots' definitions
  import FILE [--add-cache-entries [--cache URL]] [--add-bots]
                       Add a run file's run to the history (its cache entries
                       only with --add-cache-entries, its bots to your bots
                       folder only with --add-bots)
  rerun ID|FILE [--mode MODE] [--current-bots] [invoke's output and engine options]
                       Run a recorded run's request again; a run file's
                       cache entries answer its replay, in a cache of their own,
                       and its bots run as they were (--current-bots: as they
                       are now)
  diff A B [--json]    Compare two runs step by step (ids or run files)
  rm ID                Remove a run from the history

Options:
  --json               list and diff: print JSON
  --cache URL          export, import: the replay cache (default as for invoke)
  --scope NAME         export: the scope the run recorded under (default local)
  --bots-dir DIR       export: where else the run's bot files are (as for invoke)
  --no-history         (any command) do not record this run
)";

int usage(const QString &message)
{
    printErr(u"invoke-cli: "_s + message + u"\nTry 'invoke-cli runs --help'.\n"_s);
    return ExitUsage;
}

std::unique_ptr<HistoryStore> openStore(QString *error)
{
    auto store = std::make_unique<HistoryStore>(defaultHistoryFile());
    if (!store->open(error))
        return nullptr;
    return store;
}

int failed(const QString &message)
{
    printErr(u"error: "_s + message + u'\n');
    return ExitFailed;
}

int list(const QCommandLineParser &parser)
{
    HistoryQuery query;
    query.botKey = parser.value(u"bot"_s);
    query.limit = 20;
    if (parser.isSet(u"limit"_s)) {
        bool ok = false;
        query.limit = parser.value(u"limit"_s).toInt(&ok);
        if (!ok || query.limit < 1)
            return usage(u"--limit %1: expected a number of runs, at least 1"_s.arg(parser.value(u"limit"_s)));
    }
    QString why;
    const auto store = openStore(&why);
    if (!store)
        return failed(why);
    const QList<RunSummary> runs = store->list(query, &why);
    if (!why.isEmpty())
        return failed(why);
    if (parser.isSet(u"json"_s)) {
        Json out = Json::array();
        for (const RunSummary &r : runs)
            out.push_back(r.toListJson());
        printOut(QString::fromUtf8(dumpJson(out, 2)) + u'\n');
        return ExitOk;
    }
    QList<QStringList> rows{{u"ID"_s, u"BOT"_s, u"STARTED"_s, u"MODE"_s, u"OUTCOME"_s, u"MS"_s, u"TOKENS"_s, u"PROFILE"_s}};
    for (const RunSummary &r : runs)
        rows.append({r.invocationId.left(8), r.botKey, r.startedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s),
                     r.mode, QString(outcomeName(r.outcome)), r.durationMs >= 0 ? QString::number(r.durationMs) : u"-"_s,
                     QString::number(r.tokens), r.profile});
    printOut(runs.isEmpty() ? u"No runs recorded yet.\n"_s : columns(rows));
    return ExitOk;
}

// Masked in a run file: the LLM key and the server token from the environment, and the
// cache's password.
QStringList exportSecrets()
{
    QStringList secrets = replayCachePasswords();
    for (const char *name : {"INVOKE_LLM_API_KEY", "INVOKE_AUTH_TOKEN"})
        if (const auto value = takeSecretFromEnvironment(name); value && !value->isEmpty())
            secrets.append(*value);
    return secrets;
}

std::optional<RunCacheEntries> exportedCacheEntries(const RunRecord &run, const QCommandLineParser &parser,
                                                    QString *error)
{
    const QString scope = replayCacheScope(parser.value(u"scope"_s));
    if (const auto problem = scopeProblem(scope)) {
        *error = u"--scope: "_s + *problem;
        return std::nullopt;
    }
    // A run on a server used the server's cache: only its recorded answers can be kept.
    std::unique_ptr<cache::ReplayCache> store;
    if (run.summary.profile == u"Embedded"_s || parser.isSet(u"cache"_s)) {
        store = cache::makeReplayCache(replayCacheUrl(parser.value(u"cache"_s)), error);
        if (!store || !store->open(error))
            return std::nullopt;
    }
    return runCacheEntries(run, store.get(), scope, error);
}

// runs import --add-cache-entries: the file's entries into the user's replay cache, as
// they are (keys, times and hits kept), as `cache import` adds an export.
bool addCacheEntries(const RunFile &file, const QString &cacheFlag)
{
    QList<cache::CacheEntry> entries;
    for (size_t i = 0; i < file.cacheEntries.size(); ++i) {
        QString why;
        auto entry = cache::CacheEntry::fromJson(file.cacheEntries[i], &why);
        if (!entry) {
            printErr(u"error: cache_entries[%1]: %2 (nothing added to the replay cache)\n"_s.arg(i).arg(why));
            return false;
        }
        entries.append(*entry);
    }
    QString why;
    const auto store = cache::makeReplayCache(replayCacheUrl(cacheFlag), &why);
    if (!store || !store->open(&why) || !store->insert(entries, &why)) {
        printErr(u"error: "_s + why + u'\n');
        return false;
    }
    printErr(u"Added %1 replay-cache entries to %2\n"_s.arg(entries.size()).arg(store->location()));
    return true;
}

// runs import --add-bots: the file's bot definitions into the user's bots folder, each
// with its recorded time; a bot the user already has (by key, in any file) is left alone.
bool addBots(const RunFile &file)
{
    const QString folder = paths::userBots();
    engine::BotCatalog mine;
    mine.index({folder});
    QList<BotSource> adding;
    for (const BotSource &bot : file.bots) {
        if (const engine::BotDefinition *have = mine.find(bot.key)) {
            printErr(u"Left your bot \"%1\" as it is (%2)\n"_s.arg(bot.key, have->info.sourceFile));
            continue;
        }
        adding.append(bot);
    }
    QString why;
    QStringList skipped;
    if (!writeBotSources(adding, folder, &why, true, &skipped)) {
        printErr(u"error: "_s + why + u'\n');
        return false;
    }
    for (const QString &path : std::as_const(skipped))
        printErr(u"Left %1 as it is (another file of that name)\n"_s.arg(path));
    if (adding.size() > skipped.size())
        printErr(u"Added %1 bot definitions to %2\n"_s.arg(adding.size() - skipped.size()).arg(folder));
    return true;
}

QString botKeys(const QList<BotSource> &bots)
{
    QStringList keys;
    for (const BotSource &b : bots)
        keys << b.key;
    return keys.join(u", "_s);
}

} // namespace

std::optional<RunRecord> loadRun(const QString &idOrFile, QString *error)
{
    const QFileInfo file(idOrFile);
    if (file.isFile()) {
        auto run = readRunFile(idOrFile, error);
        return run ? std::optional<RunRecord>(run->record) : std::nullopt;
    }
    const auto store = openStore(error);
    if (!store)
        return std::nullopt;
    return store->load(idOrFile, error);
}

std::optional<QList<BotSource>> loadKeptBots(const QString &invocationId, QString *error)
{
    const auto store = openStore(error);
    if (!store)
        return std::nullopt;
    return store->bots(invocationId, error);
}

QString runsHelpText()
{
    return QString::fromUtf8(kHelp);
}

int runRunsCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    parser.addOption({{u"h"_s, u"help"_s}, u"help"_s});
    parser.addOption({u"bot"_s, u"bot"_s, u"KEY"_s});
    parser.addOption({u"limit"_s, u"limit"_s, u"N"_s});
    parser.addOption({u"json"_s, u"json"_s});
    parser.addOption({u"format"_s, u"format"_s, u"FORMAT"_s});
    parser.addOption({{u"v"_s, u"verbose"_s}, u"verbose"_s});
    parser.addOption({u"filter"_s, u"filter"_s, u"EXPR"_s});
    parser.addOption({u"cache"_s, u"cache"_s, u"URL"_s});
    parser.addOption({u"scope"_s, u"scope"_s, u"NAME"_s});
    parser.addOption({u"add-cache-entries"_s, u"add-cache-entries"_s});
    parser.addOption({u"add-bots"_s, u"add-bots"_s});
    parser.addOption({u"bots-dir"_s, u"bots-dir"_s, u"DIR"_s});
    if (!parser.parse(QStringList{u"runs"_s} + args))
        return usage(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        printOut(runsHelpText());
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    const auto expect = [&](int count, const QString &shape) -> bool {
        if (positional.size() == count)
            return true;
        usage(u"runs %1: expected %2"_s.arg(action, shape));
        return false;
    };
    QString why;
    if (action == u"list"_s)
        return expect(1, u"no argument"_s) ? list(parser) : ExitUsage;
    if (action == u"show"_s) {
        if (!expect(2, u"an ID or a run FILE"_s))
            return ExitUsage;
        OutputFormat format = OutputFormat::Text;
        if (parser.isSet(u"format"_s)) {
            auto parsed = outputFormatFromName(parser.value(u"format"_s), &why);
            if (!parsed)
                return usage(u"--format: "_s + why);
            format = *parsed;
        }
        std::optional<filter::Filter> filter;
        if (parser.isSet(u"filter"_s)) {
            if (format != OutputFormat::Events)
                return usage(u"--filter selects events; use it with --format events"_s);
            filter = parseFilterOption(parser.value(u"filter"_s), &why);
            if (!filter) {
                printErr(u"invoke-cli: "_s + why + u'\n');
                return ExitUsage;
            }
        }
        const auto run = loadRun(positional.at(1), &why);
        if (!run)
            return failed(why);
        InvokeResult result = run->result();
        if (filter)
            result.events = EventSelection(*filter).select(result.events);
        QString output = format::render(result, format, parser.isSet(u"verbose"_s));
        printOut(output.endsWith(u'\n') ? output : output + u'\n');
        return ExitOk;
    }
    if (action == u"export"_s) {
        if (!expect(3, u"an ID and a FILE"_s))
            return ExitUsage;
        const QFileInfo target(positional.at(2));
        if (!target.absoluteDir().exists())
            return usage(u"runs export %1: no such folder %2"_s.arg(target.filePath(), target.absolutePath()));
        const auto store = openStore(&why);
        const auto run = store ? store->load(positional.at(1), &why) : std::nullopt;
        if (!run)
            return failed(why);
        RunFile file;
        file.record = *run;
        file.mocks = run->request.mode.kind == Mode::Manual ? run->request.manualMocks.toJson() : Json();
        // The replay entries its replay steps used, from the run's own or the user's cache.
        const auto entries = exportedCacheEntries(*run, parser, &why);
        if (!entries)
            return failed(why);
        file.cacheEntries = cacheEntriesJson(entries->entries);
        // The bot files as they ran: those the history kept with the run (as the engine
        // here read them, or a run file's when it was imported), else, for a run of the
        // engine here, its bots folders' files still at the run's versions. A server's run
        // carries the server's plan (bot_plan) only.
        const auto kept = store->bots(run->summary.invocationId, &why);
        if (!kept)
            return failed(why);
        const QStringList folders = run->summary.profile == u"Embedded"_s
                                        ? engine::BotCatalog::defaultFolders(parser.values(u"bots-dir"_s))
                                        : QStringList();
        const FoundBotSources bots = runBotSources(*run, *kept, folders);
        file.bots = bots.sources;
        if (!writeRunFile(target.absoluteFilePath(), file, exportSecrets(), &why))
            return failed(why);
        printErr(u"Wrote run %1 (%2 events, %3 replay-cache entries%4) to %5\n"_s.arg(run->summary.invocationId)
                     .arg(run->events.size()).arg(entries->entries.size())
                     .arg(file.bots.isEmpty() ? QString() : u", the definitions of "_s + botKeys(file.bots))
                     .arg(target.filePath()));
        // A server's run says nothing of bot files it never had.
        for (const QString &left : folders.isEmpty() && kept->isEmpty() ? QStringList() : bots.notCarried)
            printErr(u"note: a bot's definition is not in the file (a re-run needs it where it runs): %1\n"_s.arg(left));
        if (!entries->fromLive.isEmpty())
            printErr(u"note: made from the live answers of %1 (a re-run of the file in replay mode is answered by "
                     "them)\n"_s.arg(entries->fromLive.join(u", "_s)));
        if (!entries->fromRecording.isEmpty())
            printErr(u"note: not in the replay cache any more, made from the recorded answers: %1\n"_s.arg(
                entries->fromRecording.join(u", "_s)));
        if (!entries->missing.isEmpty())
            printErr(u"warning: no replay-cache entry for %1 (a re-run of the file in replay mode runs them live)\n"_s
                         .arg(entries->missing.join(u", "_s)));
        return ExitOk;
    }
    if (action == u"import"_s) {
        if (!expect(2, u"a run FILE"_s))
            return ExitUsage;
        const auto file = readRunFile(positional.at(1), &why);
        if (!file)
            return failed(why);
        const auto store = openStore(&why);
        if (!store || !store->insert(file->record, &why, file->bots))
            return failed(why);
        printErr(u"Imported run %1 (%2, %3 events)\n"_s.arg(file->record.summary.invocationId, file->record.summary.botKey)
                     .arg(file->record.events.size()));
        if (parser.isSet(u"add-bots"_s) && !addBots(*file))
            return ExitFailed;
        if (!parser.isSet(u"add-bots"_s) && !file->bots.isEmpty())
            printErr(u"Its bot definitions (%1) stay in the file (--add-bots adds them to your bots folder)\n"_s.arg(
                botKeys(file->bots)));
        if (parser.isSet(u"add-cache-entries"_s))
            return addCacheEntries(*file, parser.value(u"cache"_s)) ? ExitOk : ExitFailed;
        if (!file->cacheEntries.empty())
            printErr(u"Its %1 replay-cache entries stay in the file (re-run it with 'invoke-cli runs rerun FILE'; "
                     "--add-cache-entries adds them to your replay cache)\n"_s.arg(file->cacheEntries.size()));
        return ExitOk;
    }
    if (action == u"rm"_s) {
        if (!expect(2, u"an ID"_s))
            return ExitUsage;
        const auto store = openStore(&why);
        const auto id = store ? store->resolve(positional.at(1), &why) : std::nullopt;
        if (!id || !store->remove(*id, &why))
            return failed(why);
        printErr(u"Removed run %1\n"_s.arg(*id));
        return ExitOk;
    }
    if (action == u"diff"_s) {
        if (!expect(3, u"two runs, A and B (ids or run files)"_s))
            return ExitUsage;
        return runDiff(positional.at(1), positional.at(2), parser.isSet(u"json"_s));
    }
    if (action.isEmpty())
        return usage(u"missing action: list, show, export, import, rerun, diff or rm"_s);
    return usage(u"unknown runs action \"%1\" (expected list, show, export, import, rerun, diff or rm)"_s.arg(action));
}

} // namespace invoke::cli
