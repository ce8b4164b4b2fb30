#pragma once
// Builds the events of a scripted run with the wire builders, numbering seq and t_ms.
#include "core/wire/events.h"

namespace invoke::test {

class RunScript
{
public:
    explicit RunScript(QString invocationId = QStringLiteral("inv-1"))
        : m_id(std::move(invocationId)) {}

    Event begin(const QString &botName = QStringLiteral("Researcher"))
    {
        return wire::invocationStarted(stamp({}), botName, QStringLiteral("researcher"),
                                       QStringLiteral("bot-1"));
    }
    Event started(const QString &path, const QString &action, const Json &parameters = Json::object())
    {
        return wire::stepStarted(stamp(path), keyOf(path), action, parameters);
    }
    Event finished(const QString &path, const QString &action, const QString &status,
                   const QString &source = {}, qint64 durationMs = -1, wire::Usage usage = {},
                   const QString &error = {}, const Json &output = Json())
    {
        // Scripted in the wire's words, as a server sends them.
        return wire::stepFinished(stamp(path), keyOf(path), action,
                                  stepStatusFromWire(status).value_or(StepStatus::Error), output, error,
                                  sourceFromWire(source), durationMs, usage);
    }
    Event chunk(const QString &path, const QString &text, const QString &messageId = QStringLiteral("m1"),
                bool visible = true, const QString &contentType = QStringLiteral("text"))
    {
        return wire::messageContent(stamp(path), text, messageId, contentType, visible);
    }
    Event status(const QString &path, const QString &message)
    {
        return wire::statusUpdate(stamp(path), QStringLiteral("info"), message);
    }
    Event end(const QString &status = QStringLiteral("success"), const QString &error = {})
    {
        return wire::invocationFinished(stamp({}), status, Json::array(), error);
    }

private:
    static QString keyOf(const QString &path) { return path.section(QLatin1Char('/'), -1); }
    wire::Stamp stamp(const QString &path)
    {
        m_t += 5;
        return {m_id, m_seq++, m_t, path};
    }

    QString m_id;
    qint64 m_seq = 0;
    qint64 m_t = 0;
};

// Splits `events` into batches of `size` (the last one shorter).
inline QList<QList<Event>> batchesOf(const QList<Event> &events, qsizetype size)
{
    QList<QList<Event>> batches;
    for (qsizetype i = 0; i < events.size(); i += size)
        batches.append(events.mid(i, size));
    return batches;
}

} // namespace invoke::test
