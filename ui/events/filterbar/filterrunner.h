#pragma once
// Runs a display filter over a snapshot of the event list on a worker thread, so that a
// filter over a million events never holds the GUI thread (docs/filters.md). Starting a
// job cancels the one before: typing drops the work for the text it replaced.
#include "core/filter/filter.h"
#include "ui/events/eventsnapshot.h"

#include <QtCore/QObject>
#include <QtCore/QThreadPool>

#include <atomic>
#include <memory>
#include <vector>

namespace invoke::ui {

class FilterRunner : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        quint64 job = 0;
        filter::Filter filter;
        int from = 0; // the rows evaluated: [from, to)
        int to = 0;
        std::vector<int> rows;          // the matching rows, ascending
        std::vector<quint32> pathIds;   // the snapshot's path ids of the matching rows, each once
        filter::MatchProblem problem;   // set: stopped at a too costly match, rows incomplete
        qint64 elapsedMs = 0;
    };

    explicit FilterRunner(QObject *parent = nullptr);
    ~FilterRunner() override;

    // Evaluates `filter` over rows [from, snapshot.rowCount()); cancels the running job.
    // Returns the job's number, which finished() carries.
    quint64 start(const filter::Filter &filter, EventSnapshot snapshot, int from);
    void cancel();
    bool isRunning() const { return m_running != 0; }
    quint64 currentJob() const { return m_job; }

signals:
    // Only for the newest job, on the runner's thread; a cancelled job never reports.
    void finished(const invoke::ui::FilterRunner::Result &result);
    void progress(quint64 job, int done, int total);

private:
    QThreadPool m_pool;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    quint64 m_job = 0;
    quint64 m_running = 0; // the job that has not reported yet, 0 when none
};

} // namespace invoke::ui

Q_DECLARE_METATYPE(invoke::ui::FilterRunner::Result)
