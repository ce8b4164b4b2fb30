// memory.search's ranking when FTS5 does not rank itself (core/datasets/datasetranking.h):
// rows scored here get the same scores, order and ties as FTS5's bm25 (every row scored:
// the same answer for a few hundred queries over Zipf-like text with accents, capitals
// and digits); with the budget a 1M-row dataset has, queries of rare words keep FTS5's
// own answer and a rare word next to the commonest words finds the same rows; a query of
// only very common words answers its limit from the rows it read, each with its exact
// score. The index keeps the common words' row counts (m<id>_terms), and drops them with
// its table.
#include "core/datasets/datasetranking.h"
#include "core/datasets/datasetstore.h"
#include "tests/support/jsontext.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QRandomGenerator>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;
using invoke::datasets::SearchBudget;

namespace {

QString word(quint32 i)
{
    static const char *syllables[] = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "vo",
                                      "pe", "du", "an", "el", "or", "is", "um", "ze"};
    QString w;
    do {
        w += QString::fromLatin1(syllables[i % 16]);
        i /= 16;
    } while (i > 0);
    return w;
}

quint32 skewed(QRandomGenerator &rng, quint32 n)
{
    return quint32(std::pow(double(n), rng.generateDouble())) - 1;
}

// Rows of 4 to 30 words from a 3,000-word vocabulary, most of them from its first few;
// some capitalised, some accented, some with digits.
QByteArray zipfCsv(int rows)
{
    QRandomGenerator rng(11);
    QString out = u"id,note\n"_s;
    for (int r = 1; r <= rows; ++r) {
        QStringList words;
        const int n = 4 + int(rng.bounded(27));
        for (int i = 0; i < n; ++i) {
            QString w = word(skewed(rng, 3000));
            const quint32 style = rng.bounded(40);
            if (style == 0)
                w[0] = w[0].toUpper();
            else if (style == 1)
                w += u"é"_s;
            else if (style == 2)
                w += QString::number(rng.bounded(5));
            else if (style == 3)
                w = w.toUpper();
            words.append(w);
        }
        out += QString::number(r) + u",\""_s + words.join(u' ') + u"\"\n"_s;
    }
    return out.toUtf8();
}

QStringList queries(int count)
{
    QRandomGenerator rng(5);
    QStringList list;
    while (list.size() < count) {
        QStringList q;
        const int n = 1 + int(rng.bounded(3));
        for (int i = 0; i < n; ++i)
            q.append(word(skewed(rng, 3000)));
        list.append(q.join(u' '));
    }
    // Accents, capitals and digits as typed.
    list += QStringList{u"Kalo"_s, u"KA lo"_s, u"miné"_s, u"MINE"_s, u"lo2"_s, u"ka ka"_s, u"Ka ka"_s};
    return list;
}

} // namespace

class TstDatasetRanking : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QString m_folder;

    Json search(const SearchBudget &budget, const QString &query, int limit)
    {
        datasets::DatasetStore store({m_folder}, m_home.filePath(u"index.sqlite"_s));
        store.setSearchBudget(budget);
        QString error;
        const auto found = store.search({u"notes"_s}, query, limit, &error);
        if (!found)
            qWarning("%s", qPrintable(error));
        return found ? datasets::memoriesJson(*found) : Json();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_home.isValid());
        m_folder = m_home.filePath(u"data"_s);
        QVERIFY(QDir().mkpath(m_folder));
        QFile csv(m_folder + u"/notes.csv"_s);
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write(zipfCsv(6000));
        csv.close();
    }

    void everyRowScoredHereRanksAsFts5Does()
    {
        const SearchBudget fts5{qint64(1) << 40, 0};
        const SearchBudget here{0, qint64(1) << 40}; // every row of the words, scored here
        int compared = 0;
        for (const QString &q : queries(300)) {
            for (const int limit : {10, 1000}) {
                const Json exact = search(fts5, q, limit);
                QVERIFY(exact.is_object());
                QCOMPARE(jsonText(search(here, q, limit)), jsonText(exact));
                compared += int(exact["memories"].size());
            }
        }
        QVERIFY2(compared > 50000, qPrintable(QString::number(compared)));
    }

    void aLargeDatasetsBudgetKeepsTheAnswer()
    {
        // The budget scaled to this dataset as the default one is to a 1M-row dataset.
        const SearchBudget scaled{36, 24};
        const SearchBudget fts5{qint64(1) << 40, 0};
        // Rare words: FTS5's own answer.
        for (const QString &q : QStringList{word(2900), word(2500) + u" "_s + word(2999), word(1700)})
            QCOMPARE(jsonText(search(scaled, q, 10)), jsonText(search(fts5, q, 10)));
        // A rare word beside the commonest ones: the same rows, the same scores.
        for (const QString &common : QStringList{word(0), word(0) + u" "_s + word(1)}) {
            const QString q = word(2000) + u" "_s + common;
            const Json exact = search(fts5, q, 3);
            QVERIFY(!exact["memories"].empty());
            QCOMPARE(jsonText(search(scaled, q, 3)), jsonText(exact));
        }
        // Only the commonest words: the limit, best first, each row's exact score.
        const Json capped = search(scaled, word(0), 10);
        QCOMPARE(capped["memories"].size(), size_t(10));
        const Json all = search(SearchBudget{0, qint64(1) << 40}, word(0), 1000);
        for (const Json &m : capped["memories"]) {
            bool found = false;
            for (const Json &e : all["memories"])
                found = found || (e["id"] == m["id"] && e["score"] == m["score"]);
            QVERIFY2(found || all["memories"].size() == 1000, qPrintable(jsonText(m)));
        }
        for (size_t i = 1; i < capped["memories"].size(); ++i)
            QVERIFY(capped["memories"][i - 1]["score"].get<double>() >= capped["memories"][i]["score"].get<double>());
    }

    void theIndexKeepsTheCommonWordsCounts()
    {
        search({}, word(0), 1); // indexed
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check"_s);
        db.setDatabaseName(m_home.filePath(u"index.sqlite"_s));
        QVERIFY(db.open());
        {
            QSqlQuery q(u"SELECT table_id FROM datasets"_s, db);
            QVERIFY(q.next());
            const qint64 id = q.value(0).toLongLong();
            // Every row says "id: ...; note: ...", and most the commonest word.
            QSqlQuery terms(u"SELECT term, rows FROM m%1_terms WHERE term IN ('id', '%2') ORDER BY rows DESC"_s.arg(id).arg(word(0)), db);
            QVERIFY(terms.next());
            QCOMPARE(terms.value(0).toString(), u"id"_s);
            QCOMPARE(terms.value(1).toLongLong(), 6000);
            QVERIFY(terms.next());
            QCOMPARE(terms.value(0).toString(), word(0));
            QSqlQuery count(u"SELECT count(*) FROM m%1 WHERE m%1 MATCH '\"%2\"'"_s.arg(id).arg(word(0)), db);
            QVERIFY(count.next());
            QCOMPARE(terms.value(1).toLongLong(), count.value(0).toLongLong());
            QSqlQuery rare(u"SELECT count(*) FROM m%1_terms WHERE rows < %2"_s.arg(id).arg(datasets::CommonTermRows), db);
            QVERIFY(rare.next());
            QCOMPARE(rare.value(0).toInt(), 0);
        }
        // A changed file: a new table, the old one and its counts gone.
        QFile csv(m_folder + u"/notes.csv"_s);
        QVERIFY(csv.open(QIODevice::Append));
        csv.write("6001,one more row\n");
        csv.close();
        search({}, word(0), 1);
        {
            QSqlQuery tables(u"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name GLOB 'm*_terms'"_s, db);
            QVERIFY(tables.next());
            QCOMPARE(tables.value(0).toInt(), 1);
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"check"_s);
    }
};

QTEST_MAIN(TstDatasetRanking)
#include "tst_datasetranking.moc"
