#pragma once
// A scripted run for the inspector's tests: a sub-bot step, streamed message deltas, an error,
// a slow step and a replay miss (metadata.replay_miss, docs/events.md), numbered as a server
// numbers them.
#include "core/wire/events.h"

#include <QtCore/QList>

namespace invoke::test {

class InspectRun
{
public:
    Event begin() { return wire::invocationStarted(stamp({}), QStringLiteral("Researcher"), QStringLiteral("researcher"), QStringLiteral("bot-1")); }
    Event started(const QString &path, const QString &action)
    {
        return wire::stepStarted(stamp(path), key(path), action, Json::object());
    }
    Event chunk(const QString &path, const QString &text, const QString &messageId)
    {
        return wire::messageContent(stamp(path), text, messageId, QStringLiteral("text"), true);
    }
    Event finished(const QString &path, const QString &action, StepStatus status = StepStatus::Success,
                   Source source = Source::Live, qint64 durationMs = 10, const Json &replayMiss = Json())
    {
        return wire::stepFinished(stamp(path), key(path), action, status, Json{{"content", "ok"}},
                                  status == StepStatus::Error ? QStringLiteral("Rate limited") : QString(), source,
                                  durationMs, {}, wire::StepVisibility::Unstated, replayMiss);
    }
    Event end() { return wire::invocationFinished(stamp({}), QStringLiteral("success"), Json::array(), {}); }

    static Json miss()
    {
        return Json{{"reason", "inputs_differ"}, {"summary", "parameters.temperature changed from 0.7 to 0.2"},
                    {"nearest", nullptr}, {"fields", Json::array()}};
    }

private:
    static QString key(const QString &path) { return path.section(QLatin1Char('/'), -1); }
    wire::Stamp stamp(const QString &path)
    {
        m_t += 5;
        return {QStringLiteral("inv-1"), m_seq++, m_t, path};
    }
    qint64 m_seq = 0;
    qint64 m_t = 0;
};

// Rows:  0 begin, 1 research started, 2 research/search started, 3 research/search finished
// (slow: 2,500 ms), 4 answer started, 5-7 answer's deltas of message m1 ("Hello", ", ",
// "world"), 8 answer finished as a replay miss, 9 critique started, 10 critique failed,
// 11 research finished, 12 end.
inline QList<Event> inspectRun()
{
    InspectRun run;
    return {
        run.begin(),
        run.started(QStringLiteral("research"), QStringLiteral("bot.invoke")),
        run.started(QStringLiteral("research/search"), QStringLiteral("memory.search")),
        run.finished(QStringLiteral("research/search"), QStringLiteral("memory.search"), StepStatus::Success,
                     Source::Live, 2500),
        run.started(QStringLiteral("answer"), QStringLiteral("llm.message")),
        run.chunk(QStringLiteral("answer"), QStringLiteral("Hello"), QStringLiteral("m1")),
        run.chunk(QStringLiteral("answer"), QStringLiteral(", "), QStringLiteral("m1")),
        run.chunk(QStringLiteral("answer"), QStringLiteral("world"), QStringLiteral("m1")),
        run.finished(QStringLiteral("answer"), QStringLiteral("llm.message"), StepStatus::Success, Source::Live, 40,
                     InspectRun::miss()),
        run.started(QStringLiteral("critique"), QStringLiteral("llm.message")),
        run.finished(QStringLiteral("critique"), QStringLiteral("llm.message"), StepStatus::Error, Source::Live, 5),
        run.finished(QStringLiteral("research"), QStringLiteral("bot.invoke"), StepStatus::Success, Source::Live, 2600),
        run.end(),
    };
}

} // namespace invoke::test
