#pragma once
// Indexing progress of invoke-cli datasets search on stderr. On a terminal, one line
// redrawn at most ten times a second ("indexing ships: 42% (420,000 rows)") and erased
// when indexing ends; otherwise (a log, a pipe) one line when a large dataset starts
// indexing, so the wait has a reason, and nothing for a small one.
#include "core/datasets/datasetstore.h"

#include <QtCore/QElapsedTimer>

namespace invoke::cli {

class IndexProgressPrinter
{
public:
    // Datasets from this many bytes on say so when stderr is not a terminal.
    static constexpr qint64 LargeBytes = qint64(16) << 20;

    IndexProgressPrinter();
    ~IndexProgressPrinter(); // erases the terminal's line

    datasets::IndexProgressFn callback();

private:
    void report(const datasets::IndexProgress &progress);

    bool m_terminal;
    bool m_announced = false;
    bool m_drawn = false;
    QElapsedTimer m_lastDraw;
};

} // namespace invoke::cli
