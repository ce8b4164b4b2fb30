#pragma once
// The output each action type answers with, as far as it is known, so that a mock's
// output can be checked before a run rather than fail a later step (docs/mocks.md).
//
//  llm.message        {"content": string, "finish_reason"?: string|null,
//                      "usage"?: {"input_tokens"?: integer|null, "output_tokens"?: integer|null}}
//  memory.search      {"memories": [{"id": string|integer, "dataset": string, "content": string,
//                                    "score": number, "metadata"?: object|null}]}
//  codeexec.execute,  {"output": string, "exit_code": integer, "error"?: string|null,
//  codeexec.run        "files"?: array|object|null}
//  utils.send_status  {"status": string, "message": string}
//  utils.write        {"content": string}
//  utils.raise        {"message": string, "status"?: string}  (it always fails when computed)
//  utils.echo, utils.parse_json, bot.invoke: any JSON (what they were given / the sub-bot's output)
// Only a success mock's output is checked; an error mock's output is free. Members not
// listed are allowed (an answer may carry more than a step reads).
#include "core/model/json/jsonlocator.h"
#include "core/model/json/json.h"

namespace invoke::mocks {

// One place where an output does not fit its schema. `path` starts at the mock entry
// ({"output", "memories", 0, "score"}) so a validator can find its line; `field` is the
// same path as text ("output.memories[0].score").
struct SchemaProblem
{
    QString field;
    JsonPath path;
    QString message; // `must be a string, not a number`, `is required (the answer's text)`
};

// Action types the engine knows: utils.*, llm.message, memory.search, codeexec.execute,
// codeexec.run, bot.invoke. Sorted.
QStringList knownActionTypes();
bool isKnownActionType(const QString &actionType);

// Whether a success output of `actionType` has a shape to check (false for any-JSON types).
bool hasOutputSchema(const QString &actionType);
// The schema as one line, as in the table above; empty when unknown or any JSON.
QString outputSchemaText(const QString &actionType);
// A small valid output, for an editor that creates a new key of this type; null when unknown.
Json exampleOutput(const QString &actionType);

// Checks a success mock's output against the schema of `actionType` (no problems when
// the type has none). Problems are in document order.
QList<SchemaProblem> checkOutput(const QString &actionType, const Json &output);

// "output.memories[0].score" for {"output", "memories", 0, "score"}.
QString fieldText(const JsonPath &path);

} // namespace invoke::mocks
