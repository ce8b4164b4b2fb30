// Sort and filter read the file once on a worker thread (ui/datasets/table/datasetviewproxy.h,
// readTableColumns in ui/datasets/table/rowindexer.h): the one-pass read gives every cell the
// text the table shows (CSV quoting, line breaks, blank and ragged rows, bytes that are
// not UTF-8; JSON Lines members, values that are not strings, lines that are not JSON or
// not objects); a sort and a filter see the table's edits, added and removed rows as the
// table shows them; Stop leaves the view as it was and says what it shows; rows can be
// added before the file was read to its end, and a sort asked then waits for the end.
// Every model under QAbstractItemModelTester.
#include "ui/datasets/table/datasettablemodel.h"
#include "ui/datasets/table/datasetviewproxy.h"
#include "ui/datasets/table/rowindexer.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtGui/QUndoStack>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

namespace {

void write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QStringList viewColumn(const QAbstractItemModel &view, int column)
{
    QStringList cells;
    for (int r = 0; r < view.rowCount(); ++r)
        cells.append(view.index(r, column).data().toString());
    return cells;
}

QString bigCsv(const QTemporaryDir &dir, int rows)
{
    const QString path = dir.filePath(u"big.csv"_s);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    QByteArray block = "id,text\n";
    for (int i = 0; i < rows; ++i) {
        block += QByteArray::number(i) + ",some words to make the row longer than a few bytes " + QByteArray::number(i % 97)
            + "\n";
        if (block.size() > (1 << 20)) {
            f.write(block);
            block.clear();
        }
    }
    f.write(block);
    return path;
}

} // namespace

class TestDatasetViewScan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneReadGivesTheTablesCells_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("plain") << u"t.csv"_s << QByteArray("a,b\n1,2\n3,4\n");
        QTest::newRow("no final break") << u"t.csv"_s << QByteArray("a,b\n1,2\n3,4");
        QTest::newRow("crlf") << u"t.csv"_s << QByteArray("a,b\r\n1,2\r\n3,4\r\n");
        QTest::newRow("lone cr") << u"t.csv"_s << QByteArray("a,b\r1,2\r3,4\r");
        QTest::newRow("quoted breaks and commas")
            << u"t.csv"_s << QByteArray("q,a\n\"one,\n two\",\"say \"\"hi\"\"\"\nx,y\n\"\",\"a\r\nb\"\n");
        QTest::newRow("blank lines") << u"t.csv"_s << QByteArray("a,b\n\n1,2\n   \n\"\"\n3,4\n\n");
        QTest::newRow("quote inside a field") << u"t.csv"_s << QByteArray("a,b\nx\"y,2\n3,\"4\"\"\"\n\"q\"x,5\n");
        QTest::newRow("bom") << u"t.csv"_s << QByteArray("\xef\xbb\xbf" "a,b\n1,2\n");
        QTest::newRow("ragged") << u"t.csv"_s << QByteArray("a,b\n1,2,3\n4\n5,6\n");
        QTest::newRow("not utf-8") << u"t.csv"_s << QByteArray("a,b\n\xff\xfe,ok\nd\xc3\xa9j\xc3\xa0,2\n");
        QTest::newRow("spaces kept") << u"t.csv"_s << QByteArray("a,b\n  x , y \n");
        QTest::newRow("json lines") << u"t.jsonl"_s
                                    << QByteArray("{\"a\": \"x\", \"b\": 2}\n\n{\"b\": [1, {\"c\": null}], \"d\": true}\n"
                                                  "  {\"a\": \"\\u00e9\", \"e\": 1.5}  \r\n");
        QTest::newRow("json lines, bad and bare") << u"t.jsonl"_s
                                                  << QByteArray("{\"a\": 1}\nnot json\n42\n\"text\"\n{\"value\": 3}\n");
        QTest::newRow("json lines, no final break") << u"t.jsonl"_s << QByteArray("{\"a\": 1}\n{\"a\": \"z\"}");
    }

    void oneReadGivesTheTablesCells()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QTemporaryDir dir;
        const QString path = dir.filePath(name);
        write(path, bytes);
        DatasetTableModel model(path);
        QVERIFY(model.file()->waitUntilRead(10000));
        QVERIFY(model.rowCount() > 0);
        std::vector<int> sources{-1};
        for (int c = 0; c < model.columnCount(); ++c)
            sources.push_back(model.columnSource(c));
        std::atomic<bool> cancel{false};
        qint64 seen = 0;
        qint64 lastDone = 0;
        const IndexerEnd end = readTableColumns(
            path, model.file()->format(), model.file()->columns(), sources, model.rowCount(),
            [&](qint64 row, const QStringList &texts) {
                [&] {
                    QCOMPARE(row, seen);
                    QCOMPARE(texts.first(), QString());
                    for (int c = 0; c < model.columnCount(); ++c)
                        QCOMPARE(texts.at(c + 1), model.cellText(int(row), c));
                }();
                ++seen;
                return true;
            },
            cancel, [&](qint64 done, qint64 total) {
                lastDone = done;
                QCOMPARE(total, qint64(bytes.size()));
            });
        QVERIFY2(end.error.isEmpty(), qPrintable(end.error));
        QCOMPARE(seen, qint64(model.rowCount()));
        QCOMPARE(lastDone, qint64(bytes.size()));
    }

    // The worker reads the file; the table's edits, added and removed rows come from its
    // snapshot: the view must equal a sort and filter of what the table shows.
    void sortAndFilterSeeEditsAddedAndRemovedRows()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"t.csv"_s);
        QByteArray csv = "name,city\n";
        const char *cities[] = {"Oslo", "lima", "Bern", "accra", "Quito"};
        for (int i = 0; i < 500; ++i)
            csv += "n" + QByteArray::number(i) + "," + cities[i % 5] + "\n";
        write(path, csv);
        DatasetTableModel model(path);
        QVERIFY(model.file()->waitUntilRead(10000));
        DatasetViewProxy view;
        QAbstractItemModelTester tester(&view, QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.setSourceModel(&model);

        QVERIFY(model.setData(model.index(3, 1), u"Zagreb"_s));  // edited: was Oslo... now last
        QVERIFY(model.setData(model.index(7, 1), u"bern"_s));
        QVERIFY(model.insertRows(10, 2));
        QVERIFY(model.setData(model.index(10, 0), u"added"_s));
        QVERIFY(model.setData(model.index(10, 1), u"Aachen"_s)); // the other added row stays empty
        QVERIFY(model.removeRows(20, 3));
        QCOMPARE(model.rowCount(), 499);

        const auto expected = [&](int column, Qt::SortOrder order, const QString &filter, int filterColumn) {
            std::vector<int> rows;
            for (int r = 0; r < model.rowCount(); ++r) {
                bool keep = filter.isEmpty();
                for (int c = 0; c < model.columnCount() && !keep; ++c)
                    if (filterColumn < 0 || c == filterColumn)
                        keep = model.cellText(r, c).contains(filter, Qt::CaseInsensitive);
                if (keep)
                    rows.push_back(r);
            }
            std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) {
                const int cmp = model.cellText(a, column).compare(model.cellText(b, column), Qt::CaseInsensitive);
                return order == Qt::AscendingOrder ? cmp < 0 : cmp > 0;
            });
            QStringList names;
            for (const int r : rows)
                names.append(model.cellText(r, 0));
            return names;
        };
        view.sortBy(1, Qt::AscendingOrder);
        QTRY_VERIFY(!view.isBusy());
        QCOMPARE(viewColumn(view, 0), expected(1, Qt::AscendingOrder, {}, -1));
        QCOMPARE(view.index(0, 0).data().toString(), QString()); // the empty added row first
        QCOMPARE(view.index(1, 1).data().toString(), u"Aachen"_s);

        view.setFilter(u"BERN"_s, 1);
        QTRY_VERIFY(!view.isBusy());
        QCOMPARE(viewColumn(view, 0), expected(1, Qt::AscendingOrder, u"BERN"_s, 1));
        QVERIFY(viewColumn(view, 0).contains(u"n7"_s));

        view.sortBy(1, Qt::DescendingOrder);
        view.setFilter(u"a"_s, -1); // any column
        QTRY_VERIFY(!view.isBusy());
        QCOMPARE(viewColumn(view, 0), expected(1, Qt::DescendingOrder, u"a"_s, -1));
        QCOMPARE(view.index(0, 1).data().toString(), u"Zagreb"_s);
    }

    void stopLeavesTheViewAsItWas()
    {
        QTemporaryDir dir;
        const QString path = bigCsv(dir, 400000);
        DatasetTableModel model(path);
        QVERIFY(model.file()->waitUntilRead(30000));
        DatasetViewProxy view;
        view.setSourceModel(&model);
        view.setFilter(u"words"_s, 1);
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), 60000);
        QCOMPARE(view.rowCount(), 400000);
        QCOMPARE(view.filterText(), u"words"_s);

        int progressed = 0;
        connect(&view, &DatasetViewProxy::progress, this, [&] { ++progressed; });
        view.sortBy(0, Qt::DescendingOrder);
        QVERIFY(view.isBusy());
        QTRY_VERIFY(progressed > 0 || !view.isBusy());
        view.stop();
        QVERIFY(!view.isBusy());
        QCOMPARE(view.sortColumn(), -1); // what the rows shown were made by
        QCOMPARE(view.filterText(), u"words"_s);
        QTest::qWait(300); // a result on its way is handed to nobody
        QCOMPARE(view.rowCount(), 400000);
        QCOMPARE(view.index(0, 0).data().toString(), u"0"_s);
    }

    void rowsChangeAndSortWaitsWhileTheFileIsRead()
    {
        QTemporaryDir dir;
        const QString path = bigCsv(dir, 600000);
        DatasetTableModel model(path);
        QAbstractItemModelTester tableTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        DatasetViewProxy view;
        view.setSourceModel(&model);
        QTRY_VERIFY(model.rowCount() > 0);
        QVERIFY(!model.file()->finished()); // 35 MB: the worker is still finding rows
        QVERIFY(model.canChangeRows());
        QVERIFY(model.insertRows(1, 1));
        QVERIFY(model.setData(model.index(1, 0), u"!first"_s));
        QVERIFY(model.removeRows(0, 1)); // the file's row "0"
        view.sortBy(0, Qt::AscendingOrder);
        QVERIFY(view.isBusy());
        QVERIFY(model.file()->waitUntilRead(60000));
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), 60000);
        QCOMPARE(model.rowCount(), 600000);           // 600,000 - 1 + 1
        QCOMPARE(model.cellText(0, 0), u"!first"_s);  // where it was added
        QCOMPARE(model.cellText(599999, 0), u"599999"_s); // the rows read later, after it
        QCOMPARE(view.rowCount(), 600000);
        QCOMPARE(view.index(0, 0).data().toString(), u"!first"_s);
        QCOMPARE(view.index(1, 0).data().toString(), u"1"_s);
        QCOMPARE(view.index(2, 0).data().toString(), u"10"_s);

        QString error;
        QVERIFY2(model.save(&error), qPrintable(error));
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(saved.readLine(), QByteArray("id,text\n"));
        QCOMPARE(saved.readLine(), QByteArray("!first,\n"));
        QVERIFY(saved.readLine().startsWith("1,some words"));
    }
};

QTEST_MAIN(TestDatasetViewScan)
#include "tst_datasetviewscan.moc"
