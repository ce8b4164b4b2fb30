// invoke-cli datasets: a table (or JSON) of the datasets with their row counts; files
// that could not be read on stderr.
#include "app/cli/commands.h"
#include "app/cli/console.h"
#include "core/backend/backend.h"

#include <QtCore/QEventLoop>

using namespace Qt::StringLiterals;

namespace invoke::cli {

int runDatasets(Backend &backend, const DatasetsArguments &args)
{
    DatasetListing listing;
    bool done = false;
    QEventLoop loop;
    backend.listDatasets(&loop, [&](const DatasetListing &result) {
        listing = result;
        done = true;
        loop.quit();
    });
    if (!done)
        loop.exec();

    for (const LoadProblem &problem : listing.problems)
        printErr(problem.toString() + u'\n');
    if (!listing.error.isEmpty()) {
        printErr(u"error: "_s + listing.error + u'\n');
        return ExitFailed;
    }
    if (args.json) {
        Json array = Json::array();
        for (const DatasetInfo &dataset : listing.datasets)
            array.push_back(dataset.toJson());
        printOut(QString::fromUtf8(dumpJson(array, 2)) + u'\n');
    } else if (listing.datasets.isEmpty()) {
        printErr(u"No datasets found.\n"_s);
    } else {
        QList<QStringList> rows{{u"SLUG"_s, u"NAME"_s, u"ROWS"_s, u"DESCRIPTION"_s}};
        for (const DatasetInfo &d : listing.datasets)
            rows.append({d.slug, d.name, QString::number(d.size), d.description.simplified()});
        printOut(columns(rows));
    }
    return ExitOk;
}

} // namespace invoke::cli
