#pragma once
// The embedded engine behind the Backend interface: bots from folders, each invocation
// on its own worker thread, the replay cache opened once per backend.
#include "core/backend/backend.h"
#include "core/config/llmsettings.h"
#include "core/config/sandboxsettings.h"
#include "core/model/actiontypes.h"

#include <QtCore/QPointer>
#include <QtCore/QSet>

#include <memory>

namespace invoke {

class LocalInvocation;
struct LocalEngineState;
namespace engine {
class BotFileCache;
}

struct LocalBackendOptions
{
    QStringList botFolders;  // empty: engine::BotCatalog::defaultFolders()
    QString replayCacheFile; // empty: paths::replayCacheFile()
    LlmSettings llm;
    QSet<QString> cacheableTypes = {QString(ActionType::LlmMessage)};
    // Part of every replay key: invoke-server gives each organisation its own scope, so
    // one never replays another's answers from a shared cache file.
    QString cacheScope = QStringLiteral("local");
    // The parsed bot files, shared with other backends on the same folders (invoke-server
    // gives each organisation a backend, and parses each file once for all of them);
    // null: the backend's own.
    std::shared_ptr<engine::BotFileCache> botFiles;
    // Replay reads the cache only: a miss fails the step, nothing is stored (offline
    // test runs, `invoke-cli test --offline`: no call may cost or reach out).
    bool replayLookupOnly = false;
    // Datasets for memory.search and listDatasets().
    QStringList datasetFolders; // empty: datasets::DatasetCatalog::defaultFolders()
    QString datasetIndexFile;   // empty: paths::datasetIndexFile()
    // codeexec: the sandbox's size caps, and whether code may run without one.
    SandboxSettings sandbox;
};

class LocalBackend final : public Backend
{
    Q_OBJECT
public:
    using Options = LocalBackendOptions;

    explicit LocalBackend(Options options = {}, QObject *parent = nullptr);
    // Cancels and joins the invocations still running (they are owned elsewhere).
    ~LocalBackend() override;

    QString displayName() const override;
    LlmSettings llmSettings() const;
    QStringList botFolders() const;
    QString replayCacheFile() const;
    QStringList datasetFolders() const;

    // The bot files are read on a pool thread, so a slow folder never blocks the caller.
    void listBots(QObject *context, std::function<void(const BotListing &)> done) override;
    // The datasets of the dataset folders with their row counts, indexed on a pool thread
    // (once; again only when their files change). Unreadable files are in `problems`.
    void listDatasets(QObject *context, std::function<void(const DatasetListing &)> done) override;
    // From the bot folders read again on a pool thread, as invoke() reads them: the plan
    // is of the bot a run would start (the same one of two files sharing a key).
    void botPlan(const QString &key, QObject *context, std::function<void(const BotPlanResult &)> done) override;
    // memory.search's own search of the dataset folders (datasets::DatasetStore, the
    // store a run's memory.search reads) on a pool thread, indexing the dataset first
    // when its files changed.
    void searchDataset(const QString &slug, const QString &query, int limit, QObject *context,
                       std::function<void(const DatasetSearchResult &)> done) override;
    // The bot folders are read again for each invocation, so an edited bot runs with
    // its new content and updated_at.
    Invocation *invoke(const InvokeRequest &request, QObject *parent = nullptr) override;
    // `botFolders` read after the bot folders above, for this run only (a run file's bots).
    bool readsLocalBotFolders() const override { return true; }
    Invocation *invokeWithBotFolders(const InvokeRequest &request, const QStringList &botFolders,
                                     QObject *parent = nullptr) override;
    // As botPlan(), `botFolders` read after the bot folders, as invokeWithBotFolders() does.
    void botPlanWithBotFolders(const QString &key, const QStringList &botFolders, QObject *context,
                               std::function<void(const BotPlanResult &)> done) override;

public Q_SLOTS:
    // For the invocations started from now on (the studio reads the API key from the
    // keychain after start, and the user may change the provider). Running ones keep
    // the settings they started with.
    void setLlmSettings(const invoke::LlmSettings &settings);
    // The replay cache of the invocations started from now on: a file or a cache URL
    // (core/cache/cacheurl.h; empty: paths::replayCacheFile()). The studio sets its saved
    // team cache's URL once the keychain has given the password (localcachesetting.h).
    // Running ones keep the cache they opened.
    void setReplayCacheUrl(const QString &url);

private:
    std::shared_ptr<LocalEngineState> m_state;
    QList<QPointer<LocalInvocation>> m_invocations;
};

} // namespace invoke
