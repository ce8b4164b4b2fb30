#include "app/cli/runs/clihistory.h"

#include "app/cli/console.h"

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {
bool g_historyEnabled = true;
}

void setHistoryEnabled(bool enabled)
{
    g_historyEnabled = enabled;
}

bool historyEnabled()
{
    return g_historyEnabled;
}

std::unique_ptr<history::RunHistory> openRunHistory()
{
    if (!g_historyEnabled)
        return nullptr;
    return std::make_unique<history::RunHistory>();
}

QString profileName(const RemoteTarget &target)
{
    if (!target.profile.isEmpty())
        return target.profile;
    if (!target.endpoint.isEmpty())
        return target.endpoint;
    return u"Embedded"_s;
}

RecordedRun::RecordedRun(Invocation *invocation, const InvokeRequest &request, const RemoteTarget &target,
                         Backend &backend, const QStringList &secrets)
    : m_history(openRunHistory())
{
    if (m_history)
        m_history->record(invocation, request, {profileName(target), secrets, &backend});
}

RecordedRun::~RecordedRun()
{
    if (!m_history)
        return;
    m_history->flush();
    if (const QString why = m_history->unavailableReason(); !why.isEmpty())
        printErr(u"note: the run was not recorded in the history: %1\n"_s.arg(why));
}

} // namespace invoke::cli
