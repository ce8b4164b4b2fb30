#include "app/server/http/freedmemory.h"

#include <QtCore/QTimer>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace invoke::server {

namespace {
constexpr int kTrimDelayMs = 1000;
// Held free and not yet returned: below this a trim is not worth its walk of the heaps.
constexpr size_t kWorthTrimmingBytes = 8 * 1024 * 1024;
} // namespace

FreedMemory::FreedMemory(QObject *parent) : QObject(parent), m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(kTrimDelayMs);
    connect(m_timer, &QTimer::timeout, this, &FreedMemory::trimIfWorthIt);
}

void FreedMemory::connectionClosed()
{
    if (!m_timer->isActive()) // not restarted: steady churn still trims once a second
        m_timer->start();
}

void FreedMemory::trimIfWorthIt()
{
#if defined(__GLIBC__)
    const struct mallinfo2 info = ::mallinfo2();
    if (info.fordblks >= kWorthTrimmingBytes)
        ::malloc_trim(0);
#endif
}

} // namespace invoke::server
