#include "app/cli/listing.h"

#include "app/cli/cliarguments.h"
#include "app/cli/console.h"

using namespace Qt::StringLiterals;

namespace invoke::cli {

int printListing(const QList<LoadProblem> &problems, const QString &error, bool json, const Json &items,
                 const QList<QStringList> &rows, const QString &none)
{
    for (const LoadProblem &problem : problems)
        printErr(problem.toString() + u'\n');
    if (!error.isEmpty()) {
        printErr(u"error: "_s + error + u'\n');
        return ExitFailed;
    }
    if (json)
        printOut(QString::fromUtf8(dumpJson(items, 2)) + u'\n');
    else if (items.empty())
        printErr(none);
    else
        printOut(columns(rows));
    return ExitOk;
}

} // namespace invoke::cli
