#pragma once
#include "core/model/invocation/message.h"
#include "core/model/mockset.h"
#include "core/model/invocation/mode.h"

namespace invoke {

enum class OutputFormat { Events, Text, Json };
QString outputFormatName(OutputFormat format); // "events" | "text" | "json"
std::optional<OutputFormat> outputFormatFromName(const QString &name, QString *error = nullptr);

// Everything one invocation needs. outputFormat and verbose only shape how a client
// prints the result; they never travel on the wire.
struct InvokeRequest
{
    QString botKey;
    QList<Message> messages;
    Json parameters = Json::object();
    QStringList datasets; // dataset slugs
    Mode mode;
    MockSet manualMocks;
    // Answers by step path that hold in every mode, before the mode is asked (the action
    // gate): a fork from a step answers the steps before it from a recorded run
    // (docs/runs.md, Re-run from here). On the wire: "pinned_answers", a mock set's shape.
    MockSet pinnedAnswers;
    // Replay-cache entries (docs/cache.md's entry shape) that answer this run's replay in a
    // store of their own, never the user's cache: a run file's (docs/runs.md, Re-running a
    // run file). Checked by the engine; on the wire "replay_entries". null: none given, the
    // ordinary cache serves a replay; an array, even empty: only these entries do (a run
    // file with none still never reads or writes the user's cache).
    Json replayEntries;
    OutputFormat outputFormat = OutputFormat::Text;
    bool verbose = false;

    // The last user message, or empty.
    QString query() const;

    // Every field, for saving and restoring (the wire body is core/wire/requestcodec.h).
    Json toJson() const;
    static std::optional<InvokeRequest> fromJson(const Json &value, QString *error = nullptr);

    bool operator==(const InvokeRequest &) const = default;
};

} // namespace invoke
