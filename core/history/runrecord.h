#pragma once
// A run as the history keeps it (docs/runs.md): what was asked, every event as it
// streamed with the time it arrived, and the summary the History panel and
// `invoke-cli runs list` show.
#include "core/model/event.h"
#include "core/model/invocation/invokerequest.h"
#include "core/model/invocation/invokeresult.h"

#include <QtCore/QDateTime>

namespace invoke::history {

// How a recorded run ended; Unfinished until it did (a crash leaves it so).
enum class Outcome { Succeeded, Failed, Cancelled, Unfinished };
QLatin1StringView outcomeName(Outcome outcome); // "succeeded", "failed", "cancelled", "unfinished"
std::optional<Outcome> outcomeFromName(QStringView name);

// One event and when it arrived, in ms after the run started.
struct TimedEvent
{
    qint64 atMs = 0;
    Event event;
    bool operator==(const TimedEvent &) const = default;
};

struct RunSummary
{
    QString invocationId;
    QString botKey;
    QString botName;
    QDateTime startedAt; // UTC
    QString mode;        // "live", "replay", "replay (refresh)", "manual"
    QString profile;     // where it ran: "Embedded" or a profile's name or an endpoint
    QString botUpdatedAt;
    Outcome outcome = Outcome::Unfinished;
    qint64 durationMs = -1;
    qint64 tokens = 0;
    qint64 eventCount = 0;
    bool pinned = false;
    QString error;
    QString resultText; // the visible result, for search

    // {"invocation_id", "bot_key", "started_at", "mode", "profile", "outcome", "duration_ms", "tokens"}
    Json toListJson() const;
};

struct RunRecord
{
    RunSummary summary;
    InvokeRequest request; // secrets masked
    Json botPlan;          // the bot's plan as it was (BotPlan::toJson), or null
    QList<TimedEvent> events;

    // The result the events fold to (core/fold/runfold.h), events included; an
    // unfinished run's running steps are failed with a note saying so.
    InvokeResult result() const;

    // A finished run as a whole (a test case, a batch row): its events (kept by the
    // invocation) timed by their t_ms, started `durationMs` before now.
    static RunRecord fromResult(const InvokeResult &result, const InvokeRequest &request, qint64 durationMs,
                                const QString &profile);
};

// Tokens of a finished run: input plus output over its steps.
qint64 runTokens(const InvokeResult &result);

} // namespace invoke::history
