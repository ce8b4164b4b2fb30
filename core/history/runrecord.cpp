#include "core/history/runrecord.h"

#include "core/fold/runfold.h"

using namespace Qt::StringLiterals;

namespace invoke::history {

QLatin1StringView outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Succeeded: return "succeeded"_L1;
    case Outcome::Failed: return "failed"_L1;
    case Outcome::Cancelled: return "cancelled"_L1;
    case Outcome::Unfinished: return "unfinished"_L1;
    }
    return {};
}

std::optional<Outcome> outcomeFromName(QStringView name)
{
    for (Outcome o : {Outcome::Succeeded, Outcome::Failed, Outcome::Cancelled, Outcome::Unfinished})
        if (name == outcomeName(o))
            return o;
    return std::nullopt;
}

Json RunSummary::toListJson() const
{
    return Json{{"invocation_id", toStd(invocationId)},
                {"bot_key", toStd(botKey)},
                {"started_at", toStd(startedAt.toUTC().toString(Qt::ISODateWithMs))},
                {"mode", toStd(mode)},
                {"profile", toStd(profile)},
                {"outcome", toStd(QString(outcomeName(outcome)))},
                {"duration_ms", durationMs >= 0 ? Json(durationMs) : Json()},
                {"tokens", tokens}};
}

InvokeResult RunRecord::result() const
{
    RunFold fold;
    QList<Event> events;
    events.reserve(this->events.size());
    for (const TimedEvent &e : this->events) {
        fold.add(e.event);
        events.append(e.event);
    }
    if (summary.outcome == Outcome::Cancelled && !fold.hasFinalEvent())
        fold.markCancelled();
    else if (summary.outcome == Outcome::Unfinished && !fold.hasFinalEvent())
        fold.markFailed(u"the run did not finish: the recording ends here"_s);
    InvokeResult result = fold.result();
    result.events = std::move(events);
    result.cancelled = summary.outcome == Outcome::Cancelled;
    if (result.error.isEmpty() && !summary.error.isEmpty() && !result.success)
        result.error = summary.error;
    return result;
}

RunRecord RunRecord::fromResult(const InvokeResult &result, const InvokeRequest &request, qint64 durationMs,
                                const QString &profile)
{
    RunRecord r;
    RunSummary &s = r.summary;
    s.invocationId = result.invocationId;
    s.botKey = request.botKey;
    s.botName = result.botName;
    s.startedAt = QDateTime::currentDateTimeUtc().addMSecs(-durationMs);
    s.mode = request.mode.displayName();
    s.profile = profile;
    s.outcome = result.cancelled ? Outcome::Cancelled : result.success ? Outcome::Succeeded : Outcome::Failed;
    s.durationMs = durationMs;
    s.tokens = runTokens(result);
    s.error = result.error;
    s.resultText = result.visibleText();
    s.eventCount = result.events.size();
    r.request = request;
    r.events.reserve(result.events.size());
    for (const Event &e : result.events)
        r.events.append(TimedEvent{std::max<qint64>(e.tMs, 0), e});
    return r;
}

qint64 runTokens(const InvokeResult &result)
{
    qint64 total = 0;
    for (const StepRecord &step : result.steps)
        total += std::max<qint64>(step.inputTokens, 0) + std::max<qint64>(step.outputTokens, 0);
    return total;
}

} // namespace invoke::history
