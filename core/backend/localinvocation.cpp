#include "core/backend/localinvocation.h"

#include "core/engine/actiongate.h"
#include "core/engine/actionregistry.h"
#include "core/engine/botcatalog.h"
#include "core/engine/botplanner.h"
#include "core/engine/executor.h"
#include "core/cache/openreplaycache.h"
#include "core/cache/runreplaycache.h"

#include <QtCore/QPointer>
#include <QtCore/QThread>

using namespace Qt::StringLiterals;

namespace invoke {

LocalEngineState::LocalEngineState() = default;
LocalEngineState::~LocalEngineState() = default;

LlmSettings LocalEngineState::llm() const
{
    QMutexLocker lock(&m_mutex);
    return m_llm;
}

void LocalEngineState::setLlm(const LlmSettings &settings)
{
    QMutexLocker lock(&m_mutex);
    m_llm = settings;
}

QString LocalEngineState::replayCacheUrl() const
{
    QMutexLocker lock(&m_mutex);
    return m_cacheUrl;
}

void LocalEngineState::setReplayCacheUrl(const QString &url)
{
    QMutexLocker lock(&m_mutex);
    if (url == m_cacheUrl)
        return;
    m_cacheUrl = url;
    m_cache.reset(); // running invocations keep the one they hold
    m_cacheError.clear();
}

std::shared_ptr<cache::ReplayCache> LocalEngineState::replayCache(QString *error)
{
    QMutexLocker lock(&m_mutex);
    // Tried again by every invocation until it opens: a team cache's server that was down
    // when the first run came serves the next one without a restart.
    if (!m_cache) {
        QString why;
        auto cache = cache::makeReplayCache(m_cacheUrl, &why);
        if (cache && cache->open(&why))
            m_cache = std::move(cache);
        else
            m_cacheError = u"the replay cache cannot be opened: %1"_s.arg(why); // `why` names the file or server
    }
    if (!m_cache && error)
        *error = m_cacheError;
    return m_cache;
}

LocalInvocation::LocalInvocation(std::shared_ptr<LocalEngineState> state, InvokeRequest request, QObject *parent,
                                 const QStringList &extraBotFolders)
    : Invocation(parent), m_state(std::move(state)), m_request(std::move(request)),
      m_botFolders(m_state->botFolders + extraBotFolders), m_llm(m_state->llm())
{
}

LocalInvocation::~LocalInvocation()
{
    shutdown();
}

void LocalInvocation::start()
{
    Q_ASSERT(!m_thread);
    m_thread.reset(QThread::create([this] { work(); }));
    m_thread->setObjectName(u"invoke:"_s + m_request.botKey);
    // Stated, not inherited from RLIMIT_STACK: JSON walks recurse once per level, and every
    // parse caps the depth (core/model/json/json.h) far below what 8 MiB holds.
    m_thread->setStackSize(8u << 20);
    m_thread->start();
}

void LocalInvocation::cancel()
{
    if (!isFinished())
        m_cancel.cancel(); // an in-flight llm.message aborts its request on this signal
}

void LocalInvocation::shutdown()
{
    if (!m_thread)
        return;
    m_cancel.cancel();
    m_thread->wait();
}

void LocalInvocation::work()
{
    // Read per invocation: an edited bot file runs with its new content and updated_at.
    engine::BotCatalog catalog;
    // Only the files this run needs are parsed: the bot and the sub-bots it calls.
    catalog.index(m_botFolders, m_state->botFiles.get());
    if (!catalog.find(m_request.botKey)) {
        const QString failure = engine::missingBotReason(catalog, m_request.botKey);
        QMutexLocker lock(&m_mutex);
        m_failure = failure;
        lock.unlock();
        markWorkDone();
        return;
    }

    std::shared_ptr<cache::ReplayCache> cache; // held to the run's end
    QString scope = m_state->cacheScope;
    if (m_request.mode.kind == Mode::Replay && m_request.replayEntries.is_array()) {
        // A run file's entries answer its replay in a store of their own (docs/runs.md), also
        // when it has none: its misses are then answered live into that store, never the user's.
        QString error;
        std::shared_ptr<cache::RunReplayCache> own = cache::RunReplayCache::fromJson(m_request.replayEntries, &error);
        if (!own) {
            QMutexLocker lock(&m_mutex);
            m_failure = u"replay mode: "_s + error;
            lock.unlock();
            markWorkDone();
            return;
        }
        if (!own->scope().isEmpty())
            scope = own->scope();
        cache = std::move(own);
    } else if (m_request.mode.kind == Mode::Replay) {
        QString error;
        cache = m_state->replayCache(&error);
        if (!cache) {
            QMutexLocker lock(&m_mutex);
            m_failure = u"replay mode: "_s + error;
            lock.unlock();
            markWorkDone();
            return;
        }
    }

    // Built here so that every object the actions touch belongs to this thread.
    const engine::ActionRegistry registry = engine::ActionRegistry::standard(m_llm, m_state->datasets, m_state->sandbox);
    engine::ActionGate::Options gateOptions;
    gateOptions.mode = m_request.mode;
    gateOptions.mocks = m_request.manualMocks;
    gateOptions.pinned = m_request.pinnedAnswers;
    gateOptions.cache = cache.get();
    gateOptions.cacheableTypes = m_state->cacheableTypes;
    gateOptions.scope = scope;
    gateOptions.lookupOnly = m_state->replayLookupOnly;
    engine::ActionGate gate(std::move(gateOptions));
    engine::Executor executor(catalog, registry, gate);
    const engine::ExecutionOutcome outcome =
        executor.run(m_request, [this](Event event) { enqueue(std::move(event)); }, &m_cancel);

    QMutexLocker lock(&m_mutex);
    m_outcomeStatus = outcome.status;
    lock.unlock();
    markWorkDone();
}

void LocalInvocation::enqueue(Event event)
{
    // A flush is posted only when the queue was empty: a burst of events waits for the
    // one flush already on its way and leaves as one batch.
    QMutexLocker lock(&m_mutex);
    const bool post = m_queue.isEmpty();
    m_queue.append(std::move(event));
    if (post)
        QMetaObject::invokeMethod(this, &LocalInvocation::flush, Qt::QueuedConnection);
}

void LocalInvocation::markWorkDone()
{
    QMutexLocker lock(&m_mutex);
    m_workDone = true;
    if (m_queue.isEmpty()) // otherwise the pending flush sees m_workDone
        QMetaObject::invokeMethod(this, &LocalInvocation::flush, Qt::QueuedConnection);
}

void LocalInvocation::flush()
{
    QList<Event> batch;
    bool done = false;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_queue);
        done = m_workDone;
    }
    if (!batch.isEmpty()) {
        const QPointer<LocalInvocation> alive(this);
        deliver(batch);
        if (!alive)
            return;
    }
    if (done && !isFinished())
        complete();
}

void LocalInvocation::complete()
{
    m_thread->wait(); // the worker has nothing left to do but return
    QString failure;
    QString status;
    {
        QMutexLocker lock(&m_mutex);
        failure = m_failure;
        status = m_outcomeStatus;
    }
    if (!failure.isEmpty()) {
        InvokeResult result;
        result.botKey = m_request.botKey;
        result.error = failure;
        result.result = Json{{"status", "error"}, {"output", Json{{"content", Json::array()}}},
                             {"error", toStd(failure)}};
        finish(result);
        return;
    }
    RunFold &fold = mutableFold();
    if (status == wireName(StepStatus::Cancelled))
        fold.markCancelled();
    else if (!fold.hasFinalEvent())
        fold.markFailed(u"the engine stopped without a final event"_s);
    finish(fold.result());
}

} // namespace invoke
