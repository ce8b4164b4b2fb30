// Dataset indexing and search at scale (issue 15), run by hand:
//   build/bin/bench_datasets [--rows 10000,100000,1000000] [--dir DIR] [--search-only]
// For each size it writes a CSV (about 180 bytes a row: an id, a name, a city and a note
// of words drawn from a 20,000-word vocabulary with a Zipf-like skew), then in a child
// process of its own indexes it with DatasetStore::list() and reports rows/s and the
// growth of the peak resident memory (VmHWM) over the process's size before indexing.
// For the largest size it then times memory.search (DatasetStore::search, limit 10) over
// 100 queries of one to three words drawn from the data: p50 and p99.
#include "core/datasets/datasetstore.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRandomGenerator>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

qint64 statusKb(const char *field)
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

QByteArray word(quint32 i)
{
    static const char *syllables[] = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "vo", "pe", "du", "an", "el", "or", "is", "um", "ze"};
    QByteArray w;
    do {
        w += syllables[i % 16];
        i /= 16;
    } while (i > 0);
    return w;
}

// Zipf-like: small indexes far more often than large ones.
quint32 skewed(QRandomGenerator &rng, quint32 n)
{
    const double u = rng.generateDouble();
    return quint32(std::pow(double(n), u)) - 1;
}

void writeCsv(const QString &path, int rows)
{
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    QRandomGenerator rng(42);
    QByteArray out = "id,name,city,note\n";
    for (int r = 1; r <= rows; ++r) {
        out += QByteArray::number(r) + ',' + word(skewed(rng, 20000)) + ' ' + word(skewed(rng, 20000)) + ','
            + word(skewed(rng, 500)) + ",\"";
        const int words = 18 + int(rng.bounded(8));
        for (int w = 0; w < words; ++w)
            out += (w ? " " : "") + word(skewed(rng, 20000));
        out += "\"\n";
        if (out.size() > (1 << 20)) {
            f.write(out);
            out.clear();
        }
    }
    f.write(out);
}

int indexChild(const QString &folder, const QString &indexFile)
{
    const qint64 before = statusKb("VmRSS:");
    datasets::DatasetStore store({folder}, indexFile);
    QElapsedTimer timer;
    timer.start();
    const DatasetListing listing = store.list();
    const double seconds = timer.nsecsElapsed() / 1e9;
    if (!listing.error.isEmpty() || listing.datasets.size() != 1) {
        std::fprintf(stderr, "indexing failed: %s\n", qPrintable(listing.error));
        return 1;
    }
    const qint64 rows = listing.datasets.first().size;
    std::printf("%lld %.3f %lld\n", rows, seconds, (statusKb("VmHWM:") - before) / 1024);
    return 0;
}

QStringList queriesFrom(const QString &csv, int count)
{
    QFile f(csv);
    f.open(QIODevice::ReadOnly);
    f.readLine();
    QList<QByteArray> lines;
    for (int i = 0; i < 20000 && !f.atEnd(); ++i)
        lines.append(f.readLine());
    QRandomGenerator rng(7);
    QStringList queries;
    while (queries.size() < count) {
        const QByteArray line = lines.at(rng.bounded(int(lines.size())));
        const QList<QByteArray> words = line.mid(line.indexOf('"') + 1).chopped(2).split(' ');
        const int n = 1 + int(rng.bounded(3));
        QStringList q;
        for (int i = 0; i < n; ++i)
            q.append(QString::fromUtf8(words.at(rng.bounded(int(words.size())))));
        queries.append(q.join(u' '));
    }
    return queries;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCommandLineParser parser;
    parser.addOption({u"rows"_s, u"sizes"_s, u"LIST"_s, u"10000,100000,1000000"_s});
    parser.addOption({u"dir"_s, u"work folder"_s, u"DIR"_s});
    parser.addOption({u"index-child"_s, u"internal"_s, u"FOLDER"_s});
    parser.addOption({u"index-file"_s, u"internal"_s, u"FILE"_s});
    // Times the search again over the files and index a run with the same --dir left.
    parser.addOption({u"search-only"_s, u"search the largest size's index kept in --dir"_s});
    parser.process(app);
    if (parser.isSet(u"index-child"_s))
        return indexChild(parser.value(u"index-child"_s), parser.value(u"index-file"_s));

    QTemporaryDir scratch;
    const QString dir = parser.isSet(u"dir"_s) ? parser.value(u"dir"_s) : scratch.path();
    QString largestFolder, largestIndex, largestCsv;
    std::printf("%-10s %10s %10s %12s %14s\n", "rows", "MB", "seconds", "rows/s", "peak growth MB");
    for (const QString &size : parser.value(u"rows"_s).split(u',')) {
        const int rows = size.toInt();
        const QString folder = dir + u"/rows"_s + size;
        if (parser.isSet(u"search-only"_s)) {
            largestFolder = folder;
            largestIndex = dir + u"/index"_s + size + u".sqlite"_s;
            largestCsv = folder + u"/data.csv"_s;
            continue;
        }
        QDir(folder).removeRecursively();
        QDir().mkpath(folder);
        const QString csv = folder + u"/data.csv"_s;
        writeCsv(csv, rows);
        const QString indexFile = dir + u"/index"_s + size + u".sqlite"_s;
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
            QFile::remove(indexFile + suffix);
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(app.applicationFilePath(), {u"--index-child"_s, folder, u"--index-file"_s, indexFile});
        child.waitForFinished(-1);
        const QList<QByteArray> out = child.readAllStandardOutput().trimmed().split(' ');
        if (child.exitCode() != 0 || out.size() != 3)
            return 1;
        const double seconds = out.at(1).toDouble();
        std::printf("%-10d %10.1f %10.2f %12.0f %14lld\n", rows, QFileInfo(csv).size() / 1048576.0, seconds,
                    out.at(0).toDouble() / seconds, out.at(2).toLongLong());
        std::fflush(stdout);
        largestFolder = folder;
        largestIndex = indexFile;
        largestCsv = csv;
    }

    datasets::DatasetStore store({largestFolder}, largestIndex);
    const QStringList queries = queriesFrom(largestCsv, 100);
    QString error;
    store.search({u"data"_s}, queries.first(), 10, &error); // opens the index once
    QList<double> ms;
    QList<std::pair<double, QString>> slowest;
    int hits = 0;
    for (const QString &q : queries) {
        QElapsedTimer t;
        t.start();
        const auto found = store.search({u"data"_s}, q, 10, &error);
        ms.append(t.nsecsElapsed() / 1e6);
        slowest.append({ms.last(), q});
        if (!found) {
            std::fprintf(stderr, "search failed: %s\n", qPrintable(error));
            return 1;
        }
        hits += int(found->size());
    }
    // What every search costs before it ranks: the folder scanned, the index opened and
    // checked against the files.
    QList<double> nothing;
    for (int i = 0; i < 20; ++i) {
        QElapsedTimer t;
        t.start();
        store.search({u"data"_s}, u"qqqqqqqq"_s, 10, &error);
        nothing.append(t.nsecsElapsed() / 1e6);
    }
    std::sort(nothing.begin(), nothing.end());
    std::printf("a search that finds nothing: median %.2f ms\n", nothing.at(nothing.size() / 2));
    std::sort(ms.begin(), ms.end());
    std::sort(slowest.begin(), slowest.end(), std::greater<>());
    for (qsizetype i = 0; i < std::min<qsizetype>(3, slowest.size()); ++i)
        std::printf("  slow: %.2f ms \"%s\"\n", slowest[i].first, qPrintable(slowest[i].second));
    std::printf("memory.search over %s rows, %lld queries of 1-3 words, limit 10 (%d hits): p50 %.2f ms, p99 %.2f "
                "ms, max %.2f ms\n",
                qPrintable(parser.value(u"rows"_s).split(u',').last()), qint64(ms.size()), hits, ms.at(ms.size() / 2),
                ms.at(ms.size() * 99 / 100), ms.last());
    return 0;
}
