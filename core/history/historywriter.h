#pragma once
// RunHistory's writer: lives on its own thread and owns the HistoryStore there (one
// SQLite connection per thread). Runs are named by tokens the recorder hands out.
#include "core/history/historystore.h"

#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QObject>

namespace invoke::history {

class HistoryWriter : public QObject
{
    Q_OBJECT
public:
    HistoryWriter(QString filePath, qint64 maxBytes);

    // Each runs on the writer's thread (queued by RunHistory).
    void begin(int token, const RunSummary &summary, const InvokeRequest &request);
    void setPlan(int token, const Json &plan, const QString &botUpdatedAt);
    void append(int token, const QList<TimedEvent> &events);
    void setInvocationId(int token, const QString &invocationId);
    void finish(int token, const RunSummary &summary);
    void insert(const RunRecord &record, const QList<BotSource> &bots = {});
    // Ties to the run the versions of `bots` the history keeps already; returns the others
    // (to be read from their files, addBotFiles).
    QList<BotVersion> addKeptBots(int token, const QList<BotVersion> &bots);
    // Keeps with the run each bot file that is still at its version, `secrets` masked.
    void addBotFiles(int token, const QList<std::pair<QString, BotVersion>> &files, const QList<QByteArray> &secrets);
    // Keeps `bots` with the run, `secrets` masked (the definitions it ran from a folder of its own).
    void addBots(int token, QList<BotSource> bots, const QList<QByteArray> &secrets);
    void close();

    QString unavailableReason() const;

Q_SIGNALS:
    void runRecorded(const QString &invocationId);
    void unavailable(const QString &reason);

private:
    bool ready();
    void failed(const QString &reason);

    QString m_path;
    qint64 m_maxBytes;
    std::unique_ptr<HistoryStore> m_store;
    bool m_tried = false;
    QHash<int, qint64> m_rows;
    mutable QMutex m_mutex;
    QString m_reason;
};

} // namespace invoke::history
