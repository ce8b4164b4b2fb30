#include "app/cli/tests/testarguments.h"
#include "app/cli/tests/runoptions.h"
#include "app/cli/tests/testcommand.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QFileInfo>
#include <QtCore/QDir>

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {

const char kHelp[] = R"(Usage: invoke-cli test [FILES|DIRS...] [OPTIONS]

Runs agent tests: the cases of *.tests.json files (folders are searched for them;
the current folder when none is given), in parallel, and checks what each run did
against its "expect" list. See docs/tests.md for the file's shape.

Options:
  -j, --jobs N         Cases run at once (default: the number of cores)
  --timeout SECONDS    A case that runs longer fails (default 120)
  --refresh            Replay cases run live and overwrite their cache entries
  --offline            For CI: replay cases read the cache and never store (a miss
                       fails the case); live cases fail without running
  -k TEXT              Only cases whose name contains TEXT (case-insensitive)
  -v, --verbose        Show every case's steps
  --junit FILE         Also write a JUnit XML report to FILE
  --json               Print one JSON object per case (JSON Lines) instead of text
  --record             Keep every case's run in the run history (by default only the
                       cases that fail or err are kept; --no-history keeps none)
  --bots-dir DIR       Also load the *.bot.json files of DIR (repeatable)
  --datasets-dir DIR   Also read the datasets of DIR (repeatable)
  --endpoint URL       Run the cases on the invoke server at URL (token from
                       INVOKE_AUTH_TOKEN)
  --profile NAME       Run the cases on a profile saved in the studio

Exit status: 0 when every case passed, 1 when any failed, 2 on a usage error or a
tests file that cannot be read (every problem is listed as FILE:LINE: WHAT before
anything runs).
)";

std::optional<TestArguments> fail(UsageError *error, const QString &message)
{
    if (error)
        *error = UsageError{message, u"test"_s, true};
    return std::nullopt;
}

} // namespace

QString testHelpText()
{
    return QString::fromUtf8(kHelp);
}

std::optional<TestArguments> parseTestArguments(const QStringList &args, UsageError *error, bool *help)
{
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    parser.addOption({{u"h"_s, u"help"_s}, u"help"_s});
    parser.addOption({{u"j"_s, u"jobs"_s}, u"jobs"_s, u"N"_s});
    parser.addOption({u"timeout"_s, u"timeout"_s, u"SECONDS"_s});
    parser.addOption({u"refresh"_s, u"refresh"_s});
    parser.addOption({u"offline"_s, u"offline"_s});
    parser.addOption({u"k"_s, u"name filter"_s, u"TEXT"_s});
    parser.addOption({{u"v"_s, u"verbose"_s}, u"verbose"_s});
    parser.addOption({u"junit"_s, u"junit"_s, u"FILE"_s});
    parser.addOption({u"json"_s, u"json"_s});
    parser.addOption({u"record"_s, u"record"_s});
    parser.addOption({u"bots-dir"_s, u"folder"_s, u"DIR"_s});
    parser.addOption({u"datasets-dir"_s, u"folder"_s, u"DIR"_s});
    addRemoteOptions(parser);
    if (!parser.parse(QStringList{u"test"_s} + args))
        return fail(error, parser.errorText());
    if (parser.isSet(u"help"_s)) {
        *help = true;
        return std::nullopt;
    }
    TestArguments a;
    a.paths = parser.positionalArguments();
    if (a.paths.isEmpty())
        a.paths = {u"."_s};
    QString why;
    const auto jobs = readJobs(parser, u"cases"_s, &why);
    const auto timeout = jobs ? readTimeout(parser, a.timeoutSeconds, &why) : std::nullopt;
    if (!timeout)
        return fail(error, why);
    a.jobs = *jobs;
    a.timeoutSeconds = *timeout;
    a.refresh = parser.isSet(u"refresh"_s);
    a.offline = parser.isSet(u"offline"_s);
    a.nameFilter = parser.value(u"k"_s);
    a.verbose = parser.isSet(u"verbose"_s);
    a.json = parser.isSet(u"json"_s);
    a.record = parser.isSet(u"record"_s);
    if (!readRemoteOptions(parser, u"test"_s, a.remote, error))
        return std::nullopt;
    if (a.offline && a.refresh)
        return fail(error, u"--offline and --refresh contradict each other: --offline never runs live, --refresh always does"_s);
    if (a.offline && a.remote.isSet())
        return fail(error, u"--offline reads this machine's replay cache: it runs on the embedded engine, not with --%1"_s
                               .arg(a.remote.endpoint.isEmpty() ? u"profile"_s : u"endpoint"_s));
    if (parser.isSet(u"junit"_s)) {
        const QFileInfo target(parser.value(u"junit"_s));
        if (target.isDir())
            return fail(error, u"--junit %1: is a folder; name a file"_s.arg(target.filePath()));
        if (!target.absoluteDir().exists())
            return fail(error, u"--junit %1: no such folder %2"_s.arg(target.filePath(), target.absolutePath()));
        a.junitFile = target.absoluteFilePath();
    }
    const auto bots = readFolders(parser, u"bots-dir"_s, &why);
    const auto data = bots ? readFolders(parser, u"datasets-dir"_s, &why) : std::nullopt;
    if (!data)
        return fail(error, why);
    a.botFolders = *bots;
    a.datasetFolders = *data;
    return a;
}

} // namespace invoke::cli
