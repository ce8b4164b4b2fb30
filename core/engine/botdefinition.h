#pragma once
// A bot file (*.bot.json) as the engine runs it (docs/bots.md):
// {"bot": {key, name, description, ...}, "parameter_definitions": [...],
//  "steps": [{key, action_type, parameters, depends_on, user_output_visibility,
//             output_content_type, result_handlers: [{type, if_conditions, steps}]}]}
#include "core/model/botinfo.h"

#include <optional>

namespace invoke::engine {

// One condition of a result handler; a handler runs when all of its conditions hold.
// In the file: {"type": "IsSuccess"} | {"type": "IsError"} |
// {"type": "TextContains", "text": "...", "case_sensitive": false}, any with "not": true.
struct Condition
{
    enum Type { IsSuccess, IsError, TextContains };
    Type type = IsSuccess;
    QString text;
    bool caseSensitive = false;
    bool negate = false;
    bool operator==(const Condition &) const = default;
};

struct StepDefinition;

// Steps that run after a step finishes, when the conditions hold. An "intermediate"
// handler continues the bot afterwards; a "final" one ends it (its last step's output
// is the bot's output).
struct ResultHandler
{
    enum Type { Intermediate, Final };
    Type type = Intermediate;
    QList<Condition> conditions;
    QList<StepDefinition> steps;
    bool operator==(const ResultHandler &) const;
};

struct StepDefinition
{
    QString key;
    QString actionType;
    Json parameters = Json::object(); // with {{templates}}, rendered just before the step runs
    QStringList dependsOn;
    // "visible" | "hidden"; empty means the action's default (visible for llm.message
    // and utils.write, hidden for the rest)
    QString userOutputVisibility;
    QString outputContentType = QStringLiteral("text"); // "text" | "json"
    QList<ResultHandler> resultHandlers;
    int line = 0; // where the step starts in its file, for messages

    bool operator==(const StepDefinition &) const = default;
};

struct BotDefinition
{
    BotInfo info; // key, name, description, updated_at (file mtime), parameters, sourceFile
    QList<StepDefinition> steps; // in file order

    // Parses a bot file's bytes. `updatedAt` and `sourceFile` go into info. On failure
    // returns nullopt and fills `problem` with the line and the reason.
    static std::optional<BotDefinition> parse(QByteArrayView bytes, const QString &sourceFile,
                                              const QDateTime &updatedAt, LoadProblem *problem);
};

} // namespace invoke::engine

inline bool invoke::engine::ResultHandler::operator==(const ResultHandler &other) const
{
    return type == other.type && conditions == other.conditions && steps == other.steps;
}
