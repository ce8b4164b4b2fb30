#pragma once
// The plans of a server's bots kept on this machine (GET /bots/{key}/plan answers) in the
// user's cache folder, one file per endpoint, bot key and plan version, so that a run's
// history (core/history/runhistory.cpp records the bot's plan and updated_at with every
// run) does not ask the server for the plan again on every run: an invoke answer names the
// version of the bot's plan, sub-bots included (Invoke-Plan-Version, docs/server.md,
// core/wire/planversion.h), and a plan kept under that version is the one the server
// would answer. A file is used only when it reads back as a plan of that bot whose own
// version is the one asked for: a damaged, forged or too large file never is.
//
// Trimmed after each store, least recently used first (a use touches the file's time):
// at most versionsPerBot versions per endpoint and bot, and maxFiles files and
// maxBytes bytes in all. A trimmed plan is asked for again if ever needed.
#include "core/model/botplan.h"

#include <QtCore/QString>

#include <optional>

namespace invoke {

// How much the kept plans may hold (RemotePlanCache trims to it, least recently used first).
struct RemotePlanCacheLimits
{
    int versionsPerBot = 3;             // of one bot at one endpoint
    int maxFiles = 1000;                // in the folder
    qint64 maxBytes = qint64(32) << 20; // in the folder
};

class RemotePlanCache
{
public:
    static constexpr qint64 kMaxPlanBytes = qint64(4) << 20; // a larger plan is not kept

    using Limits = RemotePlanCacheLimits;

    // `folder` empty: <CacheLocation>/remote-plans.
    explicit RemotePlanCache(QString folder = {}, Limits limits = {});

    QString folder() const { return m_folder; }
    const Limits &limits() const { return m_limits; }
    // The plan kept for bot `key` of `endpoint` whose version is `version`, or nullopt.
    std::optional<BotPlan> find(const QString &endpoint, const QString &key, const QString &version) const;
    // Whether any plan of bot `key` of `endpoint` is kept (of whatever version).
    bool holdsAny(const QString &endpoint, const QString &key) const;
    // Keeps `body`, a GET /bots/{key}/plan answer that read as `plan`, under the plan's
    // version, written atomically; then trims the folder. False when it could not be
    // written (the next run asks the server again).
    bool store(const QString &endpoint, const QString &key, const BotPlan &plan, const QByteArray &body) const;

private:
    QString botPrefix(const QString &endpoint, const QString &key) const;
    void trim(const QString &prefix, const QString &kept) const;

    QString m_folder;
    Limits m_limits;
};

} // namespace invoke
