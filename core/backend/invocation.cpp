#include "core/backend/invocation.h"

namespace invoke {

void Invocation::finish(const InvokeResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_result = result;
    Q_EMIT finished(m_result);
}

} // namespace invoke
