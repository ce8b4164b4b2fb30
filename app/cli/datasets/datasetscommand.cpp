// invoke-cli datasets: a table (or JSON) of the datasets with their row counts; files
// that could not be read on stderr.
#include "app/cli/commands.h"
#include "app/cli/listing.h"
#include "core/backend/backend.h"

using namespace Qt::StringLiterals;

namespace invoke::cli {

int runDatasets(Backend &backend, const DatasetsArguments &args)
{
    const auto listing = waitForListing<DatasetListing>(
        [&](QObject *context, auto done) { backend.listDatasets(context, std::move(done)); });
    Json items = Json::array();
    QList<QStringList> rows{{u"SLUG"_s, u"NAME"_s, u"ROWS"_s, u"DESCRIPTION"_s}};
    for (const DatasetInfo &d : listing.datasets) {
        items.push_back(d.toJson());
        rows.append({d.slug, d.name, QString::number(d.size), d.description.simplified()});
    }
    return printListing(listing.problems, listing.error, args.json, items, rows, u"No datasets found.\n"_s);
}

} // namespace invoke::cli
