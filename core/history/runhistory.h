#pragma once
// Records runs into the history (docs/runs.md) without slowing them: events are
// timestamped as they arrive, gathered, and written in batches by a thread of its own;
// a run's row exists from its start, so a crash keeps what streamed so far, marked
// unfinished. A history that cannot be opened or written never stops a run: it says
// why once (unavailable()) and records nothing more.
#include "core/history/botsources.h"
#include "core/history/runrecord.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

class QThread;

namespace invoke {
class Backend;
class Invocation;
}

namespace invoke::history {

class HistoryWriter;

struct RunHistoryOptions
{
    QString filePath;              // empty: defaultHistoryFile()
    qint64 maxBytes = 512LL << 20; // stored events beyond this evict the oldest unpinned runs
};

class RunHistory : public QObject
{
    Q_OBJECT
public:
    using Options = RunHistoryOptions;
    struct RunContext
    {
        QString profile;     // where the run goes: "Embedded", a profile name, an endpoint
        QStringList secrets; // masked in the recorded request and events
        // When given, the bot's plan is recorded with the run; for a run of the embedded
        // engine ("Embedded…" profile) also the bot files it ran, sub-bots included.
        Backend *backend = nullptr;
        // The bot definitions the run read from a folder of its own
        // (Backend::invokeWithBotFolders: a run file's bots, written for its re-run), on the
        // embedded engine: kept as the run's, and its plan read with them, not from the
        // backend's own folders (which may lack them or hold another bot of the key).
        QList<BotSource> bots;
    };

    explicit RunHistory(Options options = {}, QObject *parent = nullptr);
    ~RunHistory() override; // writes what is pending, then stops its thread

    QString filePath() const { return m_path; }

    // Records `invocation` from now on (connect right after Backend::invoke()).
    void record(Invocation *invocation, const InvokeRequest &request, const RunContext &context);
    // A run already finished, whole (a failed test case, an imported run); `secrets` are
    // masked in its request and events.
    void recordFinished(RunRecord record, const QStringList &secrets = {});
    // Returns once everything handed over so far is written, waiting at most kFlushWaitMs
    // for a bot's plan or bot files still being read (a slow server's plan): what has not
    // come by then is left out of the run's record (docs/runs.md).
    void flush();
    static constexpr int kFlushWaitMs = 1000;
    // Why the history cannot be used, or empty.
    QString unavailableReason() const;

Q_SIGNALS:
    void runRecorded(const QString &invocationId);
    void unavailable(const QString &reason);

private:
    struct Live;
    void sendPending(Live &live);
    void finishRun(Invocation *invocation);
    void keepBotFiles(int token, const QList<BotVersion> &versions, QPointer<Backend> backend,
                      const QList<QByteArray> &secrets);

    QString m_path;
    QThread *m_thread = nullptr;
    HistoryWriter *m_writer = nullptr;
    QHash<Invocation *, Live *> m_live;
    int m_nextToken = 1;
    int m_pending = 0; // plans and bot listings asked for and not answered yet
};

} // namespace invoke::history
