// The sidecar's "searched_columns" and "shown_columns" (docs/datasets.md): the index searches
// only the searched columns and memory.search hands on only the shown ones, in its content
// and its metadata; both ranking paths (FTS5's own and the rows scored here) answer alike;
// the run's search (DatasetStore::search, what memory.search calls) and the preview's
// (searchDataset, what Backend::searchDataset and invoke-cli call) answer the same. A
// changed list re-indexes, a changed name or description does not; a column the file lacks
// is said and the rest still works; a list that is not a list of names is a problem.
#include "core/datasets/datasetcatalog.h"
#include "core/datasets/datasetstore.h"
#include "tests/support/jsontext.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::datasets;
using invoke::test::jsonText;

namespace {

void write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

// The index's table id for `path` (a new one each time the dataset is indexed).
qint64 tableIdOf(const QString &indexFile, const QString &path)
{
    qint64 id = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"probe"_s);
        db.setDatabaseName(indexFile);
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(u"SELECT table_id FROM datasets WHERE path = ?"_s);
            q.addBindValue(path);
            if (q.exec() && q.next())
                id = q.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(u"probe"_s);
    return id;
}

QString problemsText(const QList<LoadProblem> &problems)
{
    QStringList lines;
    for (const LoadProblem &p : problems)
        lines.append(p.toString());
    return lines.join(u'\n');
}

const QByteArray Planets = "name,kind,note\n"
                           "Mars,planet,red dust and tall volcanoes\n"
                           "Venus,planet,thick clouds of acid\n"
                           "Ceres,dwarf,the largest body of the asteroid belt\n";

} // namespace

class TestDatasetColumns : public QObject
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
    QString indexFile() const { return m_dir.filePath(u"index.sqlite"_s); }

    // The store's two ways in give the same memories; returns them as memory.search's JSON.
    static Json searchBoth(const DatasetStore &store, const QString &slug, const QString &query, int limit = 10)
    {
        QString error;
        const auto run = store.search({slug}, query, limit, &error);
        [&] { QVERIFY2(run, qPrintable(error)); }();
        const DatasetSearchResult preview = store.searchDataset(slug, query, limit);
        [&] { QVERIFY2(preview.failure == DatasetSearchResult::Failure::None, qPrintable(preview.error)); }();
        const Json a = run ? memoriesJson(*run) : Json();
        const Json b = memoriesJson(preview.memories);
        [&] { QVERIFY2(a == b, qPrintable(jsonText(a) + u" != "_s + jsonText(b))); }();
        return a;
    }

private Q_SLOTS:
    void everyColumnWithoutASidecar()
    {
        const QString folder = newFolder();
        write(folder + u"/planets.csv"_s, Planets);
        const DatasetStore store({folder}, indexFile());
        const Json out = searchBoth(store, u"planets"_s, u"volcanoes"_s);
        QCOMPARE(out["memories"].size(), size_t(1));
        QCOMPARE(QString::fromStdString(out["memories"][0]["content"].get<std::string>()),
                 u"name: Mars; kind: planet; note: red dust and tall volcanoes"_s);
        QCOMPARE(out["memories"][0]["metadata"]["columns"].size(), size_t(3));
    }

    void searchesAndShowsOnlyTheSidecarsColumns()
    {
        const QString folder = newFolder();
        write(folder + u"/planets.csv"_s, Planets);
        write(folder + u"/planets.dataset.json"_s,
              R"({"name": "Planets", "searched_columns": ["note"], "shown_columns": ["name", "kind"]})");
        const DatasetStore store({folder}, indexFile());

        // "planet" is only in the kind column, which is shown but not searched.
        QCOMPARE(searchBoth(store, u"planets"_s, u"planet"_s)["memories"].size(), size_t(0));
        QCOMPARE(searchBoth(store, u"planets"_s, u"Mars"_s)["memories"].size(), size_t(0));

        const Json out = searchBoth(store, u"planets"_s, u"acid clouds"_s);
        QCOMPARE(out["memories"].size(), size_t(1));
        const Json &hit = out["memories"][0];
        QCOMPARE(QString::fromStdString(hit["id"].get<std::string>()), u"planets.csv:3"_s);
        QCOMPARE(QString::fromStdString(hit["content"].get<std::string>()), u"name: Venus; kind: planet"_s);
        QVERIFY2(hit["metadata"]["columns"] == Json({{"name", "Venus"}, {"kind", "planet"}}),
                 qPrintable(jsonText(hit["metadata"])));
        QVERIFY(hit["score"].get<double>() > 0);
    }

    void onlyShownRestrictsWhatIsHandedOnNotWhatIsSearched()
    {
        const QString folder = newFolder();
        write(folder + u"/planets.csv"_s, Planets);
        write(folder + u"/planets.dataset.json"_s, R"({"shown_columns": ["name"]})");
        const DatasetStore store({folder}, indexFile());
        const Json out = searchBoth(store, u"planets"_s, u"asteroid"_s);
        QCOMPARE(out["memories"].size(), size_t(1));
        QCOMPARE(QString::fromStdString(out["memories"][0]["content"].get<std::string>()), u"name: Ceres"_s);
    }

    // A row whose searched columns are all empty is found by nothing, not by its other columns.
    void aRowWithEmptySearchedColumnsIsNotFound()
    {
        const QString folder = newFolder();
        write(folder + u"/notes.csv"_s, "title,body\nalpha,\nbeta,alpha again\n");
        write(folder + u"/notes.dataset.json"_s, R"({"searched_columns": ["body"]})");
        const DatasetStore store({folder}, indexFile());
        const Json out = searchBoth(store, u"notes"_s, u"alpha"_s);
        QCOMPARE(out["memories"].size(), size_t(1));
        QCOMPARE(QString::fromStdString(out["memories"][0]["id"].get<std::string>()), u"notes.csv:3"_s);
        QCOMPARE(QString::fromStdString(out["memories"][0]["content"].get<std::string>()),
                 u"title: beta; body: alpha again"_s);
    }

    void jsonLinesMembers()
    {
        const QString folder = newFolder();
        write(folder + u"/facts.jsonl"_s, "{\"text\": \"the moon is made of rock\", \"topic\": \"moon\", \"n\": 1}\n"
                                          "{\"text\": \"the sun is a star\", \"topic\": \"sun\", \"n\": 2}\n");
        write(folder + u"/facts.dataset.json"_s, R"({"searched_columns": ["topic"], "shown_columns": ["text", "n"]})");
        const DatasetStore store({folder}, indexFile());
        QCOMPARE(searchBoth(store, u"facts"_s, u"rock"_s)["memories"].size(), size_t(0));
        const Json out = searchBoth(store, u"facts"_s, u"moon"_s);
        QCOMPARE(out["memories"].size(), size_t(1));
        QCOMPARE(QString::fromStdString(out["memories"][0]["content"].get<std::string>()),
                 u"n: 1; text: the moon is made of rock"_s); // members in name order, as JSON reads them
        QVERIFY2(out["memories"][0]["metadata"]["fields"] == Json({{"text", "the moon is made of rock"}, {"n", 1}}),
                 qPrintable(jsonText(out["memories"][0]["metadata"])));
    }

    // Common words make the search score rows itself (core/datasets/datasetranking.h): it
    // must hand on the shown columns as FTS5's own ranking does.
    void bothRankingPathsHandOnTheShownColumns()
    {
        const QString folder = newFolder();
        QByteArray csv = "id,colour,note\n";
        for (int i = 1; i <= 300; ++i)
            csv += QByteArray::number(i) + (i % 3 ? ",blue," : ",green,") + "common words here row"
                + QByteArray::number(i) + "\n";
        write(folder + u"/rows.csv"_s, csv);
        write(folder + u"/rows.dataset.json"_s, R"({"searched_columns": ["note"], "shown_columns": ["id", "colour"]})");
        const DatasetStore exact({folder}, indexFile());
        DatasetStore scored({folder}, indexFile());
        scored.setSearchBudget({/*exactPostings*/ 10, /*candidateRows*/ 1000});
        for (const QString &query : {u"common"_s, u"words row7"_s, u"blue"_s}) {
            const Json a = searchBoth(exact, u"rows"_s, query, 20);
            const Json b = searchBoth(scored, u"rows"_s, query, 20);
            QVERIFY2(a == b, qPrintable(query + u": "_s + jsonText(a) + u" != "_s + jsonText(b)));
        }
        const Json out = searchBoth(scored, u"rows"_s, u"common"_s, 5);
        QCOMPARE(out["memories"].size(), size_t(5));
        for (const Json &m : out["memories"])
            QVERIFY2(QString::fromStdString(m["content"].get<std::string>()).startsWith(u"id: "_s)
                         && !QString::fromStdString(m["content"].get<std::string>()).contains(u"note"_s),
                     qPrintable(jsonText(m)));
        QCOMPARE(searchBoth(scored, u"rows"_s, u"blue"_s)["memories"].size(), size_t(0));
    }

    void aChangedListReindexesAndANewNameDoesNot()
    {
        const QString folder = newFolder();
        const QString csv = folder + u"/planets.csv"_s;
        const QString sidecar = folder + u"/planets.dataset.json"_s;
        write(csv, Planets);
        write(sidecar, R"({"name": "Planets"})");
        const DatasetStore store({folder}, indexFile());
        QCOMPARE(searchBoth(store, u"planets"_s, u"dwarf"_s)["memories"].size(), size_t(1));
        const qint64 first = tableIdOf(indexFile(), csv);
        QVERIFY(first > 0);

        write(sidecar, R"({"name": "The planets", "description": "Three of them"})");
        QCOMPARE(searchBoth(store, u"planets"_s, u"dwarf"_s)["memories"].size(), size_t(1));
        QCOMPARE(tableIdOf(indexFile(), csv), first); // nothing to index again

        write(sidecar, R"({"name": "The planets", "searched_columns": ["name"]})");
        QCOMPARE(searchBoth(store, u"planets"_s, u"dwarf"_s)["memories"].size(), size_t(0));
        const qint64 second = tableIdOf(indexFile(), csv);
        QVERIFY(second != first);
        QCOMPARE(searchBoth(store, u"planets"_s, u"ceres"_s)["memories"].size(), size_t(1));
        QCOMPARE(tableIdOf(indexFile(), csv), second);

        write(sidecar, R"({"name": "The planets", "searched_columns": []})"); // none ticked: every column
        QCOMPARE(searchBoth(store, u"planets"_s, u"dwarf"_s)["memories"].size(), size_t(1));

        QFile::remove(sidecar);
        QCOMPARE(searchBoth(store, u"planets"_s, u"dwarf"_s)["memories"].size(), size_t(1));
    }

    void aColumnTheFileLacksIsSaidAndTheRestWorks()
    {
        const QString folder = newFolder();
        write(folder + u"/planets.csv"_s, Planets);
        write(folder + u"/planets.dataset.json"_s, R"({"searched_columns": ["note", "colour"], "shown_columns": ["name"]})");
        const DatasetStore store({folder}, indexFile());
        const DatasetListing listing = store.list();
        QVERIFY(listing.error.isEmpty());
        QCOMPARE(listing.datasets.size(), 1);
        QCOMPARE(listing.datasets.first().size, 3);
        const QString problems = problemsText(listing.problems);
        QVERIFY2(problems.contains(u"planets.csv:1: the sidecar names columns the header does not have: colour"_s),
                 qPrintable(problems));
        // Said again from the stored index, without reading the file.
        QVERIFY(problemsText(store.list().problems).contains(u"colour"_s));
        QCOMPARE(searchBoth(store, u"planets"_s, u"acid"_s)["memories"].size(), size_t(1));
    }

    void aListThatIsNotNamesIsAProblem()
    {
        const QString folder = newFolder();
        write(folder + u"/planets.csv"_s, Planets);
        write(folder + u"/planets.dataset.json"_s, R"({"searched_columns": "note", "shown_columns": [1]})");
        DatasetCatalog catalog;
        catalog.scan({folder});
        QCOMPARE(catalog.sources().size(), 1);
        QVERIFY(catalog.sources().first().searchedColumns.isEmpty());
        const QString problems = problemsText(catalog.problems());
        QVERIFY2(problems.contains(u"\"searched_columns\" must be a list of column names"_s), qPrintable(problems));
        QVERIFY2(problems.contains(u"\"shown_columns\" must be a list of column names"_s), qPrintable(problems));
        const DatasetStore store({folder}, indexFile());
        QCOMPARE(searchBoth(store, u"planets"_s, u"acid"_s)["memories"].size(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestDatasetColumns)
#include "tst_datasetcolumns.moc"
