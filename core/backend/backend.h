#pragma once
#include "core/model/botinfo.h"
#include "core/model/botplan.h"
#include "core/model/dataset/datasetinfo.h"
#include "core/model/dataset/datasetsearch.h"
#include "core/model/invocation/invokerequest.h"

#include <QtCore/QObject>

#include <functional>

namespace invoke {

class Invocation;

// Where bots run: the embedded engine (LocalBackend) or a server (RemoteBackend).
// Every call is asynchronous; callbacks run on the caller's thread, and never after
// `context` is destroyed.
class Backend : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual QString displayName() const = 0;

    virtual void listBots(QObject *context, std::function<void(const BotListing &)> done) = 0;
    virtual void listDatasets(QObject *context, std::function<void(const DatasetListing &)> done) = 0;
    // The steps a run of bot `key` may reach, in walk order (core/model/botplan.h), read
    // from the same place a run of it would be: what the mock tools check a set against.
    virtual void botPlan(const QString &key, QObject *context, std::function<void(const BotPlanResult &)> done) = 0;
    // What memory.search answers in a run for `query` over the dataset `slug`, read from
    // the index a run would read: the same ranking, scores, snippets and limit
    // (DatasetSearchResult::toJson() is the step's output, {"memories": [...]}). `limit`
    // is memory.search's: DatasetSearchDefaultLimit unless the caller picks another, from
    // 1 to DatasetSearchMaxLimit (outside: a BadRequest result). An unknown slug is an
    // UnknownDataset result. This default answers that the backend cannot search.
    virtual void searchDataset(const QString &slug, const QString &query, int limit, QObject *context,
                               std::function<void(const DatasetSearchResult &)> done);

    // Starts an invocation owned by `parent` (or by the caller, when null).
    virtual Invocation *invoke(const InvokeRequest &request, QObject *parent = nullptr) = 0;

    // Whether invokeWithBotFolders() reads the folders it is given: the embedded engine
    // does; a server cannot load bot files from this machine.
    virtual bool readsLocalBotFolders() const { return false; }
    // Starts an invocation that also reads the bot files in `botFolders`, for this run
    // only, after the backend's own bots folders: a bot there wins over one of the same
    // key in them, as a later folder does (a run file's bots, docs/runs.md "Re-running a
    // run file"). A backend that cannot (readsLocalBotFolders() false) runs its own bots:
    // this default is invoke(); the caller says so to the user.
    virtual Invocation *invokeWithBotFolders(const InvokeRequest &request, const QStringList &botFolders,
                                             QObject *parent = nullptr);
    // The plan of bot `key` as a run of invokeWithBotFolders() with `botFolders` reads it
    // (the run history keeps a run file's re-run with its own bots' plan). This default,
    // for a backend that cannot read them: botPlan().
    virtual void botPlanWithBotFolders(const QString &key, const QStringList &botFolders, QObject *context,
                                       std::function<void(const BotPlanResult &)> done);

    // Strings that must never leave in a file made from this backend's runs (a mock set):
    // a server profile's token. The LLM key is the caller's to add.
    virtual QStringList secrets() const { return {}; }
};

} // namespace invoke
