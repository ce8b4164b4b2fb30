#pragma once
// The body of GET {endpoint}/bots/{key}/plan (docs/server.md):
// {"bot": {"key", "name", "updated_at"}, "steps": [{"path", "key", "action_type", "depth",
// "line", "bot_key", "conditional", "note"}]} — the first four step members are the
// contract; the others carry what the studio's coverage table shows. A server's file
// paths never travel (a plan holds none).
#include "core/model/botplan.h"

namespace invoke::wire {

Json planBody(const BotPlan &plan);

// nullopt with `error` (what is wrong and where) when the body has another shape.
std::optional<BotPlan> planFromBody(QByteArrayView body, QString *error = nullptr);

} // namespace invoke::wire
