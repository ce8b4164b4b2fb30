// The dataset table (ui/datasets): a CSV or JSON Lines file read lazily (rows found on a
// worker thread, parsed when shown) gives the same rows, cells and lines as core's CSV
// reading; edits, added and removed rows and columns go through undo/redo; saving streams
// the file again (untouched rows byte for byte, edited ones in the file's format),
// atomically; an import with bad rows is refused until each is fixed; sort, filter and
// find on the view. Every model under QAbstractItemModelTester.
#include "core/model/dataset/csvtext.h"
#include "ui/datasets/table/datasettablemodel.h"
#include "ui/datasets/table/datasetviewproxy.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtGui/QUndoStack>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

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

QByteArray read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList rowOf(const DatasetTableModel &model, int row)
{
    QStringList cells;
    for (int c = 0; c < model.columnCount(); ++c)
        cells.append(model.cellText(row, c));
    return cells;
}

QStringList viewColumn(const QAbstractItemModel &view, int column)
{
    QStringList cells;
    for (int r = 0; r < view.rowCount(); ++r)
        cells.append(view.index(r, column).data().toString());
    return cells;
}

} // namespace

class TestDatasetTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsLikeCoreCsv_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::newRow("plain") << QByteArray("a,b\n1,2\n3,4\n");
        QTest::newRow("no final break") << QByteArray("a,b\n1,2\n3,4");
        QTest::newRow("crlf") << QByteArray("a,b\r\n1,2\r\n3,4\r\n");
        QTest::newRow("lone cr") << QByteArray("a,b\r1,2\r3,4\r");
        QTest::newRow("quoted breaks and commas") << QByteArray("q,a\n\"one,\n two\",\"say \"\"hi\"\"\"\nx,y\n");
        QTest::newRow("blank lines") << QByteArray("a,b\n\n1,2\n   \n\"\"\n3,4\n\n");
        QTest::newRow("quote inside a field") << QByteArray("a,b\nx\"y,2\n3,\"4\"\"\"\n");
        QTest::newRow("bom") << QByteArray("\xef\xbb\xbf" "a,b\n1,2\n");
        QTest::newRow("ragged") << QByteArray("a,b\n1,2,3\n4\n5,6\n");
    }
    void readsLikeCoreCsv()
    {
        QFETCH(QByteArray, csv);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"t.csv"_s);
        write(path, csv);
        DatasetTableModel model(path);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.file()->waitUntilRead(10000));

        TextProblem problem;
        const auto rows = parseCsv(QString::fromUtf8(csv).remove(QChar(0xfeff)), &problem);
        QVERIFY(rows);
        QCOMPARE(model.columnNames(), rows->first().fields);
        QCOMPARE(model.rowCount(), int(rows->size()) - 1);
        for (int r = 0; r < model.rowCount(); ++r) {
            const CsvRow &expected = rows->at(r + 1);
            QCOMPARE(model.lineOf(r), expected.line);
            QCOMPARE(model.rowOfLine(expected.line), r);
            QStringList cells = expected.fields.mid(0, model.columnCount());
            while (cells.size() < model.columnCount())
                cells.append(QString());
            QCOMPARE(rowOf(model, r), cells);
            QCOMPARE(model.rowProblem(r).isEmpty(), expected.fields.size() == model.columnCount());
        }
    }

    void editsUndoAndSaveStreaming()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"t.csv"_s);
        // Untouched rows keep their own quoting and line breaks when saved.
        write(path, "name,score\r\n\"Ann\",1\r\nBob,2\r\n\"Cy, Jr\",3\r\n");
        DatasetTableModel model(path);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.file()->waitUntilRead(10000));
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(!model.isModified());

        QVERIFY(model.setData(model.index(1, 1), u"20"_s));
        QCOMPARE(model.cellText(1, 1), u"20"_s);
        QVERIFY(model.isModified());
        model.undoStack()->undo();
        QCOMPARE(model.cellText(1, 1), u"2"_s);
        QVERIFY(!model.isModified());
        model.undoStack()->redo();
        QCOMPARE(model.cellText(1, 1), u"20"_s);

        QVERIFY(model.insertRows(3, 1));
        QVERIFY(model.setData(model.index(3, 0), u"Dee \"D\""_s));
        QVERIFY(model.setData(model.index(3, 1), u"4"_s));
        QCOMPARE(model.headerData(3, Qt::Vertical).toString(), u"+"_s);
        QVERIFY(model.removeRows(0, 1));
        QCOMPARE(rowOf(model, 0), (QStringList{u"Bob"_s, u"20"_s}));
        model.undoStack()->undo();
        QCOMPARE(rowOf(model, 0), (QStringList{u"Ann"_s, u"1"_s}));
        model.undoStack()->redo();

        QString error;
        QVERIFY2(model.save(&error), qPrintable(error));
        QCOMPARE(read(path), QByteArray("name,score\r\nBob,20\r\n\"Cy, Jr\",3\r\n\"Dee \"\"D\"\"\",4\r\n"));
        QVERIFY(!model.isModified());
        QVERIFY(model.file()->waitUntilRead(10000));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.lineOf(2), 4); // read again: the lines are the saved file's
        QVERIFY(!model.undoStack()->canUndo());
    }

    void columnsAddRemoveRename()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"t.csv"_s);
        write(path, "a,b\n1,2\n3,4\n");
        DatasetTableModel model(path);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.file()->waitUntilRead(10000));
        QString error;
        QVERIFY(!model.insertColumnNamed(1, u"a"_s, &error));
        QVERIFY(error.contains(u"already"_s));
        QVERIFY(model.insertColumnNamed(1, u"mid"_s));
        QVERIFY(model.setData(model.index(0, 1), u"x"_s));
        QVERIFY(!model.renameColumn(2, u"mid"_s, &error));
        QVERIFY(model.renameColumn(2, u"bee"_s));
        QVERIFY(model.removeColumns(0, 1));
        QCOMPARE(model.columnNames(), (QStringList{u"mid"_s, u"bee"_s}));
        QVERIFY(model.save(&error));
        QCOMPARE(read(path), QByteArray("mid,bee\nx,2\n,4\n"));
        QVERIFY(model.file()->waitUntilRead(10000));
        // Undo history starts again after a save; the table is the saved file.
        QCOMPARE(model.columnNames(), (QStringList{u"mid"_s, u"bee"_s}));
    }

    void importWithBadRowsMustBeFixed()
    {
        QTemporaryDir dir;
        const QString source = dir.filePath(u"in.csv"_s);
        const QString target = dir.filePath(u"out/ds.csv"_s);
        QVERIFY(QDir().mkpath(dir.filePath(u"out"_s)));
        write(source, "q,a\nfine,yes\nbad,row,extra\nalso,fine\n");
        DatasetTableModel model(source);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.file()->waitUntilRead(10000));
        model.setSavePath(target, true);
        model.setRequiredFixes({{source, 3, u"3 fields where the header has 2"_s}});
        QCOMPARE(model.knownBadRows(), QList<int>{1});
        QVERIFY(model.rowProblem(1).contains(u"the extra: \"extra\""_s));
        QVERIFY(model.data(model.index(1, 0), Qt::BackgroundRole).isValid());
        QVERIFY(model.isModified());
        QString error;
        QVERIFY(!model.save(&error));
        QVERIFY2(error.contains(u"in.csv:3"_s), qPrintable(error));
        QVERIFY(!QFile::exists(target));

        QVERIFY(model.setData(model.index(1, 1), u"row, fixed"_s));
        QVERIFY(model.knownBadRows().isEmpty());
        QVERIFY(model.remainingFixes().isEmpty());
        QVERIFY2(model.save(&error), qPrintable(error));
        QCOMPARE(read(target), QByteArray("q,a\nfine,yes\nbad,\"row, fixed\"\nalso,fine\n"));
        QCOMPARE(read(source), QByteArray("q,a\nfine,yes\nbad,row,extra\nalso,fine\n")); // the user's file as it was
        QCOMPARE(model.file()->path(), target);
    }

    void removingABadRowFixesItToo()
    {
        QTemporaryDir dir;
        const QString source = dir.filePath(u"in.csv"_s);
        write(source, "q,a\nbad\nok,1\n");
        DatasetTableModel model(source);
        QVERIFY(model.file()->waitUntilRead(10000));
        model.setSavePath(dir.filePath(u"ds.csv"_s), true);
        model.setRequiredFixes({{source, 2, u"1 fields where the header has 2"_s}});
        QVERIFY(!model.remainingFixes().isEmpty());
        QVERIFY(model.removeRows(0, 1));
        QVERIFY(model.remainingFixes().isEmpty());
        QString error;
        QVERIFY2(model.save(&error), qPrintable(error));
        QCOMPARE(read(dir.filePath(u"ds.csv"_s)), QByteArray("q,a\nok,1\n"));
    }

    void jsonLines()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"t.jsonl"_s);
        write(path, "{\"z\":1,\"a\":\"x\"}\n\n{\"a\":\"y\",\"extra\":[1,2]}\nnot json\n");
        DatasetTableModel model(path);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.file()->waitUntilRead(10000));
        QCOMPARE(model.columnNames(), (QStringList{u"z"_s, u"a"_s, u"extra"_s})); // as written, not sorted
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(rowOf(model, 1), (QStringList{QString(), u"y"_s, u"[1,2]"_s}));
        QCOMPARE(model.lineOf(2), 4);
        QVERIFY(model.rowProblem(2).startsWith(u"not valid JSON"_s));
        QCOMPARE(model.knownBadRows(), QList<int>{2});
        // A number stays a number, a string a string; a missing member stays missing.
        QVERIFY(model.setData(model.index(0, 0), u"2"_s));
        QVERIFY(model.setData(model.index(0, 1), u"42"_s));
        QVERIFY(model.removeRows(2, 1));
        QString error;
        QVERIFY2(model.save(&error), qPrintable(error));
        // An edited line is written anew (the blank line after it, no row, is not kept).
        QCOMPARE(read(path), QByteArray("{\"z\":2,\"a\":\"42\"}\n{\"a\":\"y\",\"extra\":[1,2]}\n"));
    }

    void newDatasetFromScratch()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"new.csv"_s);
        DatasetTableModel model(path, QStringList{u"question"_s, u"answer"_s});
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.isModified());
        QVERIFY(model.insertRows(0, 2));
        QVERIFY(model.setData(model.index(0, 0), u"Why?"_s));
        QVERIFY(model.setData(model.index(1, 1), u"Because"_s));
        QString error;
        QVERIFY2(model.save(&error), qPrintable(error));
        QCOMPARE(read(path), QByteArray("question,answer\nWhy?,\n,Because\n"));
        QVERIFY(model.file()->waitUntilRead(10000));
        QCOMPARE(model.rowCount(), 2);
    }

    void refusesToSaveOverAFileChangedOnDisk()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"t.csv"_s);
        write(path, "a\n1\n");
        DatasetTableModel model(path);
        QVERIFY(model.file()->waitUntilRead(10000));
        QVERIFY(model.setData(model.index(0, 0), u"2"_s));
        write(path, "a\n1\n3\n");
        QString error;
        QVERIFY(!model.save(&error));
        QVERIFY(error.contains(u"changed on disk"_s));
        QCOMPARE(read(path), QByteArray("a\n1\n3\n"));
    }

    void sortFilterFind()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"t.csv"_s);
        QByteArray csv = "name,n\n";
        for (int i = 0; i < 3000; ++i)
            csv += "row" + QByteArray::number(i) + "," + QByteArray::number((i * 7919) % 3000) + "\n";
        write(path, csv);
        DatasetTableModel model(path);
        QVERIFY(model.file()->waitUntilRead(10000));
        DatasetViewProxy view;
        QAbstractItemModelTester tester(&view, QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.setSourceModel(&model);
        QCOMPARE(view.rowCount(), 3000);

        view.sortBy(1, Qt::DescendingOrder); // numbers as numbers: 2999 before 300
        QTRY_VERIFY(!view.isBusy());
        QCOMPARE(view.index(0, 1).data().toString(), u"2999"_s);
        QCOMPARE(view.index(2999, 1).data().toString(), u"0"_s);
        QCOMPARE(view.headerData(0, Qt::Vertical).toInt(), model.lineOf(view.mapToSource(view.index(0, 0)).row()));

        view.setFilter(u"row29"_s, 0);
        QTRY_VERIFY(!view.isBusy());
        QCOMPARE(view.rowCount(), 111); // row29, row290-299, row2900-2999
        const QStringList shown = viewColumn(view, 1);
        for (int i = 1; i < shown.size(); ++i)
            QVERIFY(shown.at(i - 1).toInt() >= shown.at(i).toInt());

        // Edits and removals in the table show through the view.
        const QModelIndex first = view.mapToSource(view.index(0, 0));
        QVERIFY(model.setData(model.index(first.row(), 0), u"renamed"_s));
        QCOMPARE(view.index(0, 0).data().toString(), u"renamed"_s);
        QVERIFY(model.removeRows(first.row(), 1));
        QCOMPARE(view.rowCount(), 110);
        model.undoStack()->undo();
        QCOMPARE(view.rowCount(), 111);

        view.setFilter({});
        view.sortBy(-1);
        QTRY_VERIFY(!view.isBusy());
        QCOMPARE(view.rowCount(), 3000);
        QModelIndex found;
        bool done = false;
        view.findNext(u"row2500"_s, view.index(10, 0), [&](const QModelIndex &at) {
            found = at;
            done = true;
        });
        QTRY_VERIFY(done);
        QCOMPARE(found.row(), 2500);
        done = false;
        view.findNext(u"nowhere"_s, {}, [&](const QModelIndex &at) {
            found = at;
            done = true;
        });
        QTRY_VERIFY(done);
        QVERIFY(!found.isValid());
    }

    void showsFirstRowsBeforeTheWholeFileIsRead()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"big.csv"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("id,text\n");
        const QByteArray row = ",some words to make the row longer than a few bytes\n";
        for (int i = 0; i < 300000; ++i)
            f.write(QByteArray::number(i) + row);
        f.close();
        DatasetTableModel model(path);
        QSignalSpy rows(&model, &QAbstractItemModel::rowsInserted);
        QTRY_VERIFY(model.rowCount() > 0);
        QCOMPARE(model.cellText(0, 0), u"0"_s);
        QVERIFY(model.file()->waitUntilRead(30000));
        QCOMPARE(model.rowCount(), 300000);
        QCOMPARE(model.cellText(299999, 0), u"299999"_s);
        QVERIFY(rows.size() >= 2); // in batches, the first one early
    }
};

QTEST_MAIN(TestDatasetTable)
#include "tst_datasettable.moc"
