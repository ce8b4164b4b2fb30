#pragma once
// The plan of a bot (core/model/botplan.h) as the executor would walk it: each bot's
// steps in depends_on order, a step's result-handler steps right after it, and a
// bot.invoke's sub-bot steps (resolved through the catalog when bot_key is a plain key)
// right after it. Steps whose order cannot be decided (a dependency cycle) are listed in
// file order. LocalBackend::botPlan and invoke-cli mocks validate answer with it.
#include "core/model/botplan.h"

namespace invoke::engine {

class BotCatalog;
struct BotDefinition;

QList<PlannedStep> plannedSteps(const BotDefinition &bot, const BotCatalog &catalog);
BotPlan botPlan(const BotDefinition &bot, const BotCatalog &catalog);

// Why `key` is not in `catalog`: "bot \"x\" not found", or why its file did not load
// ("bot \"x\" could not be loaded: x.bot.json:3: ..."; `fileNamesOnly` drops the folders,
// for a server whose folders are its own business).
QString missingBotReason(const BotCatalog &catalog, const QString &key, bool fileNamesOnly = false);

} // namespace invoke::engine
