#include "app/cli/runs/rerunarguments.h"

#include "app/cli/runs/rundiffcommand.h"
#include "core/history/runfile.h"

#include <QtCore/QFileInfo>
#include <QtCore/QTemporaryDir>

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {

bool given(const QStringList &args, const QStringList &names)
{
    for (const QString &a : args)
        for (const QString &n : names)
            if (a == n || (n.startsWith(u"--"_s) && a.startsWith(n + u'=')))
                return true;
    return false;
}

std::optional<Arguments> fail(UsageError *error, const QString &message, bool hint = true)
{
    if (error) {
        error->message = message;
        error->command = u"runs"_s;
        error->showHint = hint;
    }
    return std::nullopt;
}

// The run file's bot definitions, each with its recorded updated_at, in a folder of this
// process's own (removed when it exits): never the user's bots folder.
std::optional<QString> runBotsFolder(const QList<history::BotSource> &bots, QString *error)
{
    static std::unique_ptr<QTemporaryDir> folder;
    folder = std::make_unique<QTemporaryDir>();
    if (!folder->isValid()) {
        *error = u"runs rerun: cannot make a folder for the run file's bots: "_s + folder->errorString();
        return std::nullopt;
    }
    if (!history::writeBotSources(bots, folder->path(), error))
        return std::nullopt;
    return folder->path();
}

} // namespace

std::optional<Arguments> parseRerun(const QStringList &args, UsageError *error)
{
    const QString which = args.value(0);
    if (which.isEmpty() || which.startsWith(u'-'))
        return fail(error, u"runs rerun: expected an ID or a run FILE first"_s);
    QStringList options = args.mid(1);
    const bool currentBots = options.removeAll(u"--current-bots"_s) > 0;
    for (const QStringList &names : {QStringList{u"-m"_s, u"--message"_s}, QStringList{u"--messages"_s},
                                     QStringList{u"-p"_s, u"--parameter"_s}, QStringList{u"-d"_s, u"--datasets"_s},
                                     QStringList{u"--mocks"_s}})
        if (given(options, names))
            return fail(error, u"runs rerun: %1 would change the run's request; run 'invoke-cli invoke' for a new "
                               "one"_s.arg(names.last()));

    history::RunRecord run;
    // null: the ordinary cache serves a replay; an array (a file's, even empty): only it does.
    Json entries;
    QList<history::BotSource> bots;
    QString why;
    if (QFileInfo(which).isFile()) {
        auto file = history::readRunFile(which, &why);
        if (!file)
            return fail(error, why, false);
        run = file->record;
        entries = file->cacheEntries.is_array() ? file->cacheEntries : Json::array();
        bots = file->bots;
    } else {
        auto recorded = loadRun(which, &why);
        if (!recorded)
            return fail(error, why, false);
        run = *recorded;
        entries = run.request.replayEntries; // a run that re-ran a file brought them along
        if (entries.is_array()) {
            // ... and ran the file's bots: the history kept them with it (as the studio's
            // History Re-run uses them, docs/runs.md).
            auto kept = loadKeptBots(run.summary.invocationId, &why);
            if (!kept)
                return fail(error, why, false);
            bots = std::move(*kept);
        }
    }
    if (run.request.botKey.isEmpty())
        run.request.botKey = run.summary.botKey;
    if (entries.is_array() && entries.empty() && run.request.replayEntries.is_array())
        entries = run.request.replayEntries; // a file of a run that re-ran a file

    auto parsed = parseArguments(QStringList{u"invoke"_s, run.request.botKey} + options, error);
    if (!parsed) {
        if (error && error->command == u"invoke"_s)
            error->command = u"runs"_s;
        return std::nullopt;
    }
    InvokeArguments &inv = parsed->invoke;
    InvokeRequest &request = inv.request;
    request.messages = run.request.messages;
    request.parameters = run.request.parameters;
    request.datasets = run.request.datasets;
    request.pinnedAnswers = run.request.pinnedAnswers;
    if (!given(options, {u"--mode"_s})) {
        if (given(options, {u"--refresh"_s}) && run.request.mode.kind != Mode::Replay)
            return fail(error, u"runs rerun: --refresh requires --mode replay (the run was %1)"_s.arg(
                run.request.mode.displayName()));
        const bool refresh = request.mode.refresh;
        request.mode = run.request.mode;
        request.mode.refresh = request.mode.refresh || refresh;
    }
    if (request.mode.kind == Mode::Manual && !run.request.manualMocks.isEmpty()) {
        request.manualMocks = run.request.manualMocks;
        inv.mocksGiven = true;
    }
    request.replayEntries = entries;
    // The bots as they were: loaded after every other folder, so they are the ones that run
    // (the same updated_at, so the same replay keys), unless --current-bots.
    const bool local = !inv.remote.isSet() || inv.remote.profile == u"Embedded"_s;
    if (!bots.isEmpty() && local && !currentBots) {
        const auto folder = runBotsFolder(bots, &why);
        if (!folder)
            return fail(error, why, false);
        inv.botFolders.append(*folder);
    }
    return parsed;
}

} // namespace invoke::cli
