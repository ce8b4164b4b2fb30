#include "app/cli/datasets/indexprogress.h"

#include "app/cli/console.h"

#include <QtCore/QLocale>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace invoke::cli {

IndexProgressPrinter::IndexProgressPrinter() : m_terminal(::isatty(STDERR_FILENO) == 1) {}

IndexProgressPrinter::~IndexProgressPrinter()
{
    if (m_drawn)
        printErr(u"\r\033[K"_s);
}

datasets::IndexProgressFn IndexProgressPrinter::callback()
{
    return [this](const datasets::IndexProgress &progress) {
        report(progress);
        return true; // Ctrl+C ends the process; the index keeps what it had (datasetindex.h)
    };
}

void IndexProgressPrinter::report(const datasets::IndexProgress &progress)
{
    const QLocale english(QLocale::English);
    if (!m_terminal) {
        if (!m_announced && progress.bytesTotal >= LargeBytes) {
            m_announced = true;
            printErr(u"indexing the dataset \"%1\" (%2 MB) before the search...\n"_s.arg(progress.slug).arg(
                progress.bytesTotal >> 20));
        }
        return;
    }
    if (m_drawn && m_lastDraw.isValid() && m_lastDraw.elapsed() < 100)
        return;
    m_lastDraw.start();
    m_drawn = true;
    const int percent = progress.bytesTotal > 0 ? int(progress.bytesDone * 100 / progress.bytesTotal) : 0;
    printErr(u"\r\033[Kindexing %1: %2% (%3 rows)"_s.arg(progress.slug).arg(percent).arg(
        english.toString(progress.rows)));
}

} // namespace invoke::cli
