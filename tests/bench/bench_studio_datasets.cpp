// The studio's dataset table at scale (issue 15, "open the 1M-row table"), run by hand:
//   QT_QPA_PLATFORM=offscreen build/bin/bench_studio_datasets [--rows 1000000] [--dir DIR]
// Writes a CSV of about 180 bytes a row (id, name, city, a note of words), then opens it
// as the workspace does (ui/datasets DatasetTableModel in a QTableView, through the sort
// and filter view) and reports, each the median of 3 opens:
//  - open: from creating the model to the first screen of rows painted (the time a user
//    waits to see the table), and to the whole file's rows known (the worker's index);
//  - scroll: reading a screen of 40 rows at 200 random places once the file is read
//    (p50, p99; each a cold read of the file at that place);
//  - filter and sort over every row (the view's sliced scan, then the sort thread);
//  - save after one edit (the file written again by streaming).
// The figures of a run on the 2-core CI machine are in docs/datasets.md.
#include "ui/datasets/datasettablemodel.h"
#include "ui/datasets/datasetviewproxy.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTemporaryDir>
#include <QtWidgets/QApplication>
#include <QtWidgets/QTableView>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace invoke::ui;

namespace {

QByteArray word(quint32 i)
{
    static const char *syllables[] = {"ka", "lo", "mi", "ren", "to", "sa", "vel", "dor", "ni", "que", "bra", "zu"};
    QByteArray w;
    do {
        w += syllables[i % 12];
        i /= 12;
    } while (i > 0);
    return w;
}

void writeCsv(const QString &path, qint64 rows)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    QRandomGenerator random(15);
    QByteArray block = "id,name,city,note\n";
    for (qint64 i = 0; i < rows; ++i) {
        block += QByteArray::number(i) + ',' + word(random.bounded(5000)) + ' ' + word(random.bounded(5000)) + ','
            + word(random.bounded(300)) + ",\"";
        for (int w = 0; w < 18; ++w) {
            const quint32 r = random.bounded(20000u);
            block += word(r * r / 20000) + (w == 17 ? "" : " ");
        }
        block += "\"\n";
        if (block.size() > (4 << 20)) {
            f.write(block);
            block.clear();
        }
    }
    f.write(block);
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

void waitFor(const std::function<bool()> &done)
{
    while (!done())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({u"rows"_s, u"rows"_s, u"N"_s, u"1000000"_s});
    parser.addOption({u"dir"_s, u"folder for the CSV (default: a temporary one)"_s, u"DIR"_s});
    parser.process(app);
    QTemporaryDir temp;
    const QString dir = parser.isSet(u"dir"_s) ? parser.value(u"dir"_s) : temp.path();
    const qint64 rows = parser.value(u"rows"_s).toLongLong();
    const QString path = QDir(dir).filePath(u"table.csv"_s);
    writeCsv(path, rows);
    std::printf("%lld rows, %.1f MB\n", rows, double(QFileInfo(path).size()) / 1e6);

    std::vector<double> firstScreen, whole;
    for (int round = 0; round < 3; ++round) {
        QTableView view;
        view.resize(1200, 900);
        view.show();
        QElapsedTimer timer;
        timer.start();
        auto *model = new DatasetTableModel(path);
        DatasetViewProxy proxy;
        proxy.setSourceModel(model);
        view.setModel(&proxy);
        waitFor([&] { return proxy.rowCount() > 40; });
        view.repaint(); // paints the first screen: reads and parses its rows
        firstScreen.push_back(double(timer.nsecsElapsed()) / 1e6);
        waitFor([&] { return model->file()->finished(); });
        whole.push_back(double(timer.nsecsElapsed()) / 1e6);
        if (model->rowCount() != rows)
            qFatal("read %d rows of %lld", model->rowCount(), rows);
        view.setModel(nullptr);
        proxy.setSourceModel(nullptr);
        delete model;
    }
    std::printf("open: first screen painted %.1f ms (median of 3), every row known %.1f ms\n", median(firstScreen),
                median(whole));

    DatasetTableModel model(path);
    DatasetViewProxy proxy;
    proxy.setSourceModel(&model);
    QTableView view;
    view.resize(1200, 900);
    view.setModel(&proxy);
    view.show();
    waitFor([&] { return model.file()->finished(); });
    std::vector<double> screens;
    QRandomGenerator random(7);
    for (int i = 0; i < 200; ++i) {
        const int row = int(random.bounded(quint32(rows - 40)));
        QElapsedTimer timer;
        timer.start();
        view.scrollTo(proxy.index(row, 0), QAbstractItemView::PositionAtTop);
        view.repaint();
        screens.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::printf("scroll: a screen at a random place p50 %.2f ms, p99 %.2f ms\n", percentile(screens, 0.5),
                percentile(screens, 0.99));

    QElapsedTimer timer;
    timer.start();
    proxy.setFilter(u"kaka"_s, 1);
    waitFor([&] { return !proxy.isBusy(); });
    std::printf("filter (name holds \"kaka\"): %.0f ms, %d rows\n", double(timer.elapsed()), proxy.rowCount());
    proxy.setFilter({});
    timer.restart();
    proxy.sortBy(2);
    waitFor([&] { return !proxy.isBusy(); });
    std::printf("sort by city: %.0f ms\n", double(timer.elapsed()));
    proxy.sortBy(-1);
    waitFor([&] { return !proxy.isBusy(); });

    model.setData(model.index(int(rows / 2), 1), u"edited"_s);
    timer.restart();
    QString error;
    if (!model.save(&error))
        qFatal("%s", qPrintable(error));
    std::printf("save after one edit: %.0f ms\n", double(timer.elapsed()));
    return 0;
}
