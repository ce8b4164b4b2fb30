#pragma once
// The plans of a server's bots kept on this machine (GET /bots/{key}/plan answers), one
// file per endpoint and bot key in the user's cache folder, so that a run's history
// (core/history/runhistory.cpp records the bot's plan and updated_at with every run) does
// not ask the server for the plan again on every run: an invoke answer names the bot's
// version (the Invoke-Bot-Updated-At header, app/server/invokeserver.cpp), and a plan
// kept for that version is the one the server would answer. A file that does not read
// back as a plan of that bot (damaged, of another version, too large) is never used.
#include "core/model/botplan.h"

#include <QtCore/QString>

#include <optional>

namespace invoke {

class RemotePlanCache
{
public:
    static constexpr qint64 kMaxPlanBytes = qint64(4) << 20; // a larger plan is not kept

    // `folder` empty: <CacheLocation>/remote-plans.
    explicit RemotePlanCache(QString folder = {});

    QString folder() const { return m_folder; }
    // The plan kept for bot `key` of `endpoint` (whatever its version), or nullopt.
    std::optional<BotPlan> find(const QString &endpoint, const QString &key) const;
    // Keeps `body` (a GET /bots/{key}/plan answer that read as `plan`), written atomically;
    // false when it could not be written (the next run asks the server again).
    bool store(const QString &endpoint, const QString &key, const QByteArray &body) const;

private:
    QString fileFor(const QString &endpoint, const QString &key) const;

    QString m_folder;
};

} // namespace invoke
