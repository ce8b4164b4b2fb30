#include "app/cli/cliarguments.h"
#include "app/cli/filter/eventfilteroption.h"

#include "app/cli/cache/cachechoice.h"
#include "core/cache/cacheurl.h"
#include "core/config/sandboxsettings.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {

std::optional<Arguments> fail(UsageError *error, const QString &command, const QString &message,
                              bool showHint = true)
{
    if (error)
        *error = UsageError{message, command, showHint};
    return std::nullopt;
}

// Parses the options of one command; `args` starts with the command's name. False on a
// usage error or on --help: then `early` is what the command returns at once (nothing, or
// the help for `command`).
bool parseOptions(QCommandLineParser &parser, const QStringList &args, const QString &command,
                  UsageError *error, std::optional<Arguments> *early)
{
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    parser.addOption({{u"h"_s, u"help"_s}, u"help"_s});
    if (!parser.parse(args)) {
        *early = fail(error, command, parser.errorText());
        return false;
    }
    if (parser.isSet(u"help"_s)) {
        Arguments help;
        help.helpTopic = command;
        *early = std::move(help);
        return false;
    }
    return true;
}

// --cache URL (checked to parse) and --scope NAME (checked to be a name), when set.
bool readCacheOptions(const QCommandLineParser &parser, const QString &command, QString *url, QString *scope,
                      UsageError *error)
{
    QString why;
    if (parser.isSet(u"cache"_s)) {
        *url = parser.value(u"cache"_s);
        if (!cache::CacheUrl::parse(*url, &why)) {
            fail(error, command, u"--cache: "_s + why);
            return false;
        }
    }
    if (scope && parser.isSet(u"scope"_s)) {
        *scope = parser.value(u"scope"_s);
        if (const auto problem = scopeProblem(*scope)) {
            fail(error, command, u"--scope: "_s + *problem);
            return false;
        }
    }
    return true;
}

// --bots-dir (or `option`) values, checked to be folders.
std::optional<QStringList> botFolders(const QCommandLineParser &parser, const QString &command,
                                      UsageError *error, const QString &option = u"bots-dir"_s)
{
    QStringList folders;
    for (const QString &dir : parser.values(option)) {
        if (!QFileInfo(dir).isDir()) {
            fail(error, command, u"--%1 %2: no such folder"_s.arg(option, dir));
            return std::nullopt;
        }
        folders.append(QFileInfo(dir).absoluteFilePath());
    }
    return folders;
}

std::optional<Arguments> parseDatasets(const QStringList &args, UsageError *error)
{
    const QString cmd = u"datasets"_s;
    QCommandLineParser parser;
    parser.addOption({u"json"_s, u"json"_s});
    parser.addOption({u"datasets-dir"_s, u"folder"_s, u"DIR"_s});
    addRemoteOptions(parser);
    std::optional<Arguments> early;
    if (!parseOptions(parser, args, cmd, error, &early))
        return early;
    Arguments a;
    if (!parser.positionalArguments().isEmpty())
        return fail(error, cmd, u"unexpected argument \"%1\""_s.arg(parser.positionalArguments().first()));
    a.command = Arguments::Datasets;
    a.datasets.json = parser.isSet(u"json"_s);
    auto folders = botFolders(parser, cmd, error, u"datasets-dir"_s);
    if (!folders)
        return std::nullopt;
    a.datasets.datasetFolders = *folders;
    if (!readRemoteOptions(parser, cmd, a.datasets.remote, error))
        return std::nullopt;
    return a;
}

std::optional<Arguments> parseBots(const QStringList &args, UsageError *error)
{
    QCommandLineParser parser;
    parser.addOption({u"json"_s, u"json"_s});
    parser.addOption({u"bots-dir"_s, u"folder"_s, u"DIR"_s});
    addRemoteOptions(parser);
    std::optional<Arguments> early;
    if (!parseOptions(parser, args, u"bots"_s, error, &early))
        return early;
    Arguments a;
    if (!parser.positionalArguments().isEmpty())
        return fail(error, u"bots"_s, u"unexpected argument \"%1\""_s.arg(parser.positionalArguments().first()));
    a.command = Arguments::Bots;
    a.bots.json = parser.isSet(u"json"_s);
    auto folders = botFolders(parser, u"bots"_s, error);
    if (!folders)
        return std::nullopt;
    a.bots.botFolders = *folders;
    if (!readRemoteOptions(parser, u"bots"_s, a.bots.remote, error))
        return std::nullopt;
    return a;
}

std::optional<Arguments> parseInvoke(const QStringList &args, UsageError *error)
{
    const QString cmd = u"invoke"_s;
    QCommandLineParser parser;
    parser.addOption({{u"m"_s, u"message"_s}, u"message"_s, u"TEXT"_s});
    parser.addOption({u"messages"_s, u"messages"_s, u"FILE"_s});
    parser.addOption({{u"p"_s, u"parameter"_s}, u"parameter"_s, u"JSON"_s});
    parser.addOption({{u"d"_s, u"datasets"_s}, u"datasets"_s, u"SLUGS"_s});
    parser.addOption({u"mode"_s, u"mode"_s, u"MODE"_s});
    parser.addOption({u"refresh"_s, u"refresh"_s});
    parser.addOption({u"mocks"_s, u"mocks"_s, u"FILE"_s});
    parser.addOption({u"save-mocks"_s, u"save-mocks"_s, u"FILE"_s});
    parser.addOption({u"format"_s, u"format"_s, u"FORMAT"_s});
    parser.addOption({{u"v"_s, u"verbose"_s}, u"verbose"_s});
    parser.addOption({u"stream"_s, u"stream"_s});
    parser.addOption({u"filter"_s, u"filter"_s, u"EXPR"_s});
    parser.addOption({u"bots-dir"_s, u"folder"_s, u"DIR"_s});
    parser.addOption({u"datasets-dir"_s, u"folder"_s, u"DIR"_s});
    parser.addOption({u"allow-unsandboxed-code"_s, u"allow-unsandboxed-code"_s});
    parser.addOption({u"sandbox-tmp-size"_s, u"sandbox-tmp-size"_s, u"SIZE"_s});
    parser.addOption({u"sandbox-work-size"_s, u"sandbox-work-size"_s, u"SIZE"_s});
    parser.addOption({u"cache"_s, u"cache"_s, u"URL"_s});
    parser.addOption({u"scope"_s, u"scope"_s, u"NAME"_s});
    addRemoteOptions(parser);
    std::optional<Arguments> early;
    if (!parseOptions(parser, args, cmd, error, &early))
        return early;
    Arguments a;

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return fail(error, cmd, u"missing BOT_KEY (list the bots with 'invoke-cli bots')"_s);
    if (positional.size() > 1)
        return fail(error, cmd, u"unexpected argument \"%1\" (quote a message and pass it with -m)"_s.arg(positional.at(1)));

    a.command = Arguments::Invoke;
    InvokeArguments &inv = a.invoke;
    InvokeRequest &req = inv.request;
    req.botKey = positional.first();

    QString why;
    if (parser.isSet(u"messages"_s)) {
        auto messages = readMessagesFile(parser.value(u"messages"_s), &why);
        if (!messages)
            return fail(error, cmd, why, false);
        req.messages = *messages;
    }
    for (const QString &text : parser.values(u"m"_s))
        req.messages.append(messageFromArgument(text));

    for (const QString &p : parser.values(u"p"_s))
        if (!addParameter(p, req.parameters, &why))
            return fail(error, cmd, why);

    for (const QString &list : parser.values(u"d"_s))
        for (const QString &slug : list.split(u',', Qt::SkipEmptyParts))
            if (!req.datasets.contains(slug.trimmed()))
                req.datasets.append(slug.trimmed());

    const bool modeGiven = parser.isSet(u"mode"_s);
    if (modeGiven) {
        auto mode = Mode::fromName(parser.value(u"mode"_s), &why);
        if (!mode)
            return fail(error, cmd, u"--mode: "_s + why);
        req.mode = *mode;
    }
    if (parser.isSet(u"refresh"_s)) {
        if (req.mode.kind != Mode::Replay)
            return fail(error, cmd, u"--refresh requires --mode replay"_s);
        req.mode.refresh = true;
    }
    if (parser.isSet(u"mocks"_s)) {
        if (!modeGiven)
            req.mode = Mode::manual(); // mocks only answer in manual mode: say it once
        else if (req.mode.kind != Mode::Manual)
            return fail(error, cmd, u"--mocks is used only with --mode manual"_s);
        auto mocks = readMocksFile(parser.value(u"mocks"_s), &why);
        if (!mocks)
            return fail(error, cmd, why, false);
        req.manualMocks = *mocks;
        inv.mocksGiven = true;
    }
    if (parser.isSet(u"save-mocks"_s)) {
        // Checked before the run, so a paid live run is not lost to a typo in the path.
        const QFileInfo target(parser.value(u"save-mocks"_s));
        if (target.isDir())
            return fail(error, cmd, u"--save-mocks %1: is a folder; name a file"_s.arg(target.filePath()));
        if (!target.absoluteDir().exists())
            return fail(error, cmd, u"--save-mocks %1: no such folder %2"_s.arg(target.filePath(), target.absolutePath()));
        inv.saveMocksFile = target.absoluteFilePath();
    }

    if (parser.isSet(u"format"_s)) {
        auto format = outputFormatFromName(parser.value(u"format"_s), &why);
        if (!format)
            return fail(error, cmd, u"--format: "_s + why);
        req.outputFormat = *format;
    }
    req.verbose = parser.isSet(u"v"_s);
    inv.stream = parser.isSet(u"stream"_s);
    if (inv.stream && req.outputFormat == OutputFormat::Json)
        return fail(error, cmd, u"--stream prints text or events as they arrive; it does not apply to --format json"_s);
    if (parser.isSet(u"filter"_s)) {
        if (req.outputFormat != OutputFormat::Events)
            return fail(error, cmd, u"--filter selects events; use it with --format events"_s);
        inv.eventFilter = parseFilterOption(parser.value(u"filter"_s), &why);
        if (!inv.eventFilter)
            return fail(error, cmd, why, false);
    }

    auto folders = botFolders(parser, cmd, error);
    if (!folders)
        return std::nullopt;
    inv.botFolders = *folders;
    auto datasetFolders = botFolders(parser, cmd, error, u"datasets-dir"_s);
    if (!datasetFolders)
        return std::nullopt;
    inv.datasetFolders = *datasetFolders;
    if (parser.isSet(u"allow-unsandboxed-code"_s))
        inv.allowUnsandboxedCode = true;
    for (const auto &[name, target] : {std::pair{u"sandbox-tmp-size"_s, &inv.sandboxTmpBytes},
                                       std::pair{u"sandbox-work-size"_s, &inv.sandboxWorkBytes}}) {
        if (!parser.isSet(name))
            continue;
        const std::optional<qint64> bytes = parseByteSize(parser.value(name), &why);
        if (!bytes)
            return fail(error, cmd, u"--%1: %2"_s.arg(name, why));
        *target = *bytes;
    }
    if (!readRemoteOptions(parser, cmd, inv.remote, error))
        return std::nullopt;
    if (!readCacheOptions(parser, cmd, &inv.cacheUrl, &inv.cacheScope, error))
        return std::nullopt;
    if (!inv.remote.endpoint.isEmpty() && (parser.isSet(u"cache"_s) || parser.isSet(u"scope"_s)))
        return fail(error, cmd, u"--cache and --scope choose the embedded engine's replay cache; a server "
                                "(--endpoint, --profile) uses its own"_s);
    return a;
}

std::optional<Arguments> parseMocks(const QStringList &args, UsageError *error)
{
    const QString cmd = u"mocks"_s;
    QCommandLineParser parser;
    parser.addOption({u"bot"_s, u"bot"_s, u"KEY"_s});
    parser.addOption({u"bots-dir"_s, u"folder"_s, u"DIR"_s});
    std::optional<Arguments> early;
    if (!parseOptions(parser, args, cmd, error, &early))
        return early;
    Arguments a;
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return fail(error, cmd, u"missing action: validate FILE"_s);
    if (positional.first() != u"validate"_s)
        return fail(error, cmd, u"unknown mocks action \"%1\" (expected validate FILE)"_s.arg(positional.first()));
    if (positional.size() < 2)
        return fail(error, cmd, u"mocks validate needs the FILE of a mock set"_s);
    if (positional.size() > 2)
        return fail(error, cmd, u"unexpected argument \"%1\""_s.arg(positional.at(2)));
    a.command = Arguments::Mocks;
    a.mocks.action = positional.first();
    a.mocks.file = positional.at(1);
    a.mocks.botKey = parser.value(u"bot"_s);
    auto folders = botFolders(parser, cmd, error);
    if (!folders)
        return std::nullopt;
    a.mocks.botFolders = *folders;
    return a;
}

std::optional<Arguments> parseCache(const QStringList &args, UsageError *error)
{
    const QString cmd = u"cache"_s;
    QCommandLineParser parser;
    parser.addOption({u"json"_s, u"json"_s});
    parser.addOption({u"cache"_s, u"cache"_s, u"URL"_s});
    parser.addOption({u"scope"_s, u"scope"_s, u"NAME"_s});
    std::optional<Arguments> early;
    if (!parseOptions(parser, args, cmd, error, &early))
        return early;
    Arguments a;
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return fail(error, cmd, u"missing action: stats, list, show KEY, clear, export FILE or import FILE"_s);
    const QString action = positional.first();
    static const QStringList actions{u"stats"_s, u"list"_s, u"show"_s, u"clear"_s, u"export"_s, u"import"_s};
    if (!actions.contains(action))
        return fail(error, cmd, u"unknown cache action \"%1\" (expected stats, list, show KEY, clear, export FILE "
                                "or import FILE)"_s.arg(action));
    const bool takesArgument = action == u"show"_s || action == u"export"_s || action == u"import"_s;
    const qsizetype expected = takesArgument ? 2 : 1;
    if (positional.size() < expected)
        return fail(error, cmd, action == u"show"_s ? u"cache show needs the KEY of an entry (or a unique prefix of it)"_s
                                                    : u"cache %1 needs a FILE (JSON Lines)"_s.arg(action));
    if (positional.size() > expected)
        return fail(error, cmd, u"unexpected argument \"%1\""_s.arg(positional.at(expected)));
    if (parser.isSet(u"scope"_s) && (action == u"stats"_s || action == u"show"_s))
        return fail(error, cmd, u"--scope applies to cache list, clear, export and import"_s);
    a.command = Arguments::Cache;
    a.cache.action = action;
    if (action == u"show"_s)
        a.cache.key = positional.at(1);
    else if (takesArgument)
        a.cache.file = positional.at(1);
    if (action == u"import"_s && !QFileInfo(a.cache.file).isFile())
        return fail(error, cmd, u"cache import %1: no such file"_s.arg(a.cache.file));
    if (action == u"export"_s && !QFileInfo(a.cache.file).absoluteDir().exists())
        return fail(error, cmd, u"cache export %1: no such folder %2"_s.arg(a.cache.file, QFileInfo(a.cache.file).absolutePath()));
    a.cache.json = parser.isSet(u"json"_s);
    // Only an explicit --scope narrows a cache command: INVOKE_CACHE_SCOPE is for runs.
    QString scope;
    if (!readCacheOptions(parser, cmd, &a.cache.cacheUrl, parser.isSet(u"scope"_s) ? &scope : nullptr, error))
        return std::nullopt;
    a.cache.scope = scope;
    return a;
}

} // namespace

std::optional<Arguments> parseArguments(const QStringList &args, UsageError *error)
{
    Arguments a;
    if (args.isEmpty())
        return fail(error, {}, u"missing command (bots, datasets, invoke, test, batch, runs, cache or mocks)"_s);
    const QString command = args.first();
    if (command == u"-h"_s || command == u"--help"_s)
        return a;
    if (command == u"help"_s) {
        a.helpTopic = args.value(1);
        if (!a.helpTopic.isEmpty()
            && !QStringList{u"bots"_s, u"datasets"_s, u"invoke"_s, u"cache"_s, u"mocks"_s}.contains(a.helpTopic))
            return fail(error, {}, u"no help for \"%1\": the commands are bots, datasets, invoke, test, batch, runs, cache and mocks"_s.arg(a.helpTopic));
        return a;
    }
    if (command == u"--version"_s) {
        a.command = Arguments::Version;
        return a;
    }
    // QCommandLineParser expects the program name first: the command plays that part.
    if (command == u"bots"_s)
        return parseBots(args, error);
    if (command == u"invoke"_s)
        return parseInvoke(args, error);
    if (command == u"datasets"_s)
        return parseDatasets(args, error);
    if (command == u"cache"_s)
        return parseCache(args, error);
    if (command == u"mocks"_s)
        return parseMocks(args, error);
    if (command.startsWith(u'-'))
        return fail(error, {}, u"unknown option \"%1\" before the command"_s.arg(command));
    return fail(error, {}, u"unknown command \"%1\" (expected bots, datasets, invoke, test, batch, runs, cache or mocks)"_s.arg(command));
}

} // namespace invoke::cli
