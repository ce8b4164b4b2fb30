#pragma once
// The run history as invoke-cli records into it (docs/runs.md): every `invoke` run, unless
// --no-history (any command) turns it off.
#include "app/cli/remotetarget.h"
#include "core/history/runhistory.h"

#include <memory>

namespace invoke::cli {

void setHistoryEnabled(bool enabled);
bool historyEnabled();

// The history to record into, or null when turned off.
std::unique_ptr<history::RunHistory> openRunHistory();
// Where a run goes, as the history names it: "Embedded", the profile's name, the endpoint.
QString profileName(const RemoteTarget &target);

// Records one invocation into a history of its own, written before this goes away; a
// history that cannot be used is said once on stderr and never fails the run.
class RecordedRun
{
public:
    RecordedRun(Invocation *invocation, const InvokeRequest &request, const RemoteTarget &target, Backend &backend,
                const QStringList &secrets);
    ~RecordedRun();

private:
    std::unique_ptr<history::RunHistory> m_history;
};

} // namespace invoke::cli
