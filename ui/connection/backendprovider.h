#pragma once
// The backend the studio window talks to, switchable at run time: the embedded engine
// (always there, not owned) or a server (owned, replaced on each switch). Itself a
// Backend, so the window and its RunController keep one pointer and never learn which
// profile is current. A listing, plan or dataset search asked of a backend that has
// since been switched away is dropped: the switch lists again (backendChanged), and a
// search preview asks again then.
#include "core/backend/backend.h"

#include <memory>

namespace invoke::ui {

class BackendProvider : public Backend
{
    Q_OBJECT
public:
    explicit BackendProvider(Backend *embedded, QObject *parent = nullptr);
    ~BackendProvider() override;

    Backend *current() const { return m_remote ? m_remote.get() : m_embedded; }
    Backend *embedded() const { return m_embedded; }
    bool isEmbedded() const { return !m_remote; }

    void useEmbedded();
    // Invocations still running on the previous server finish on their own.
    void useRemote(std::unique_ptr<Backend> backend);

    QString displayName() const override;
    void listBots(QObject *context, std::function<void(const BotListing &)> done) override;
    void listDatasets(QObject *context, std::function<void(const DatasetListing &)> done) override;
    void botPlan(const QString &key, QObject *context, std::function<void(const BotPlanResult &)> done) override;
    void searchDataset(const QString &slug, const QString &query, int limit, QObject *context,
                       std::function<void(const DatasetSearchResult &)> done) override;
    Invocation *invoke(const InvokeRequest &request, QObject *parent = nullptr) override;
    bool readsLocalBotFolders() const override { return current()->readsLocalBotFolders(); }
    Invocation *invokeWithBotFolders(const InvokeRequest &request, const QStringList &botFolders,
                                     QObject *parent = nullptr) override;
    void botPlanWithBotFolders(const QString &key, const QStringList &botFolders, QObject *context,
                               std::function<void(const BotPlanResult &)> done) override;
    QStringList secrets() const override { return current()->secrets(); }

Q_SIGNALS:
    void backendChanged();

private:
    Backend *m_embedded;
    std::unique_ptr<Backend> m_remote;
    quint64 m_generation = 0;
};

} // namespace invoke::ui
