// invoke-cli bots: a table (or JSON) of the bots; load problems on stderr.
#include "app/cli/commands.h"
#include "app/cli/listing.h"
#include "core/backend/backend.h"

using namespace Qt::StringLiterals;

namespace invoke::cli {

int runBots(Backend &backend, const BotsArguments &args)
{
    const auto listing = waitForListing<BotListing>(
        [&](QObject *context, auto done) { backend.listBots(context, std::move(done)); });
    Json items = Json::array();
    QList<QStringList> rows{{u"KEY"_s, u"NAME"_s, u"UPDATED"_s, u"DESCRIPTION"_s}};
    for (const BotInfo &bot : listing.bots) {
        items.push_back(bot.toJson());
        rows.append({bot.key, bot.name, bot.updatedAt.toUTC().toString(u"yyyy-MM-dd HH:mm"_s),
                     bot.description.simplified()});
    }
    return printListing(listing.problems, listing.error, args.json, items, rows, u"No bots found.\n"_s);
}

} // namespace invoke::cli
