#pragma once
// The version of a bot's plan that invoke-server names in an invoke answer's head
// (Invoke-Plan-Version, docs/server.md): the SHA-256, 64 lowercase hex digits, of the text
// made of one line "KEY<TAB>UPDATED_AT<LF>" for the bot, then one for each other bot its
// plan reaches (the sub-bots of its bot.invoke steps, with their updated_at), those sorted
// and each pair once. UPDATED_AT is ISO 8601 with milliseconds, UTC, as in the plan.
// So an edit to the bot or to any sub-bot it calls gives a new version, and a client can
// compute the version of a plan it holds (core/backend/remoteplancache.h) to tell whether
// it is the one the server would answer now.
#include "core/model/botplan.h"

namespace invoke::wire {

QString planVersion(const BotPlan &plan);
// The version of a plan of bot `key` that reaches no sub-bot: what planVersion() gives
// for such a plan, from the key and updated_at alone.
QString planVersionOf(const QString &key, const QDateTime &updatedAt);
// `text` is a version as planVersion() writes it (64 lowercase hex digits).
bool isPlanVersion(QStringView text);

} // namespace invoke::wire
