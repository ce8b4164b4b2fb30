#pragma once
// The table bench_scaling prints: for each path, its cost at each size and the slope of
// log(cost) over log(size) (least squares), the figure the target is stated in
// (issue 19: every slope <= 1.15). Header-only, as tests/bench builds one program per
// bench_*.cpp.
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QSysInfo>
#include <QtCore/QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

namespace invoke::bench {

struct Series
{
    QString path;        // what was measured
    QString sizeUnit;    // "steps", "entries", "MB", ...
    QString costUnit;    // "ms", "MB RSS"
    QList<double> sizes;
    QList<double> costs;
    QString note;
};

// Least-squares slope of log(cost) over log(size); NaN with fewer than two usable points.
inline double logLogSlope(const QList<double> &sizes, const QList<double> &costs)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (qsizetype i = 0; i < sizes.size() && i < costs.size(); ++i) {
        if (sizes[i] <= 0 || costs[i] <= 0)
            continue;
        const double x = std::log(sizes[i]);
        const double y = std::log(costs[i]);
        sx += x, sy += y, sxx += x * x, sxy += x * y;
        ++n;
    }
    const double d = n * sxx - sx * sx;
    return n < 2 || d == 0 ? std::nan("") : (n * sxy - sx * sy) / d;
}

// The fastest of `repeats` runs, in milliseconds: on a shared 2-core machine the other
// runs mostly measure the neighbours.
inline double bestMs(int repeats, const std::function<void()> &run)
{
    double best = 1e300;
    for (int i = 0; i < repeats; ++i) {
        QElapsedTimer clock;
        clock.start();
        run();
        best = std::min(best, clock.nsecsElapsed() / 1e6);
    }
    return best;
}

inline QString sizeText(double size)
{
    if (size >= 1e6 && std::fmod(size, 1e6) == 0)
        return QString::number(size / 1e6) + QStringLiteral("M");
    if (size >= 1e3 && std::fmod(size, 1e3) == 0)
        return QString::number(size / 1e3) + QStringLiteral("k");
    return QString::number(size);
}

inline QString machineText()
{
    QString cpu;
    QFile info(QStringLiteral("/proc/cpuinfo"));
    if (info.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : info.readAll().split('\n')) {
            if (line.startsWith("model name")) {
                cpu = QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
                break;
            }
        }
    }
    return QStringLiteral("%1, %2 cores, %3, Qt %4")
        .arg(cpu.isEmpty() ? QSysInfo::currentCpuArchitecture() : cpu)
        .arg(QThread::idealThreadCount())
        .arg(QSysInfo::prettyProductName(), QString::fromLatin1(qVersion()));
}

// A Markdown table, so that docs/performance.md can take it as printed.
inline void printTable(const QList<Series> &table)
{
    std::printf("\n| path | sizes | cost at each size | slope | note |\n|---|---|---|---|---|\n");
    for (const Series &s : table) {
        QStringList sizes, costs;
        for (const double size : s.sizes)
            sizes.append(sizeText(size));
        for (const double cost : s.costs)
            costs.append(cost >= 100 ? QString::number(cost, 'f', 0) : QString::number(cost, 'g', 3));
        const double slope = logLogSlope(s.sizes, s.costs);
        std::printf("| %s | %s %s | %s %s | %s | %s |\n", qPrintable(s.path), qPrintable(sizes.join(u" / ")),
                    qPrintable(s.sizeUnit), qPrintable(costs.join(u" / ")), qPrintable(s.costUnit),
                    std::isnan(slope) ? "-" : qPrintable(QString::number(slope, 'f', 2)), qPrintable(s.note));
    }
    std::fflush(stdout);
}

// One line as soon as a path is measured, so a long run shows its progress.
inline void printProgress(const Series &s)
{
    const double slope = logLogSlope(s.sizes, s.costs);
    std::fprintf(stderr, "%-40s slope %s\n", qPrintable(s.path),
                 std::isnan(slope) ? "-" : qPrintable(QString::number(slope, 'f', 2)));
}

} // namespace invoke::bench
