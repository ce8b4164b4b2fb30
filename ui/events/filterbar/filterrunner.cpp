#include "ui/events/filterbar/filterrunner.h"

#include <QtCore/QElapsedTimer>

#include <unordered_set>

namespace invoke::ui {

namespace {

constexpr int kCheckEvery = 2048; // rows between progress reports

} // namespace

FilterRunner::FilterRunner(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Result>();
    m_pool.setMaxThreadCount(1); // one job at a time; a new one waits for the old to see its flag
}

FilterRunner::~FilterRunner()
{
    cancel();
    m_pool.waitForDone();
}

void FilterRunner::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
    m_cancel.reset();
    m_running = 0;
}

quint64 FilterRunner::start(const filter::Filter &filter, EventSnapshot snapshot, int from)
{
    cancel();
    const quint64 job = ++m_job;
    m_running = job;
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancelled;
    m_pool.start([this, job, cancelled, filter, snapshot = std::move(snapshot), from] {
        QElapsedTimer timer;
        timer.start();
        Result result;
        result.job = job;
        result.filter = filter;
        result.from = from;
        result.to = snapshot.rowCount();
        std::unordered_set<quint32> seenPaths;
        const int total = result.to - from;
        for (int row = from; row < result.to; ++row) {
            // Every row: a pattern may cost milliseconds an event, and the next job waits.
            if (cancelled->load(std::memory_order_relaxed))
                return;
            if ((row - from) % kCheckEvery == 0 && row > from)
                emit progress(job, row - from, total); // queued to the runner's thread
            if (filter.matches(snapshot.record(row), &result.problem)) {
                result.rows.push_back(row);
                const quint32 pathId = snapshot.pathIdAt(row);
                if (pathId != 0 && seenPaths.insert(pathId).second)
                    result.pathIds.push_back(pathId);
            }
            if (result.problem.isSet()) // a pattern too costly: stop, say so
                break;
        }
        result.elapsedMs = timer.elapsed();
        QMetaObject::invokeMethod(this, [this, cancelled, result = std::move(result)] {
            if (cancelled->load() || result.job != m_job)
                return;
            m_running = 0;
            emit finished(result);
        }, Qt::QueuedConnection);
    });
    return job;
}

} // namespace invoke::ui
