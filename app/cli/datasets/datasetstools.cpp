#include "app/cli/datasets/datasetstools.h"

#include "app/cli/datasets/indexprogress.h"

#include "app/cli/cliarguments.h"
#include "app/cli/console.h"
#include "app/cli/listing.h"
#include "app/cli/remotetarget.h"
#include "core/backend/backend.h"
#include "core/config/paths.h"
#include "core/datasets/datasetcatalog.h"
#include "core/datasets/datasetstore.h"
#include "core/datasets/datasettable.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QDir>
#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {

const char kShowHelp[] = R"(Usage: invoke-cli datasets show SLUG [--limit N] [--json] [--datasets-dir DIR]...

Prints the first rows of a dataset as its file holds them (read from the file, not the
index): a CSV file's columns and cells, a JSON Lines file's members (columns in the order
first seen), any other dataset as its records' id and content.

Options:
  --limit N            Rows to show (default 20)
  --json               {"slug", "columns": [...], "rows": [[...], ...]}
  --datasets-dir DIR   Also offer the files and subfolders of DIR (repeatable)
)";

const char kSearchHelp[] = R"(Usage: invoke-cli datasets search SLUG QUERY [--limit N] [--json] [--datasets-dir DIR]...
       invoke-cli datasets search SLUG QUERY [--limit N] [--json] (--endpoint URL | --profile NAME)

Searches a dataset exactly as memory.search does in a run: the same index, ranking,
scores and limit. --json prints what the step outputs, {"memories": [...]}. A dataset
that changed is indexed first (progress on stderr). With --endpoint or --profile the
server searches its own datasets (GET /datasets/{slug}/search), as its runs would.

Options:
  --limit N            Hits at most (default 10, as memory.search; at most 1000)
  --json               The step's output as JSON
  --datasets-dir DIR   Also offer the files and subfolders of DIR (repeatable)
  --endpoint URL       Ask invoke-server at URL (token: INVOKE_AUTH_TOKEN)
  --profile NAME       Ask the server of a profile saved in invoke-studio
)";

const char kImportHelp[] = R"(Usage: invoke-cli datasets import FILE --slug SLUG [--force] [--datasets-dir DIR]

Adds a CSV or JSON Lines file to your datasets folder as SLUG.csv or SLUG.jsonl (into the
first --datasets-dir instead, when given). All or nothing: every row is checked first;
when any does not read, each is listed as FILE:LINE: REASON, nothing is written and the
exit code is 1. A dataset SLUG already in that folder is replaced only with --force.

Options:
  --slug SLUG          The dataset's slug: lowercase letters, digits and "-"
  --force              Replace a dataset of that slug
  --datasets-dir DIR   Write into DIR instead of your datasets folder
)";

int usage(const QString &tool, const QString &message)
{
    printErr(u"invoke-cli datasets %1: %2\nTry 'invoke-cli datasets %1 --help'.\n"_s.arg(tool, message));
    return ExitUsage;
}

QStringList folders(const QCommandLineParser &parser, QString *bad)
{
    QStringList extra;
    for (const QString &dir : parser.values(u"datasets-dir"_s)) {
        if (!QFileInfo(dir).isDir()) {
            *bad = u"--datasets-dir %1: no such folder"_s.arg(dir);
            return {};
        }
        extra.append(QFileInfo(dir).absoluteFilePath());
    }
    return datasets::DatasetCatalog::defaultFolders(extra);
}

std::optional<int> limitOf(const QCommandLineParser &parser, int fallback, int max, QString *bad)
{
    if (!parser.isSet(u"limit"_s))
        return fallback;
    bool ok = false;
    const int limit = parser.value(u"limit"_s).toInt(&ok);
    if (!ok || limit < 1 || limit > max) {
        *bad = u"--limit must be a whole number from 1 to %1, not \"%2\""_s.arg(max).arg(parser.value(u"limit"_s));
        return std::nullopt;
    }
    return limit;
}

QString cellText(const Json &value)
{
    if (value.is_null())
        return {};
    return value.is_string() ? toQString(value.get<std::string>()) : QString::fromUtf8(dumpJson(value));
}

int show(const QCommandLineParser &parser, const QStringList &folderList)
{
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 1)
        return usage(u"show"_s, pos.isEmpty() ? u"missing SLUG"_s : u"unexpected argument \"%1\""_s.arg(pos.at(1)));
    QString bad;
    const auto limit = limitOf(parser, 20, 1000000, &bad);
    if (!limit)
        return usage(u"show"_s, bad);
    datasets::DatasetCatalog catalog;
    catalog.scan(folderList);
    const datasets::DatasetSource *source = catalog.find(pos.first());
    if (!source) {
        printErr(u"unknown dataset \"%1\"\n"_s.arg(pos.first()));
        return ExitFailed;
    }
    LoadProblem problem;
    const auto table = datasets::readTableHead(*source, *limit, &problem);
    if (!table) {
        printErr(problem.toString() + u'\n');
        return ExitFailed;
    }
    if (parser.isSet(u"json"_s)) {
        Json rows = Json::array();
        for (const Json &row : table->rows)
            rows.push_back(row);
        printOut(QString::fromUtf8(dumpJson(Json{{"slug", toStd(source->slug)}, {"columns", invoke::toJson(table->columns)},
                                                 {"rows", std::move(rows)}}))
                 + u'\n');
        return ExitOk;
    }
    QList<QStringList> lines{table->columns};
    for (const Json &row : table->rows) {
        QStringList cells;
        for (const Json &cell : row)
            cells.append(cellText(cell).simplified());
        lines.append(cells);
    }
    Json items = Json::array(); // printListing says "no rows" for an empty list
    for (const Json &row : table->rows)
        items.push_back(row);
    return printListing({}, {}, false, items, lines, u"The dataset has no rows.\n"_s);
}

// The search on a server: what its runs' memory.search would answer.
std::optional<DatasetSearchResult> searchOnServer(const RemoteTarget &target, const QString &slug,
                                                  const QString &query, int limit)
{
    QString error;
    std::unique_ptr<Backend> backend = remoteBackend(target, &error);
    if (!backend) {
        if (error.isEmpty())
            return std::nullopt; // the Embedded profile: search here
        DatasetSearchResult failed;
        failed.failure = DatasetSearchResult::Failure::Failed;
        failed.error = error;
        return failed;
    }
    QEventLoop loop;
    QObject context;
    DatasetSearchResult result;
    backend->searchDataset(slug, query, limit, &context, [&](const DatasetSearchResult &answer) {
        result = answer;
        loop.quit();
    });
    loop.exec();
    return result;
}

int search(const QCommandLineParser &parser, const QStringList &folderList, const RemoteTarget &target)
{
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2)
        return usage(u"search"_s, pos.size() < 2 ? u"expected SLUG and QUERY"_s
                                                  : u"unexpected argument \"%1\" (quote a query of several words)"_s.arg(pos.at(2)));
    QString bad;
    const auto limit = limitOf(parser, datasets::SearchDefaultLimit, datasets::SearchMaxLimit, &bad);
    if (!limit)
        return usage(u"search"_s, bad);
    std::optional<DatasetSearchResult> result;
    if (target.isSet())
        result = searchOnServer(target, pos.at(0), pos.at(1), *limit);
    if (!result) {
        const datasets::DatasetStore store(folderList, {});
        IndexProgressPrinter progress;
        result = store.searchDataset(pos.at(0), pos.at(1), *limit, progress.callback());
    }
    if (!result->ok()) {
        printErr(u"memory.search: "_s + result->error + u'\n');
        return ExitFailed;
    }
    const Json memories = result->toJson();
    if (parser.isSet(u"json"_s)) {
        printOut(QString::fromUtf8(dumpJson(memories)) + u'\n');
        return ExitOk;
    }
    QList<QStringList> lines{{u"SCORE"_s, u"ID"_s, u"CONTENT"_s}};
    for (const DatasetMemory &m : result->memories)
        lines.append({QString::number(m.score), m.id, m.content.simplified().left(120)});
    return printListing({}, {}, false, memories["memories"], lines, u"No hits.\n"_s);
}

int import(const QCommandLineParser &parser, const QStringList &extraFolders)
{
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 1)
        return usage(u"import"_s, pos.isEmpty() ? u"missing FILE"_s : u"unexpected argument \"%1\""_s.arg(pos.at(1)));
    const QString slug = parser.value(u"slug"_s);
    if (slug.isEmpty())
        return usage(u"import"_s, u"--slug SLUG is required"_s);
    if (datasets::DatasetCatalog::slugFor(slug) != slug)
        return usage(u"import"_s, u"--slug \"%1\" is not a slug (lowercase letters, digits and single \"-\"; "
                                  "\"%2\" would be)"_s.arg(slug, datasets::DatasetCatalog::slugFor(slug)));
    const QString file = pos.first();
    if (!QFileInfo(file).isFile())
        return usage(u"import"_s, u"%1: no such file"_s.arg(file));
    const QString target = extraFolders.isEmpty() ? paths::userDatasets() : extraFolders.first();

    const datasets::ImportCheck check = datasets::checkImportFile(file);
    if (!check.badRows.isEmpty()) {
        for (const LoadProblem &p : check.badRows)
            printErr(p.toString() + u'\n');
        printErr(u"nothing was imported: %1 row(s) of %2 do not read\n"_s.arg(check.badRows.size()).arg(file));
        return ExitFailed;
    }
    QDir().mkpath(target);
    datasets::DatasetCatalog catalog;
    catalog.scan({target});
    const datasets::DatasetSource *existing = catalog.find(slug);
    const QString destination = QDir(target).filePath(slug + u'.' + check.format);
    if (existing && !parser.isSet(u"force"_s)) {
        printErr(u"%1 already holds the dataset \"%2\" (%3); --force replaces it\n"_s.arg(target, slug, existing->path));
        return ExitFailed;
    }
    if (existing && QFileInfo(existing->path).isDir()) {
        printErr(u"the dataset \"%1\" is the folder %2; it is not replaced by a file\n"_s.arg(slug, existing->path));
        return ExitFailed;
    }
    // Copied as checked: a file that changes meanwhile is not half-imported.
    const QFileInfo before(file);
    QFile in(file);
    QSaveFile out(destination);
    if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly)) {
        printErr(u"cannot import %1 into %2: %3\n"_s.arg(file, destination, in.isOpen() ? out.errorString() : in.errorString()));
        return ExitFailed;
    }
    while (!in.atEnd()) {
        const QByteArray block = in.read(1 << 20);
        if (block.isEmpty() || out.write(block) != block.size())
            break;
    }
    const QFileInfo after(file);
    if (!in.atEnd() || after.size() != before.size() || after.lastModified() != before.lastModified()) {
        out.cancelWriting();
        printErr(u"%1 changed while it was imported; nothing was written\n"_s.arg(file));
        return ExitFailed;
    }
    if (!out.commit()) {
        printErr(u"cannot write %1: %2\n"_s.arg(destination, out.errorString()));
        return ExitFailed;
    }
    if (existing && existing->path != destination)
        QFile::remove(existing->path);
    printOut(u"Imported %1 rows into the dataset \"%2\": %3\n"_s.arg(check.rows).arg(slug, destination));
    return ExitOk;
}

} // namespace

bool isDatasetsTool(const QString &word)
{
    return word == u"show"_s || word == u"search"_s || word == u"import"_s;
}

int runDatasetsTool(const QStringList &args)
{
    const QString tool = args.value(0);
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    parser.addOption({{u"h"_s, u"help"_s}, u"help"_s});
    parser.addOption({u"datasets-dir"_s, u"folder"_s, u"DIR"_s});
    if (tool == u"import"_s) {
        parser.addOption({u"slug"_s, u"slug"_s, u"SLUG"_s});
        parser.addOption({u"force"_s, u"replace"_s});
    } else {
        parser.addOption({u"limit"_s, u"rows"_s, u"N"_s});
        parser.addOption({u"json"_s, u"json"_s});
    }
    if (tool == u"search"_s)
        addRemoteOptions(parser);
    if (!parser.parse(args)) // args[0], the tool, stands where a program name would
        return usage(tool, parser.errorText());
    if (parser.isSet(u"help"_s)) {
        printOut(QString::fromUtf8(tool == u"show"_s ? kShowHelp : tool == u"search"_s ? kSearchHelp : kImportHelp));
        return ExitOk;
    }
    QString bad;
    const QStringList folderList = folders(parser, &bad);
    if (!bad.isEmpty())
        return usage(tool, bad);
    if (tool == u"show"_s)
        return show(parser, folderList);
    if (tool == u"search"_s) {
        RemoteTarget target;
        UsageError wrong;
        if (!readRemoteOptions(parser, u"datasets search"_s, target, &wrong))
            return usage(tool, wrong.message);
        return search(parser, folderList, target);
    }
    QStringList extra;
    for (const QString &dir : parser.values(u"datasets-dir"_s))
        extra.append(QFileInfo(dir).absoluteFilePath());
    return import(parser, extra);
}

} // namespace invoke::cli
