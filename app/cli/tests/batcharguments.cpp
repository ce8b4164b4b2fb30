#include "app/cli/tests/batcharguments.h"
#include "app/cli/tests/batchcommand.h"
#include "app/cli/tests/runoptions.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {

const char kHelp[] = R"(Usage: invoke-cli batch BOT_KEY --input FILE --output FILE [OPTIONS]

Runs one bot over every row of an input file and writes one JSON line per row.

Input (checked whole before anything runs; every bad row is listed as FILE:LINE):
  JSON Lines           {"message": "…"} or {"messages": [...]}, plus "parameters": {…}
  CSV (.csv)           a header with a "message" (or "messages", a JSON conversation)
                       column; every other column is a parameter (JSON when it
                       parses, text otherwise; an empty cell is left out)

Output: JSON Lines, one object per input row, in row order: the run's JSON summary
(as 'invoke --format json' prints it) plus "row", the input's 1-based row number (a
CSV's header is not a row). Running again with the same output file skips the rows
that succeeded and runs the failed and missing ones again, replacing their lines.
Ctrl+C keeps every row that finished.

Options:
  --input FILE         The rows (required)
  --output FILE        Where the results go (required)
  -j, --jobs N         Rows run at once (default: the number of cores)
  --mode MODE          live (default), replay or manual
  --refresh            With --mode replay: run live and overwrite the cache entries
  --mocks FILE         With --mode manual: the mock set (default: the bot's bundled set)
  -d, --datasets SLUGS Datasets every row's run may read (comma-separated)
  --timeout SECONDS    A row still running after this fails (default: none)
  --record             Keep every row's run in the run history (by default only
                       the rows that fail are kept; --no-history keeps none)
  --bots-dir DIR       Also load the *.bot.json files of DIR (repeatable)
  --datasets-dir DIR   Also read the datasets of DIR (repeatable)
  --endpoint URL       Run on the invoke server at URL (token from INVOKE_AUTH_TOKEN)
  --profile NAME       Run on a profile saved in the studio

A progress bar on stderr (on a terminal) and a summary at the end: rows succeeded
and failed, tokens, replay hits.

Exit status: 0 when every row succeeded, 1 otherwise, 2 on a usage error or an input
file with problems.
)";

std::optional<BatchArguments> fail(UsageError *error, const QString &message, bool hint = true)
{
    if (error)
        *error = UsageError{message, u"batch"_s, hint};
    return std::nullopt;
}

} // namespace

QString batchHelpText()
{
    return QString::fromUtf8(kHelp);
}

std::optional<BatchArguments> parseBatchArguments(const QStringList &args, UsageError *error, bool *help)
{
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    parser.addOption({{u"h"_s, u"help"_s}, u"help"_s});
    parser.addOption({u"input"_s, u"input"_s, u"FILE"_s});
    parser.addOption({u"output"_s, u"output"_s, u"FILE"_s});
    parser.addOption({{u"j"_s, u"jobs"_s}, u"jobs"_s, u"N"_s});
    parser.addOption({u"mode"_s, u"mode"_s, u"MODE"_s});
    parser.addOption({u"refresh"_s, u"refresh"_s});
    parser.addOption({u"mocks"_s, u"mocks"_s, u"FILE"_s});
    parser.addOption({{u"d"_s, u"datasets"_s}, u"datasets"_s, u"SLUGS"_s});
    parser.addOption({u"timeout"_s, u"timeout"_s, u"SECONDS"_s});
    parser.addOption({u"record"_s, u"record"_s});
    parser.addOption({u"bots-dir"_s, u"folder"_s, u"DIR"_s});
    parser.addOption({u"datasets-dir"_s, u"folder"_s, u"DIR"_s});
    addRemoteOptions(parser);
    if (!parser.parse(QStringList{u"batch"_s} + args))
        return fail(error, parser.errorText());
    if (parser.isSet(u"help"_s)) {
        *help = true;
        return std::nullopt;
    }
    BatchArguments a;
    a.record = parser.isSet(u"record"_s);
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return fail(error, u"missing BOT_KEY (list the bots with 'invoke-cli bots')"_s);
    if (positional.size() > 1)
        return fail(error, u"unexpected argument \"%1\""_s.arg(positional.at(1)));
    a.botKey = positional.first();
    if (!parser.isSet(u"input"_s) || !parser.isSet(u"output"_s))
        return fail(error, u"batch needs --input FILE and --output FILE"_s);
    a.inputFile = parser.value(u"input"_s);
    if (!QFileInfo(a.inputFile).isFile())
        return fail(error, u"--input %1: no such file"_s.arg(a.inputFile));
    const QFileInfo output(parser.value(u"output"_s));
    if (output.isDir())
        return fail(error, u"--output %1: is a folder; name a file"_s.arg(output.filePath()));
    if (!output.absoluteDir().exists())
        return fail(error, u"--output %1: no such folder %2"_s.arg(output.filePath(), output.absolutePath()));
    if (output.exists() && output.canonicalFilePath() == QFileInfo(a.inputFile).canonicalFilePath())
        return fail(error, u"--output is the --input file: name another file"_s);
    a.outputFile = output.absoluteFilePath();

    QString why;
    const auto jobs = readJobs(parser, u"rows"_s, &why);
    const auto timeout = jobs ? readTimeout(parser, a.timeoutSeconds, &why) : std::nullopt;
    if (!timeout)
        return fail(error, why);
    a.jobs = *jobs;
    a.timeoutSeconds = *timeout;
    const bool modeGiven = parser.isSet(u"mode"_s);
    if (modeGiven) {
        auto mode = Mode::fromName(parser.value(u"mode"_s), &why);
        if (!mode)
            return fail(error, u"--mode: "_s + why);
        a.mode = *mode;
    }
    if (parser.isSet(u"refresh"_s)) {
        if (a.mode.kind != Mode::Replay)
            return fail(error, u"--refresh requires --mode replay"_s);
        a.mode.refresh = true;
    }
    if (parser.isSet(u"mocks"_s)) {
        if (!modeGiven)
            a.mode = Mode::manual();
        else if (a.mode.kind != Mode::Manual)
            return fail(error, u"--mocks is used only with --mode manual"_s);
        auto mocks = readMocksFile(parser.value(u"mocks"_s), &why);
        if (!mocks)
            return fail(error, why, false);
        a.mocks = *mocks;
        a.mocksGiven = true;
    }
    for (const QString &list : parser.values(u"d"_s))
        for (const QString &slug : list.split(u',', Qt::SkipEmptyParts))
            if (!a.datasets.contains(slug.trimmed()))
                a.datasets.append(slug.trimmed());
    const auto bots = readFolders(parser, u"bots-dir"_s, &why);
    const auto data = bots ? readFolders(parser, u"datasets-dir"_s, &why) : std::nullopt;
    if (!data)
        return fail(error, why);
    a.botFolders = *bots;
    a.datasetFolders = *data;
    if (!readRemoteOptions(parser, u"batch"_s, a.remote, error))
        return std::nullopt;
    return a;
}

} // namespace invoke::cli
