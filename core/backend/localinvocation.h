#pragma once
// One invocation of the embedded engine: the Executor on a worker thread, its events
// handed to the owner's thread in batches.
#include "core/backend/invocation.h"
#include "core/config/llmsettings.h"
#include "core/config/sandboxsettings.h"
#include "core/engine/action.h"
#include "core/engine/botcatalog.h"
#include "core/model/invocation/invokerequest.h"

#include <QtCore/QMutex>
#include <QtCore/QSet>

#include <memory>

class QThread;

namespace invoke {

namespace cache {
class ReplayCache;
}
namespace datasets {
class DatasetStore;
}

// What a LocalBackend and its invocations share; safe to use from any thread. It
// outlives the backend while an invocation still holds it.
struct LocalEngineState
{
    QStringList botFolders;
    QSet<QString> cacheableTypes;
    QString cacheScope;
    bool replayLookupOnly = false;
    SandboxSettings sandbox;
    // Unchanged bot files are not parsed again per invocation; never null.
    std::shared_ptr<engine::BotFileCache> botFiles;
    std::shared_ptr<const datasets::DatasetStore> datasets; // never null

    // The LLM settings can change while invocations run (a key read from the keychain
    // after start): each invocation takes a copy when it is created.
    LlmSettings llm() const;
    void setLlm(const LlmSettings &settings);

    // The replay cache, opened on first use and then kept; nullptr with `error` when it
    // cannot be opened (tried again on the next call). A run holds it to its end, so a
    // new URL (setReplayCacheUrl) never closes a cache under a running step.
    std::shared_ptr<cache::ReplayCache> replayCache(QString *error);
    QString replayCacheUrl() const;
    // From the next replayCache() on, the cache at `url` (a file or a cache URL).
    void setReplayCacheUrl(const QString &url);

    LocalEngineState();
    ~LocalEngineState();

private:
    mutable QMutex m_mutex;
    LlmSettings m_llm;
    QString m_cacheUrl; // a file or a cache URL (core/cache/cacheurl.h)
    std::shared_ptr<cache::ReplayCache> m_cache;
    QString m_cacheError;
};

class LocalInvocation final : public Invocation
{
    Q_OBJECT
public:
    // `extraBotFolders` are read after the backend's own, for this run only (LocalBackend::invokeWithBotFolders).
    LocalInvocation(std::shared_ptr<LocalEngineState> state, InvokeRequest request, QObject *parent = nullptr,
                    const QStringList &extraBotFolders = {});
    // Cancels the run and waits for the worker thread; nothing is delivered afterwards.
    ~LocalInvocation() override;

    void start();
    void cancel() override;
    // Cancels and joins the worker without deleting the invocation (LocalBackend's
    // destructor): finished() still comes from the event loop if it is running.
    void shutdown();

private:
    void work();                // worker thread
    void enqueue(Event event);  // worker thread
    void markWorkDone();        // worker thread
    void flush();               // owner thread
    void complete();            // owner thread

    std::shared_ptr<LocalEngineState> m_state;
    const InvokeRequest m_request;
    const QStringList m_botFolders; // the backend's, then this run's own
    const LlmSettings m_llm;
    engine::CancelToken m_cancel;
    std::unique_ptr<QThread> m_thread;

    QMutex m_mutex; // guards the members below, written by the worker
    QList<Event> m_queue;
    bool m_workDone = false;
    QString m_failure;         // the run could not start (unknown bot, no cache): no events
    QString m_outcomeStatus;   // the executor's final status
};

} // namespace invoke
