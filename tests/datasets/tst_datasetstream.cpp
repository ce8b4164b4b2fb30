// The streaming dataset readers and the streaming index (core/datasets): a CSV fed in
// pieces of every size reads as when given whole; header, ragged rows, bad UTF-8 and an
// open quote are refused with their line, also past the first block of a file; a check
// that lists every bad row; indexing that reports progress, stops when asked and leaves
// the index as it was, a file that changes while it is read, a file over the size limit,
// and re-indexing only the dataset whose file changed.
#include "core/datasets/datasetreader.h"
#include "core/datasets/datasetstore.h"
#include "core/datasets/linereader.h"
#include "core/model/dataset/csvtext.h"

#include <QtCore/QBuffer>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::datasets;

namespace {

QList<CsvRow> csvInPieces(const QString &text, qsizetype pieceSize, TextProblem *problem)
{
    QList<CsvRow> rows;
    CsvStreamParser parser([&rows](CsvRow &&row) {
        rows.append(std::move(row));
        return true;
    });
    bool ok = true;
    for (qsizetype at = 0; ok && at < text.size(); at += pieceSize)
        ok = parser.feed(QStringView(text).mid(at, pieceSize));
    ok = ok && parser.finish();
    if (!ok)
        *problem = parser.problem();
    return rows;
}

struct Read
{
    ReadEnd end = ReadEnd::Finished;
    QList<MemoryRecord> records;
    TextProblem problem;
    QList<TextProblem> badRows;
};

Read readBytes(const QByteArray &bytes, const QString &name, bool listAll = false, qsizetype maxRecordChars = 8 << 20)
{
    QByteArray copy = bytes;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    Read read;
    ReadOptions options;
    options.maxRecordChars = maxRecordChars;
    if (listAll)
        options.badRow = [&read](const TextProblem &p) { read.badRows.append(p); };
    read.end = readDatasetStream(
        buffer, name,
        [&read](MemoryRecord &&r) {
            read.records.append(std::move(r));
            return true;
        },
        options, &read.problem);
    return read;
}

// A CSV of `rows` rows whose text is bigger than one block of the line reader.
QByteArray bigCsv(int rows, bool quoted = true)
{
    QByteArray csv = "id,word,note\n";
    const QByteArray note = quoted ? QByteArray("\"note, " + QByteArray(60, 'x') + "\"") : QByteArray("note " + QByteArray(60, 'x'));
    for (int i = 1; i <= rows; ++i)
        csv += QByteArray::number(i) + ",w" + QByteArray::number(i % 97) + "," + note + "\n";
    return csv;
}

qint64 tableCount(const QString &indexFile)
{
    qint64 n = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"probe"_s);
        db.setDatabaseName(indexFile);
        if (db.open()) {
            QSqlQuery q(u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name GLOB 'm[0-9]*' "
                        "AND name NOT LIKE '%\\_%' ESCAPE '\\'"_s,
                        db);
            if (q.next())
                n = q.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(u"probe"_s);
    return n;
}

} // namespace

class TestDatasetStream : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_folders = 0;

    QString newFolder()
    {
        const QString path = m_dir.filePath(u"folder%1"_s.arg(++m_folders));
        QDir().mkpath(path);
        return path;
    }
    QString indexFile() const { return m_dir.filePath(u"index%1.sqlite"_s.arg(m_folders)); }
    static void write(const QString &path, const QByteArray &bytes)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(bytes), bytes.size());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void csvInPiecesReadsAsWhole()
    {
        const QString text = u"a,b,c\r\n\"x, \"\"quoted\"\"\",2,\"multi\r\nline\"\n\n3,\"\",z\r4,5,6"_s;
        TextProblem whole;
        const auto expected = parseCsv(text, &whole);
        QVERIFY(expected);
        QCOMPARE(expected->size(), 4);
        for (qsizetype piece = 1; piece <= text.size(); ++piece) {
            TextProblem problem;
            const QList<CsvRow> rows = csvInPieces(text, piece, &problem);
            QVERIFY2(problem.reason.isEmpty(), qPrintable(problem.reason));
            QCOMPARE(rows.size(), expected->size());
            for (qsizetype r = 0; r < rows.size(); ++r) {
                QCOMPARE(rows.at(r).line, expected->at(r).line);
                QCOMPARE(rows.at(r).fields, expected->at(r).fields);
            }
        }
        TextProblem open;
        csvInPieces(u"a\n\"never closed\nmore\n"_s, 3, &open);
        QCOMPARE(open.line, 2);
        QCOMPARE(open.reason, u"a quoted field is not closed"_s);
    }

    void headerNamesMustBeUniqueAndNamed()
    {
        Read dup = readBytes("name,city,name\nAda,London,x\n", u"people.csv"_s);
        QCOMPARE(dup.end, ReadEnd::Refused);
        QCOMPARE(dup.problem.line, 1);
        QCOMPARE(dup.problem.reason, u"the header names column \"name\" twice (columns 1 and 3)"_s);
        Read empty = readBytes("\n\nname,,city\n", u"people.csv"_s);
        QCOMPARE(empty.end, ReadEnd::Refused);
        QCOMPARE(empty.problem.line, 3);
        QCOMPARE(empty.problem.reason, u"column 2 of the header has no name"_s);
    }

    void problemsPastTheFirstBlockNameTheirLine()
    {
        QByteArray csv = bigCsv(40000); // about 3 MB: several blocks of the line reader
        QVERIFY(csv.size() > 2 * Utf8LineReader::BlockBytes);
        Read good = readBytes(csv, u"big.csv"_s);
        QCOMPARE(good.end, ReadEnd::Finished);
        QCOMPARE(good.records.size(), 40000);
        QCOMPARE(good.records.last().id, u"big.csv:40001"_s);
        QCOMPARE(good.records.last().metadata["columns"]["id"], Json("40000"));

        QByteArray ragged = csv;
        ragged.insert(ragged.indexOf("\n35000,") + 1, "1,2\n");
        Read r = readBytes(ragged, u"big.csv"_s);
        QCOMPARE(r.end, ReadEnd::Refused);
        QCOMPARE(r.problem.line, 35001);
        QCOMPARE(r.problem.reason, u"2 fields where the header has 3"_s);

        QByteArray latin1 = csv;
        latin1.insert(latin1.indexOf("\n30000,") + 1, "0,caf\xe9,x\n");
        Read u = readBytes(latin1, u"big.csv"_s);
        QCOMPARE(u.end, ReadEnd::Refused);
        QCOMPARE(u.problem.line, 30001);
        QCOMPARE(u.problem.reason, u"the file is not UTF-8 text"_s);

        QByteArray open = bigCsv(40000, false);
        open.insert(open.indexOf("\n20000,") + 1, "0,\"open,x\n");
        Read o = readBytes(open, u"big.csv"_s);
        QCOMPARE(o.end, ReadEnd::Refused);
        QCOMPARE(o.problem.line, 20001);
        QCOMPARE(o.problem.reason, u"a quoted field is not closed"_s);
        // With a row limit, reading stops at the long row, not at the end of the file.
        Read limited = readBytes(open, u"big.csv"_s, false, 100000);
        QCOMPARE(limited.end, ReadEnd::Refused);
        QCOMPARE(limited.problem.line, 20001);
        QCOMPARE(limited.problem.reason, u"the row is longer than 100000 characters: a quoted field opened on line "
                                         "20001 is not closed"_s);
        QCOMPARE(limited.records.size(), 19999);
    }

    void aCheckListsEveryBadRow()
    {
        const QByteArray csv = "a,b\n1,2\n3\n4,5\n6,\xff\n7,8,9\n";
        Read r = readBytes(csv, u"t.csv"_s, true);
        QCOMPARE(r.end, ReadEnd::Finished);
        QStringList bad;
        for (const TextProblem &p : r.badRows)
            bad.append(u"%1: %2"_s.arg(p.line).arg(p.reason));
        QCOMPARE(bad, (QStringList{u"5: the line is not UTF-8 text"_s, u"3: 1 fields where the header has 2"_s,
                                   u"6: 3 fields where the header has 2"_s}));
        Read j = readBytes("{\"a\":1}\n{oops\n\n[1,\n\"fine\"\n", u"t.jsonl"_s, true);
        QCOMPARE(j.records.size(), 2);
        QCOMPARE(j.badRows.size(), 2);
        QCOMPARE(j.badRows.at(0).line, 2);
        QCOMPARE(j.badRows.at(1).line, 4);
    }

    void indexingReportsProgressAndCancelLeavesTheIndexAsItWas()
    {
        const QString folder = newFolder();
        const QString file = folder + u"/big.csv"_s;
        write(file, bigCsv(30000));
        DatasetStore store({folder}, indexFile());

        // Cancelled on the third report: nothing of the new table stays.
        int reports = 0;
        const DatasetListing cancelled = store.list([&](const IndexProgress &) { return ++reports < 3; });
        QCOMPARE(cancelled.error, u"indexing was cancelled"_s);
        QCOMPARE(tableCount(indexFile()), 0);

        QList<IndexProgress> seen;
        const DatasetListing listing = store.list([&](const IndexProgress &p) {
            seen.append(p);
            return true;
        });
        QVERIFY2(listing.error.isEmpty(), qPrintable(listing.error));
        QCOMPARE(listing.datasets.size(), 1);
        QCOMPARE(listing.datasets.first().size, 30000);
        QVERIFY(seen.size() >= 5);
        for (qsizetype i = 1; i < seen.size(); ++i) {
            QVERIFY(seen.at(i).bytesDone >= seen.at(i - 1).bytesDone);
            QVERIFY(seen.at(i).rows >= seen.at(i - 1).rows);
        }
        QCOMPARE(seen.last().bytesDone, QFileInfo(file).size());
        QCOMPARE(seen.last().bytesTotal, QFileInfo(file).size());
        QCOMPARE(seen.last().slug, u"big"_s);
        QCOMPARE(tableCount(indexFile()), 1);

        // Indexed once: a second listing reads nothing.
        int again = 0;
        store.list([&](const IndexProgress &) { return ++again, true; });
        QCOMPARE(again, 0);

        // A cancelled re-index keeps the old table searchable.
        write(file, bigCsv(100) + "101,pelican,dives\n");
        reports = 0;
        QCOMPARE(store.list([&](const IndexProgress &) { return ++reports < 1; }).error, u"indexing was cancelled"_s);
        QCOMPARE(tableCount(indexFile()), 1);
    }

    void aFileThatChangesWhileReadIsNotHalfIndexed()
    {
        const QString folder = newFolder();
        const QString file = folder + u"/log.csv"_s;
        const QString other = folder + u"/other.csv"_s;
        write(file, bigCsv(10000));
        write(other, "q,a\nwhere,here\n");
        DatasetStore store({folder}, indexFile());
        bool changed = false;
        const DatasetListing listing = store.list([&](const IndexProgress &p) {
            if (p.file == file && p.rows >= 4096 && !changed) {
                QFile f(file);
                f.open(QIODevice::Append);
                f.write("10001,late,row\n");
                changed = true;
            }
            return true;
        });
        QVERIFY(changed);
        QCOMPARE(listing.datasets.size(), 1); // other; log gave no rows
        QCOMPARE(listing.datasets.first().slug, u"other"_s);
        QCOMPARE(listing.problems.size(), 1);
        QCOMPARE(listing.problems.first().file, file);
        QVERIFY2(listing.problems.first().reason.startsWith(u"the file changed while it was being indexed"_s),
                 qPrintable(listing.problems.first().toString()));
        QVERIFY(listing.problems.first().line > 4000);
        // The next look reads it again, whole.
        const DatasetListing next = store.list();
        QVERIFY2(next.problems.isEmpty(), qPrintable(next.problems.value(0).toString()));
        QCOMPARE(next.datasets.size(), 2);
        for (const DatasetInfo &d : next.datasets)
            if (d.slug == u"log"_s)
                QCOMPARE(d.size, 10001);
    }

    void aFileOverTheLimitIsNamedAndTheRestIsRead()
    {
        const QString folder = newFolder();
        QDir().mkpath(folder + u"/notes"_s);
        write(folder + u"/notes/huge.txt"_s, QByteArray(5000, 'a') + "\n\nsmall talk\n");
        write(folder + u"/notes/small.txt"_s, "tiny pelican\n");
        DatasetStore store({folder}, indexFile());
        store.setMaxFileBytes(4096);
        const DatasetListing listing = store.list();
        QCOMPARE(listing.datasets.size(), 1);
        QCOMPARE(listing.datasets.first().size, 1);
        QCOMPARE(listing.problems.size(), 1);
        QCOMPARE(listing.problems.first().toString(),
                 folder + u"/notes/huge.txt: the file is 0.0 MB; a dataset file may be at most 0.0 MB (split it "
                          "into a folder of smaller files)"_s);
        QString error;
        const auto hits = store.search({u"notes"_s}, u"pelican"_s, 5, &error);
        QVERIFY2(hits, qPrintable(error));
        QCOMPARE(hits->size(), 1);
    }

    void onlyTheChangedDatasetIsIndexedAgain()
    {
        const QString folder = newFolder();
        write(folder + u"/a.csv"_s, "k,v\n1,alpha\n");
        write(folder + u"/b.csv"_s, "k,v\n1,beta\n");
        DatasetStore store({folder}, indexFile());
        QCOMPARE(store.list().datasets.size(), 2);
        QTest::qWait(20); // a modification time that differs
        write(folder + u"/b.csv"_s, "k,v\n1,beta\n2,gamma\n");
        QStringList indexed;
        const DatasetListing listing = store.list([&](const IndexProgress &p) {
            if (!indexed.contains(p.slug))
                indexed.append(p.slug);
            return true;
        });
        QCOMPARE(indexed, QStringList{u"b"_s});
        QCOMPARE(listing.datasets.at(1).size, 2);
    }
};

QTEST_GUILESS_MAIN(TestDatasetStream)
#include "tst_datasetstream.moc"
