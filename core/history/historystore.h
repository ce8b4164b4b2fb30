#pragma once
// The run history's SQLite file (docs/runs.md): one row per run, its events in
// compressed chunks appended as they stream. Used from one thread (the one that opened
// it); the studio and invoke-cli write through RunHistory (runhistory.h), off their
// event loops. Several processes may use the file at once (WAL, a busy timeout); a
// locked or corrupt file fails with a message saying so, and runs go on without it.
#include "core/history/botsources.h"
#include "core/history/runrecord.h"
#include "core/history/store/historyschema.h"

#include <QtCore/QString>

#include <memory>

namespace invoke::history {

struct HistoryQuery
{
    QString botKey;        // exact, empty: any
    QString text;          // in the request, the result or the error, case-insensitive
    std::optional<Outcome> outcome;
    QDateTime from, to;    // started in [from, to), either open when invalid
    int limit = 100;
};

class HistoryStore
{
public:
    explicit HistoryStore(QString filePath);
    ~HistoryStore();

    QString filePath() const { return m_path; }
    // Creates the file and its tables on first use; refuses a file of a newer version.
    bool open(QString *error);

    // A new run, unfinished until finish(); returns its row id (0 on failure).
    qint64 begin(const RunSummary &summary, const InvokeRequest &maskedRequest, QString *error);
    bool setPlan(qint64 run, const Json &plan, const QString &botUpdatedAt, QString *error);
    // Names the run as soon as its first event does, so a run cut short can be opened.
    bool setInvocationId(qint64 run, const QString &invocationId, QString *error);
    // Appends one chunk of events (compressed), so a crash keeps what streamed so far.
    bool append(qint64 run, const QList<TimedEvent> &events, QString *error);
    // The run's end: outcome, duration, tokens, invocation id, result text, error.
    bool finish(qint64 run, const RunSummary &summary, QString *error);

    // Newest first.
    QList<RunSummary> list(const HistoryQuery &query, QString *error) const;
    // By invocation id or any unique prefix of one; nullopt with `error` (none, several).
    std::optional<RunRecord> load(const QString &idOrPrefix, QString *error) const;
    // The invocation id a unique prefix names.
    std::optional<QString> resolve(const QString &idOrPrefix, QString *error) const;
    bool setPinned(const QString &invocationId, bool pinned, QString *error);
    bool remove(const QString &invocationId, QString *error);
    // Adds a whole run (an import) with the bot definitions it carries; refuses an
    // invocation id already there.
    bool insert(const RunRecord &record, QString *error, const QList<BotSource> &bots = {});

    // The bot definitions a run ran (docs/runs.md): each content is kept once, however
    // many runs ran it, and goes with the last run that refers to it.
    bool addBots(qint64 run, const QList<BotSource> &bots, QString *error);
    // Ties to the run the versions of `bots` kept already; returns those that are not.
    std::optional<QList<BotVersion>> addKeptBots(qint64 run, const QList<BotVersion> &bots, QString *error);
    // The bot definitions kept with a run (by invocation id), in the order they were added.
    std::optional<QList<BotSource>> bots(const QString &invocationId, QString *error) const;
    // Removes the oldest unpinned runs until the stored events take at most `maxBytes`.
    // Returns how many runs went.
    int evict(qint64 maxBytes, QString *error);
    qint64 storedBytes(QString *error) const;

    static constexpr int kSchemaVersion = kHistorySchemaVersion;

private:
    bool removeRow(qint64 row, QString *error);
    struct Db;
    QString m_path;
    std::unique_ptr<Db> m_db;
};

// <AppDataLocation>/history.sqlite
QString defaultHistoryFile();

} // namespace invoke::history
