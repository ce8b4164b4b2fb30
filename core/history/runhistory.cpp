#include "core/history/runhistory.h"

#include "core/backend/backend.h"
#include "core/backend/invocation.h"
#include "core/history/botsources.h"
#include "core/history/historywriter.h"
#include "core/model/redaction.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace invoke::history {

namespace {

constexpr int kBatchEvents = 2000; // a batch goes to the writer at this size...
constexpr int kBatchMs = 250;      // ...or this often, so a crash loses little

QList<QByteArray> secretBytes(const QStringList &secrets)
{
    QList<QByteArray> out;
    for (const QString &s : secrets)
        if (s.size() >= 4)
            out << s.toUtf8();
    return out;
}

// An event that quotes a secret is stored with it masked (rare: a cheap search first).
Event masked(const Event &event, const QList<QByteArray> &secrets)
{
    for (const QByteArray &secret : secrets) {
        if (event.raw.contains(secret)) {
            Event copy = event;
            for (const QByteArray &s : secrets)
                copy.raw.replace(s, RedactedText);
            return copy;
        }
    }
    return event;
}

// The embedded engine of this process ("Embedded" in invoke-cli, "Embedded engine" in the
// studio, as ui/history/historypanel.cpp tells them apart): its bot files are here to keep.
bool ranOnTheEngineHere(const QString &profile)
{
    return profile.startsWith(u"Embedded"_s);
}

InvokeRequest maskedRequest(InvokeRequest request, const QStringList &secrets)
{
    for (Message &m : request.messages)
        m.content = redactText(m.content, secrets);
    QList<Redaction> found;
    redactJson(request.parameters, secrets, {}, {}, &found);
    redactMockSet(request.manualMocks, secrets);
    return request;
}

} // namespace

struct RunHistory::Live
{
    int token = 0;
    QElapsedTimer clock;
    QList<TimedEvent> pending;
    QList<QByteArray> secrets;
    QTimer timer;
    QString botKey;
    QString mode;
    bool named = false; // the invocation id went to the writer
};

RunHistory::RunHistory(Options options, QObject *parent)
    : QObject(parent), m_path(options.filePath.isEmpty() ? defaultHistoryFile() : options.filePath)
{
    m_thread = new QThread(this);
    m_thread->setObjectName(u"run history"_s);
    m_writer = new HistoryWriter(m_path, options.maxBytes);
    m_writer->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
    connect(m_writer, &HistoryWriter::runRecorded, this, &RunHistory::runRecorded);
    connect(m_writer, &HistoryWriter::unavailable, this, &RunHistory::unavailable);
    m_thread->start();
}

RunHistory::~RunHistory()
{
    for (auto it = m_live.begin(); it != m_live.end(); ++it) {
        it.key()->disconnect(this);
        sendPending(*it.value());
        delete it.value();
    }
    m_live.clear();
    QMetaObject::invokeMethod(m_writer, [w = m_writer] { w->close(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

QString RunHistory::unavailableReason() const
{
    return m_writer->unavailableReason();
}

void RunHistory::record(Invocation *invocation, const InvokeRequest &request, const RunContext &context)
{
    auto *live = new Live;
    live->token = m_nextToken++;
    live->clock.start();
    live->secrets = secretBytes(context.secrets);
    live->botKey = request.botKey;
    live->mode = request.mode.displayName();
    m_live.insert(invocation, live);

    RunSummary start;
    start.botKey = request.botKey;
    start.startedAt = QDateTime::currentDateTimeUtc();
    start.mode = live->mode;
    start.profile = context.profile;
    const InvokeRequest stored = maskedRequest(request, context.secrets);
    const int token = live->token;
    QMetaObject::invokeMethod(m_writer, [w = m_writer, token, start, stored] { w->begin(token, start, stored); },
                              Qt::QueuedConnection);
    if (context.backend) {
        ++m_pending;
        const QPointer<Backend> backend = context.backend;
        const bool filesHere = ranOnTheEngineHere(context.profile);
        const QString botKey = request.botKey;
        const QList<QByteArray> secrets = live->secrets;
        // A run with bots of its own (a run file's re-run): they are the run's definitions,
        // and its plan is read with them. The run's folder goes when the run ends, maybe
        // before the plan is read: the history reads a copy of its own, removed after.
        std::shared_ptr<QTemporaryDir> ownBots;
        if (filesHere && !context.bots.isEmpty() && context.backend->readsLocalBotFolders()) {
            const QList<BotSource> bots = context.bots;
            QMetaObject::invokeMethod(m_writer, [w = m_writer, token, bots, secrets] { w->addBots(token, bots, secrets); },
                                      Qt::QueuedConnection);
            ownBots = std::make_shared<QTemporaryDir>();
            QString error;
            if (!ownBots->isValid() || !writeBotSources(context.bots, ownBots->path(), &error))
                ownBots.reset(); // the plan as the backend's folders give it, as before
        }
        const QStringList folders = ownBots ? QStringList{ownBots->path()} : QStringList();
        context.backend->botPlanWithBotFolders(request.botKey, folders, this, [=, this](const BotPlanResult &plan) {
            --m_pending;
            Q_UNUSED(ownBots); // kept until the plan is read
            if (!plan.plan)
                return;
            const Json json = plan.plan->toJson();
            const QString updatedAt = plan.plan->updatedAt.toUTC().toString(Qt::ISODateWithMs);
            QMetaObject::invokeMethod(m_writer, [w = m_writer, token, json, updatedAt] { w->setPlan(token, json, updatedAt); },
                                      Qt::QueuedConnection);
            if (!filesHere)
                return; // a server's run: its plan is what the history keeps of its bots
            RunRecord ran;
            ran.summary.botKey = botKey;
            ran.summary.botUpdatedAt = updatedAt;
            ran.botPlan = json;
            keepBotFiles(token, runBotVersions(ran), backend, secrets);
        });
    }

    live->timer.setInterval(kBatchMs);
    connect(&live->timer, &QTimer::timeout, this, [this, live] { sendPending(*live); });
    live->timer.start();
    connect(invocation, &Invocation::eventsArrived, this, [this, live, invocation](const QList<Event> &events) {
        const qint64 at = live->clock.elapsed();
        if (!live->named && !invocation->fold().result().invocationId.isEmpty()) {
            live->named = true;
            const int token = live->token;
            const QString id = invocation->fold().result().invocationId;
            QMetaObject::invokeMethod(m_writer, [w = m_writer, token, id] { w->setInvocationId(token, id); },
                                      Qt::QueuedConnection);
        }
        for (const Event &e : events)
            live->pending.append(TimedEvent{at, live->secrets.isEmpty() ? e : masked(e, live->secrets)});
        if (live->pending.size() >= kBatchEvents)
            sendPending(*live);
    });
    connect(invocation, &Invocation::finished, this, [this, invocation] { finishRun(invocation); });
    connect(invocation, &QObject::destroyed, this, [this, invocation] {
        // Destroyed before it finished: what streamed stays, marked unfinished.
        if (Live *gone = m_live.take(invocation)) {
            sendPending(*gone);
            delete gone;
        }
    });
}

void RunHistory::sendPending(Live &live)
{
    if (live.pending.isEmpty())
        return;
    QList<TimedEvent> batch = std::move(live.pending);
    live.pending = {};
    const int token = live.token;
    QMetaObject::invokeMethod(m_writer, [w = m_writer, token, batch] { w->append(token, batch); },
                              Qt::QueuedConnection);
}

void RunHistory::finishRun(Invocation *invocation)
{
    Live *live = m_live.take(invocation);
    if (!live)
        return;
    sendPending(*live);
    const InvokeResult &result = invocation->result();
    RunSummary end;
    end.invocationId = result.invocationId;
    end.botKey = live->botKey;
    end.botName = result.botName;
    end.outcome = result.cancelled ? Outcome::Cancelled : result.success ? Outcome::Succeeded : Outcome::Failed;
    end.durationMs = live->clock.elapsed();
    end.tokens = runTokens(result);
    end.error = result.error;
    end.resultText = result.visibleText();
    const int token = live->token;
    delete live;
    QMetaObject::invokeMethod(m_writer, [w = m_writer, token, end] { w->finish(token, end); }, Qt::QueuedConnection);
}

void RunHistory::keepBotFiles(int token, const QList<BotVersion> &versions, QPointer<Backend> backend,
                              const QList<QByteArray> &secrets)
{
    // 1. the writer ties the versions the history keeps already (most runs: all of them);
    // 2. for the others, the backend's listing names the file of each bot (a pool thread
    //    reads the folders); 3. the writer keeps each file that is still at the version
    //    the run recorded.
    ++m_pending;
    QMetaObject::invokeMethod(m_writer, [this, w = m_writer, token, versions, backend, secrets] {
        const QList<BotVersion> missing = w->addKeptBots(token, versions);
        QMetaObject::invokeMethod(this, [this, token, missing, backend, secrets] {
            --m_pending;
            if (missing.isEmpty() || !backend)
                return;
            ++m_pending;
            backend->listBots(this, [this, token, missing, secrets](const BotListing &listing) {
                --m_pending;
                QList<std::pair<QString, BotVersion>> files;
                for (const BotVersion &bot : missing)
                    for (const BotInfo &info : listing.bots)
                        if (info.key == bot.key && !info.sourceFile.isEmpty() && info.updatedAtText() == bot.updatedAt)
                            files.append({info.sourceFile, bot});
                if (!files.isEmpty())
                    QMetaObject::invokeMethod(m_writer, [w = m_writer, token, files, secrets] { w->addBotFiles(token, files, secrets); },
                                              Qt::QueuedConnection);
            });
        }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void RunHistory::recordFinished(RunRecord record, const QStringList &secrets)
{
    if (!secrets.isEmpty()) {
        record.request = maskedRequest(record.request, secrets);
        const QList<QByteArray> bytes = secretBytes(secrets);
        for (TimedEvent &e : record.events)
            e.event = masked(e.event, bytes);
    }
    QMetaObject::invokeMethod(m_writer, [w = m_writer, record] { w->insert(record); }, Qt::QueuedConnection);
}

void RunHistory::flush()
{
    // A plan or bot files still being read (a command about to exit): wait a little for
    // them, never longer than kFlushWaitMs; what has not come by then is not recorded.
    QElapsedTimer waited;
    waited.start();
    while (m_pending > 0 && waited.elapsed() < kFlushWaitMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    for (Live *live : std::as_const(m_live))
        sendPending(*live);
    QMetaObject::invokeMethod(m_writer, [] {}, Qt::BlockingQueuedConnection);
}

} // namespace invoke::history
