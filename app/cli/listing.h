#pragma once
// What `invoke-cli bots` and `invoke-cli datasets` share: waiting for a backend's listing,
// then printing it as a table or as JSON, with the load problems on stderr.
#include "core/model/botinfo.h" // LoadProblem, Json

#include <QtCore/QEventLoop>
#include <QtCore/QStringList>

namespace invoke::cli {

// Runs `start(context, done)` (e.g. Backend::listBots) and waits for its answer.
template <typename Listing, typename Start>
Listing waitForListing(Start start)
{
    Listing listing;
    bool done = false;
    QEventLoop loop;
    start(&loop, [&](const Listing &result) {
        listing = result;
        done = true;
        loop.quit();
    });
    if (!done)
        loop.exec();
    return listing;
}

// Prints the problems on stderr, then: the error (ExitFailed); `items` (a JSON array) when
// `json`; `none` on stderr when there are no items; else `rows` (the first is the header)
// as columns. Returns the exit code.
int printListing(const QList<LoadProblem> &problems, const QString &error, bool json, const Json &items,
                 const QList<QStringList> &rows, const QString &none);

} // namespace invoke::cli
