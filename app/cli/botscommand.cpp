// invoke-cli bots: a table (or JSON) of the bots; load problems on stderr.
#include "app/cli/commands.h"
#include "app/cli/console.h"
#include "core/backend/backend.h"

#include <QtCore/QEventLoop>

using namespace Qt::StringLiterals;

namespace invoke::cli {

static QString table(const QList<BotInfo> &bots)
{
    const QStringList header{u"KEY"_s, u"NAME"_s, u"UPDATED"_s, u"DESCRIPTION"_s};
    QList<QStringList> rows{header};
    for (const BotInfo &bot : bots)
        rows.append({bot.key, bot.name, bot.updatedAt.toUTC().toString(u"yyyy-MM-dd HH:mm"_s),
                     bot.description.simplified()});
    return columns(rows);
}

int runBots(Backend &backend, const BotsArguments &args)
{
    BotListing listing;
    bool done = false;
    QEventLoop loop;
    backend.listBots(&loop, [&](const BotListing &result) {
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
        for (const BotInfo &bot : listing.bots)
            array.push_back(bot.toJson());
        printOut(QString::fromUtf8(dumpJson(array, 2)) + u'\n');
    } else if (listing.bots.isEmpty()) {
        printErr(u"No bots found.\n"_s);
    } else {
        printOut(table(listing.bots));
    }
    return ExitOk;
}

} // namespace invoke::cli
