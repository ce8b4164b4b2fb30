// DatasetStore on real files and a real SQLite index: the bundled dataset's listing and
// ranking, each file format, folders and sidecars, re-indexing when a file changes (and
// only then), a query with no hits, an unknown slug, broken files reported with their
// path and line while the other datasets still work.
#include "core/datasets/datasetcatalog.h"
#include "core/datasets/datasetstore.h"

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

const DatasetInfo *findInfo(const DatasetListing &listing, const QString &slug)
{
    for (const DatasetInfo &d : listing.datasets)
        if (d.slug == slug)
            return &d;
    return nullptr;
}

QString problemsText(const QList<LoadProblem> &problems)
{
    QStringList lines;
    for (const LoadProblem &p : problems)
        lines.append(p.toString());
    return lines.join(u'\n');
}

// Reads one column of the index's bookkeeping for `path`, with a connection of our own.
QVariant indexColumn(const QString &indexFile, const QString &path, const QString &column)
{
    QVariant value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"probe"_s);
        db.setDatabaseName(indexFile);
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(u"SELECT %1 FROM datasets WHERE path = ?"_s.arg(column));
            q.addBindValue(path);
            if (q.exec() && q.next())
                value = q.value(0);
        }
    }
    QSqlDatabase::removeDatabase(u"probe"_s);
    return value;
}

} // namespace

class TestDatasets : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_folders = 0;

    QString indexFile() const { return m_dir.filePath(u"index.sqlite"_s); }
    // A fresh, empty datasets folder.
    QString newFolder()
    {
        const QString path = m_dir.filePath(u"folder%1"_s.arg(++m_folders));
        QDir().mkpath(path);
        return path;
    }
    static void write(const QString &path, const QByteArray &bytes)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
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

    void sqliteHasFts5()
    {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"options"_s);
            db.setDatabaseName(u":memory:"_s);
            QVERIFY(db.open());
            QSqlQuery q(u"PRAGMA compile_options"_s, db);
            QStringList options;
            while (q.next())
                options.append(q.value(0).toString());
            QVERIFY2(options.contains(u"ENABLE_FTS5"_s), qPrintable(options.join(u' ')));
        }
        QSqlDatabase::removeDatabase(u"options"_s);
    }

    void bundledDatasetIsListed()
    {
        const DatasetStore store({u":/datasets"_s}, indexFile());
        const DatasetListing listing = store.list();
        QVERIFY2(listing.error.isEmpty(), qPrintable(listing.error));
        QVERIFY2(listing.problems.isEmpty(), qPrintable(problemsText(listing.problems)));
        const DatasetInfo *solar = findInfo(listing, u"solar-system"_s);
        QVERIFY(solar);
        QCOMPARE(solar->name, u"Solar system"_s);
        QVERIFY(solar->description.contains(u"dwarf planets"_s));
        QCOMPARE(solar->size, 13); // 8 planets, 5 dwarf planets
    }

    void bestHitForDistinctiveQuery_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("name");
        QTest::newRow("storm") << u"Which planet has the Great Red Spot?"_s << u"solar-system.csv:6"_s << u"Jupiter"_s;
        QTest::newRow("volcano") << u"tallest volcano"_s << u"solar-system.csv:5"_s << u"Mars"_s;
        QTest::newRow("heart") << u"a heart-shaped plain of nitrogen ice"_s << u"solar-system.csv:10"_s << u"Pluto"_s;
        QTest::newRow("easter") << u"easter island"_s << u"solar-system.csv:14"_s << u"Makemake"_s;
        QTest::newRow("diacritics") << u"Occatör salt"_s << u"solar-system.csv:11"_s << u"Ceres"_s;
    }

    void bestHitForDistinctiveQuery()
    {
        QFETCH(QString, query);
        QFETCH(QString, id);
        QFETCH(QString, name);
        const DatasetStore store({u":/datasets"_s}, indexFile());
        QString error;
        const auto memories = store.search({u"solar-system"_s}, query, 3, &error);
        QVERIFY2(memories, qPrintable(error));
        QVERIFY(!memories->isEmpty());
        QVERIFY(memories->size() <= 3);
        const Memory &best = memories->first();
        QCOMPARE(best.id, id);
        QCOMPARE(best.dataset, u"solar-system"_s);
        QVERIFY(best.content.startsWith(u"name: "_s + name + u"; type: "_s));
        QCOMPARE(best.metadata["columns"]["name"], Json(toStd(name)));
        QCOMPARE(best.metadata["file"], Json("solar-system.csv"));
        QCOMPARE(best.metadata["line"], Json(id.section(u':', 1).toInt()));
        for (qsizetype i = 1; i < memories->size(); ++i)
            QVERIFY(memories->at(i - 1).score >= memories->at(i).score);
        QVERIFY(best.score > 0);
    }

    void noHitsIsAnEmptyList()
    {
        const DatasetStore store({u":/datasets"_s}, indexFile());
        QString error;
        auto memories = store.search({u"solar-system"_s}, u"xylophone quokka"_s, 10, &error);
        QVERIFY2(memories, qPrintable(error));
        QVERIFY(memories->isEmpty());
        memories = store.search({u"solar-system"_s}, u"?! -- \"*"_s, 10, &error); // no words at all
        QVERIFY2(memories, qPrintable(error));
        QVERIFY(memories->isEmpty());
    }

    void unknownSlugIsNamed()
    {
        const DatasetStore store({u":/datasets"_s}, indexFile());
        QString error;
        const auto memories = store.search({u"solar-system"_s, u"exoplanets"_s}, u"moon"_s, 10, &error);
        QVERIFY(!memories);
        QVERIFY2(error.contains(u"unknown dataset \"exoplanets\""_s), qPrintable(error));
        QVERIFY2(error.contains(u"solar-system"_s), qPrintable(error)); // the known ones
    }

    void eachFormat()
    {
        const QString folder = newFolder();
        write(folder + u"/people.csv"_s,
              "name,city,note\r\n"
              "Ada,London,\"wrote the first program, for the Analytical Engine\"\r\n"
              "\r\n"
              "Grace,\"New York\",\"said \"\"it's easier to ask forgiveness\"\"\nand found a moth\"\n"
              "Linus,Helsinki,\n");
        write(folder + u"/events.jsonl"_s,
              "{\"text\": \"the comet returns in 2061\", \"source\": \"almanac\"}\n"
              "\n"
              "{\"city\": \"Oslo\", \"population\": 709000}\n"
              "\"a bare string line\"\n");
        write(folder + u"/guide.md"_s,
              "Intro before any heading.\n\n"
              "# Brewing\nUse water just off the boil.\n\n"
              "```\n# not a heading inside a fence\n```\n"
              "## Steeping ##\nThree minutes for black tea.\n");
        write(folder + u"/poem.txt"_s, "First paragraph\nstill the first.\n\n\n  Second paragraph.  \n");

        const DatasetStore store({folder}, indexFile());
        const DatasetListing listing = store.list();
        QVERIFY2(listing.problems.isEmpty(), qPrintable(problemsText(listing.problems)));
        QCOMPARE(listing.datasets.size(), 4);
        QCOMPARE(findInfo(listing, u"people"_s)->size, 3);
        QCOMPARE(findInfo(listing, u"events"_s)->size, 3);
        QCOMPARE(findInfo(listing, u"guide"_s)->size, 3);
        QCOMPARE(findInfo(listing, u"poem"_s)->size, 2);
        QCOMPARE(findInfo(listing, u"poem"_s)->name, u"poem"_s);
        QCOMPARE(findInfo(listing, u"poem"_s)->description, u"File poem.txt"_s);

        QString error;
        auto hits = store.search({u"people"_s}, u"moth"_s, 10, &error);
        QVERIFY2(hits && hits->size() == 1, qPrintable(error));
        QCOMPARE(hits->first().id, u"people.csv:4"_s); // the record starts on line 4 (a blank line before)
        QCOMPARE(hits->first().metadata["columns"]["note"],
                 Json("said \"it's easier to ask forgiveness\"\nand found a moth"));
        QCOMPARE(hits->first().content, u"name: Grace; city: New York; note: said \"it's easier to ask "
                                        "forgiveness\"\nand found a moth"_s);
        hits = store.search({u"people"_s}, u"Helsinki"_s, 10, &error);
        QCOMPARE(hits->first().id, u"people.csv:6"_s);
        QCOMPARE(hits->first().content, u"name: Linus; city: Helsinki"_s); // empty fields left out

        hits = store.search({u"events"_s}, u"comet"_s, 10, &error);
        QVERIFY2(hits && hits->size() == 1, qPrintable(error));
        QCOMPARE(hits->first().content, u"the comet returns in 2061"_s);
        QCOMPARE(hits->first().metadata["fields"], (Json{{"source", "almanac"}}));
        hits = store.search({u"events"_s}, u"oslo"_s, 10, &error);
        QCOMPARE(hits->first().id, u"events.jsonl:3"_s);
        QCOMPARE(hits->first().content, u"city: Oslo; population: 709000"_s);
        hits = store.search({u"events"_s}, u"bare"_s, 10, &error);
        QCOMPARE(hits->first().content, u"a bare string line"_s);

        hits = store.search({u"guide"_s}, u"heading"_s, 10, &error);
        QVERIFY2(hits && hits->size() == 2, qPrintable(error)); // the intro and the fenced line
        hits = store.search({u"guide"_s}, u"minutes"_s, 10, &error);
        QCOMPARE(hits->first().id, u"guide.md:9"_s);
        QCOMPARE(hits->first().metadata["heading"], Json("Steeping"));
        QCOMPARE(hits->first().content, u"## Steeping ##\nThree minutes for black tea."_s);
        hits = store.search({u"guide"_s}, u"fence"_s, 10, &error);
        QCOMPARE(hits->first().id, u"guide.md:3"_s); // "# not a heading" stays in "Brewing"
        QCOMPARE(hits->first().metadata["heading"], Json("Brewing"));

        hits = store.search({u"poem"_s}, u"second"_s, 10, &error);
        QCOMPARE(hits->first().id, u"poem.txt:5"_s);
        QCOMPARE(hits->first().content, u"Second paragraph."_s);

        // Several datasets at once: the best of all, best first.
        // ("paragraph" is in every record of poem, so bm25 gives it almost no weight there.)
        hits = store.search({u"poem"_s, u"people"_s, u"events"_s}, u"first paragraph program"_s, 2, &error);
        QVERIFY2(hits && hits->size() == 2, qPrintable(error));
        QCOMPARE(hits->at(0).id, u"people.csv:2"_s);
        QCOMPARE(hits->at(1).id, u"poem.txt:1"_s);
        QCOMPARE(hits->at(1).dataset, u"poem"_s);
    }

    void foldersSidecarsAndOverrides()
    {
        const QString first = newFolder();
        const QString second = newFolder();
        write(first + u"/Tea Notes/green.md"_s, "# Green\nSteamed or pan-fired.\n");
        write(first + u"/Tea Notes/more/black.txt"_s, "Black tea is oxidised.\n");
        write(first + u"/Tea Notes/.hidden.txt"_s, "hidden oxidised\n");
        write(first + u"/Tea Notes/picture.png"_s, "not data");
        write(first + u"/Tea Notes.dataset.json"_s, "{\"name\": \"Tea\", \"description\": \"Notes on tea\"}");
        write(first + u"/empty/readme.pdf"_s, "nothing to index");
        write(first + u"/cities.csv"_s, "name\nOslo\n");
        write(second + u"/cities.csv"_s, "name\nLima\nQuito\n");

        const DatasetStore store({first, second}, indexFile());
        const DatasetListing listing = store.list();
        const DatasetInfo *tea = findInfo(listing, u"tea-notes"_s);
        QVERIFY(tea);
        QCOMPARE(tea->name, u"Tea"_s);
        QCOMPARE(tea->description, u"Notes on tea"_s);
        QCOMPARE(tea->size, 2);
        QCOMPARE(findInfo(listing, u"cities"_s)->size, 2); // the later folder wins
        QVERIFY(!findInfo(listing, u"empty"_s));
        const QString problems = problemsText(listing.problems);
        QVERIFY2(problems.contains(second + u"/cities.csv: overrides the dataset \"cities\" in "_s + first),
                 qPrintable(problems));
        QVERIFY2(problems.contains(first + u"/empty: the folder holds no CSV"_s), qPrintable(problems));

        QString error;
        const auto hits = store.search({u"tea-notes"_s}, u"oxidised"_s, 10, &error);
        QVERIFY2(hits && hits->size() == 1, qPrintable(error));
        QCOMPARE(hits->first().id, u"more/black.txt:1"_s);
        QCOMPARE(DatasetCatalog::slugFor(u"  Über Notes (v2)!"_s), u"über-notes-v2"_s);
    }

    void reindexesWhenAFileChangesAndOnlyThen()
    {
        const QString folder = newFolder();
        const QString file = folder + u"/notes.txt"_s;
        write(file, "The heron waits.\n");
        const DatasetStore store({folder}, indexFile());
        QString error;
        auto hits = store.search({u"notes"_s}, u"pelican"_s, 10, &error);
        QVERIFY2(hits && hits->isEmpty(), qPrintable(error));
        const QVariant firstIndexed = indexColumn(indexFile(), file, u"indexed_at"_s);
        const QVariant firstTable = indexColumn(indexFile(), file, u"table_id"_s);
        QVERIFY(firstIndexed.isValid());

        // Unchanged files are not read again.
        QCOMPARE(store.list().datasets.size(), 1);
        hits = store.search({u"notes"_s}, u"heron"_s, 10, &error);
        QVERIFY2(hits && hits->size() == 1, qPrintable(error));
        QCOMPARE(indexColumn(indexFile(), file, u"indexed_at"_s), firstIndexed);
        QCOMPARE(indexColumn(indexFile(), file, u"table_id"_s), firstTable);

        // The same size, a new modification time: indexed again, the new words found.
        write(file, "The pelican dives\n");
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(QDateTime::currentDateTimeUtc().addSecs(60), QFileDevice::FileModificationTime));
        f.close();
        hits = store.search({u"notes"_s}, u"pelican"_s, 10, &error);
        QVERIFY2(hits && hits->size() == 1, qPrintable(error));
        QCOMPARE(hits->first().content, u"The pelican dives"_s);
        QVERIFY(store.search({u"notes"_s}, u"heron"_s, 10, &error)->isEmpty());
        QVERIFY(indexColumn(indexFile(), file, u"table_id"_s) != firstTable);

        // A second store on the same index (another tool) sees the index as current.
        const QVariant secondTable = indexColumn(indexFile(), file, u"table_id"_s);
        const DatasetStore other({folder}, indexFile());
        QCOMPARE(other.list().datasets.first().size, 1);
        QCOMPARE(indexColumn(indexFile(), file, u"table_id"_s), secondTable);

        // A file added to a folder dataset changes the dataset.
        write(folder + u"/log/a.txt"_s, "one\n");
        QCOMPARE(findInfo(store.list(), u"log"_s)->size, 1);
        write(folder + u"/log/b.txt"_s, "two\n\nthree\n");
        QCOMPARE(findInfo(store.list(), u"log"_s)->size, 3);

        // A dataset whose file is gone leaves the index.
        QVERIFY(QFile::remove(file));
        QVERIFY(!findInfo(store.list(), u"notes"_s));
        QVERIFY(!indexColumn(indexFile(), file, u"table_id"_s).isValid());
    }

    void brokenFilesAreReportedAndTheRestWorks()
    {
        const QString folder = newFolder();
        write(folder + u"/good.csv"_s, "word\nquasar\n");
        write(folder + u"/lines.jsonl"_s, "{\"text\": \"fine\"}\n{\"text\": \"also fine\"}\n{\"text\": oops}\n");
        write(folder + u"/ragged.csv"_s, "a,b\n1,2\n3\n");
        write(folder + u"/open.csv"_s, "a,b\n1,\"never closed\n2,3\n");
        write(folder + u"/latin1.txt"_s, "caf\xe9\n");
        write(folder + u"/mixed/ok.md"_s, "# Fine\nnebula\n");
        write(folder + u"/mixed/bad.jsonl"_s, "[1,\n");

        const DatasetStore store({folder}, indexFile());
        const DatasetListing listing = store.list();
        QVERIFY2(listing.error.isEmpty(), qPrintable(listing.error));
        const QString problems = problemsText(listing.problems);
        QVERIFY2(problems.contains(folder + u"/lines.jsonl:3: not valid JSON: column "_s), qPrintable(problems));
        QVERIFY2(problems.contains(folder + u"/ragged.csv:3: 1 fields where the header has 2"_s), qPrintable(problems));
        QVERIFY2(problems.contains(folder + u"/open.csv:2: a quoted field is not closed"_s), qPrintable(problems));
        QVERIFY2(problems.contains(folder + u"/latin1.txt:1: the file is not UTF-8 text"_s), qPrintable(problems));
        QVERIFY2(problems.contains(folder + u"/mixed/bad.jsonl:1: not valid JSON"_s), qPrintable(problems));
        QCOMPARE(listing.problems.size(), 5);

        // Unreadable datasets are not offered; the others are, whole or in part.
        QStringList slugs;
        for (const DatasetInfo &d : listing.datasets)
            slugs.append(d.slug);
        QCOMPARE(slugs, (QStringList{u"good"_s, u"mixed"_s}));
        QCOMPARE(findInfo(listing, u"mixed"_s)->size, 1);

        QString error;
        auto hits = store.search({u"good"_s, u"mixed"_s}, u"quasar nebula"_s, 10, &error);
        QVERIFY2(hits && hits->size() == 2, qPrintable(error));
        QVERIFY(!store.search({u"lines"_s}, u"fine"_s, 10, &error));
        QCOMPARE(error, u"dataset \"lines\" could not be read: "_s + folder
                            + u"/lines.jsonl:3: not valid JSON: column 10: syntax error while parsing value - "
                              "invalid literal; last read: '\"text\": o'"_s);

        // Fixing the file brings the dataset back.
        write(folder + u"/lines.jsonl"_s, "{\"text\": \"fine\"}\n");
        hits = store.search({u"lines"_s}, u"fine"_s, 10, &error);
        QVERIFY2(hits && hits->size() == 1, qPrintable(error));
    }

    void missingFolderAndBadIndexAreSaid()
    {
        const QString missing = m_dir.filePath(u"no-such-folder"_s);
        const DatasetStore store({missing}, indexFile());
        const DatasetListing listing = store.list();
        QCOMPARE(problemsText(listing.problems), missing + u": the datasets folder does not exist"_s);

        const QString folder = newFolder();
        write(folder + u"/a.txt"_s, "words\n");
        const QString notADatabase = folder + u"/index.sqlite"_s;
        write(notADatabase, QByteArray(4096, 'x'));
        const DatasetStore broken({folder}, notADatabase);
        QVERIFY(broken.list().error.contains(notADatabase));
        QString error;
        QVERIFY(!broken.search({u"a"_s}, u"words"_s, 5, &error));
        QVERIFY2(error.contains(u"the dataset index "_s + notADatabase + u" cannot be opened"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
