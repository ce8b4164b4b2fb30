#include "core/history/historywriter.h"

#include "core/model/redaction.h"

using namespace Qt::StringLiterals;

namespace invoke::history {

HistoryWriter::HistoryWriter(QString filePath, qint64 maxBytes) : m_path(std::move(filePath)), m_maxBytes(maxBytes) {}

QString HistoryWriter::unavailableReason() const
{
    QMutexLocker lock(&m_mutex);
    return m_reason;
}

void HistoryWriter::failed(const QString &reason)
{
    {
        QMutexLocker lock(&m_mutex);
        if (!m_reason.isEmpty())
            return;
        m_reason = reason;
    }
    m_store.reset();
    Q_EMIT unavailable(reason);
}

bool HistoryWriter::ready()
{
    if (!m_tried) {
        m_tried = true;
        m_store = std::make_unique<HistoryStore>(m_path);
        QString why;
        if (!m_store->open(&why))
            failed(why);
    }
    return m_store != nullptr;
}

void HistoryWriter::begin(int token, const RunSummary &summary, const InvokeRequest &request)
{
    if (!ready())
        return;
    QString why;
    const qint64 row = m_store->begin(summary, request, &why);
    if (row == 0)
        return failed(why);
    m_rows.insert(token, row);
}

void HistoryWriter::setPlan(int token, const Json &plan, const QString &botUpdatedAt)
{
    QString why;
    if (ready() && m_rows.contains(token) && !m_store->setPlan(m_rows.value(token), plan, botUpdatedAt, &why))
        failed(why);
}

void HistoryWriter::append(int token, const QList<TimedEvent> &events)
{
    QString why;
    if (ready() && m_rows.contains(token) && !m_store->append(m_rows.value(token), events, &why))
        failed(why);
}

void HistoryWriter::setInvocationId(int token, const QString &invocationId)
{
    QString why;
    if (ready() && m_rows.contains(token) && !m_store->setInvocationId(m_rows.value(token), invocationId, &why))
        failed(why);
}

void HistoryWriter::finish(int token, const RunSummary &summary)
{
    const qint64 row = m_rows.value(token); // kept: the bot's plan may come after the end
    QString why;
    if (!ready() || row == 0)
        return;
    if (!m_store->finish(row, summary, &why))
        return failed(why);
    m_store->evict(m_maxBytes, &why);
    Q_EMIT runRecorded(summary.invocationId);
}

QList<BotVersion> HistoryWriter::addKeptBots(int token, const QList<BotVersion> &bots)
{
    QString why;
    if (!ready() || !m_rows.contains(token))
        return {};
    auto missing = m_store->addKeptBots(m_rows.value(token), bots, &why);
    if (!missing) {
        failed(why);
        return {};
    }
    return *missing;
}

void HistoryWriter::addBotFiles(int token, const QList<std::pair<QString, BotVersion>> &files,
                                const QList<QByteArray> &secrets)
{
    if (!ready() || !m_rows.contains(token))
        return;
    QList<BotSource> bots;
    for (const auto &[path, version] : files) {
        auto bot = readBotSource(path, version);
        if (!bot)
            continue; // changed since the run read it, or gone: not what ran
        for (const QByteArray &secret : secrets)
            bot->content.replace(secret, RedactedText); // as run files mask them (runfile.cpp)
        bots.append(std::move(*bot));
    }
    QString why;
    if (!bots.isEmpty() && !m_store->addBots(m_rows.value(token), bots, &why))
        failed(why);
}

void HistoryWriter::addBots(int token, QList<BotSource> bots, const QList<QByteArray> &secrets)
{
    if (bots.isEmpty() || !ready() || !m_rows.contains(token))
        return;
    for (BotSource &bot : bots)
        for (const QByteArray &secret : secrets)
            bot.content.replace(secret, RedactedText);
    QString why;
    if (!m_store->addBots(m_rows.value(token), bots, &why))
        failed(why);
}

void HistoryWriter::insert(const RunRecord &record, const QList<BotSource> &bots)
{
    QString why;
    if (!ready())
        return;
    if (!m_store->insert(record, &why, bots)) {
        qWarning("%s", qPrintable(why)); // this run only (already there, say): the history goes on
        return;
    }
    m_store->evict(m_maxBytes, &why);
    Q_EMIT runRecorded(record.summary.invocationId);
}

void HistoryWriter::close()
{
    m_store.reset();
}

} // namespace invoke::history
