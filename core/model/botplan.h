#pragma once
// The plan of a bot: every step a run of it may reach, in the order the executor walks
// them (core/engine/botplanner.h computes it from a bot file), so that tools that only
// know values (core/mocks, the studio, a client of invoke-server) can reason about a
// bot's steps without the engine. On the wire (GET /bots/{key}/plan, docs/server.md):
// {"bot": {"key", "name", "updated_at"},
//  "steps": [{"path", "key", "action_type", "depth", "line", "bot_key", "conditional", "note",
//             "depends_on", "bot_updated_at"}]}
#include "core/model/json/json.h"

#include <QtCore/QDateTime>
#include <QtCore/QList>

#include <optional>

namespace invoke {

// A step a run of the bot may reach, named as the executor names it.
struct PlannedStep
{
    QString path;       // "gather", "summarise/answer" (sub-bot steps: "<bot.invoke path>/<key>")
    QString key;        // the step's own key
    QString actionType;
    QString botKey;     // the bot that defines the step (a sub-bot for nested steps)
    int depth = 0;      // 0 for the invoked bot's steps, 1 for a sub-bot's, ...
    bool conditional = false; // in a result handler (runs only when its conditions hold)
    int line = 0;       // the step's line in its bot file
    QString note;       // why a bot.invoke has no nested steps here (template bot_key, unknown bot, cycle)
    QStringList dependsOn; // the step's depends_on: keys of steps of the same bot (left out when empty)
    // A sub-bot's step: that bot's updated_at (ISO 8601, ms, UTC), a part of the step's
    // replay key (docs/cache.md), so a recorded run's keys can be rebuilt (docs/runs.md).
    // Empty for the bot's own steps (the plan's updatedAt) and in plans of older servers.
    QString botUpdatedAt;

    Json toJson() const;
    // nullopt with `error` ("path: must be a non-empty string") for another shape.
    static std::optional<PlannedStep> fromJson(const Json &value, QString *error = nullptr);
    bool operator==(const PlannedStep &) const = default;
};

struct BotPlan
{
    QString botKey;
    QString botName;
    QDateTime updatedAt; // UTC, the bot file's time (the replay cache keys on it too)
    QList<PlannedStep> steps; // walk order: a step, its sub-bot's steps, its handlers' steps

    // The action type of the step at `path`; empty when the plan has no such step.
    QString actionTypeOf(const QString &path) const;

    Json toJson() const;
    // nullopt with `error` saying what and where ("steps[2].action_type: ...").
    static std::optional<BotPlan> fromJson(const Json &value, QString *error = nullptr);
    bool operator==(const BotPlan &) const = default;
};

// What Backend::botPlan answers: the plan, or why there is none (no such bot, its file
// does not load, the server could not be asked).
struct BotPlanResult
{
    std::optional<BotPlan> plan;
    QString error;
};

} // namespace invoke
