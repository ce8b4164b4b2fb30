// The bodies of GET /bots and GET /datasets (core/wire/listingcodec.h): what a server
// writes reads back the same, without the server's file paths; bare arrays read too; a
// wrong shape says what and where.
#include "core/wire/listingcodec.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

class TstListingCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void botsRoundTrip();
    void datasetsRoundTrip();
    void bareArrays();
    void wrongShapes_data();
    void wrongShapes();
};

void TstListingCodec::botsRoundTrip()
{
    BotInfo bot;
    bot.id = u"chat"_s;
    bot.key = u"chat"_s;
    bot.name = u"Chat"_s;
    bot.description = u"Talks."_s;
    bot.updatedAt = QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7, 890), Qt::UTC);
    bot.parameters.append(ParameterDefinition{u"tone"_s, u"Tone"_s, u"string"_s, true, Json("dry"), u"How."_s});
    bot.sourceFile = u"/srv/bots/chat.bot.json"_s;

    const Json body = wire::botListingBody({bot});
    QVERIFY(!dumpJson(body).contains("/srv/bots"));
    QString error;
    const auto bots = wire::botsFromBody(dumpJson(body), &error);
    QVERIFY2(bots, qPrintable(error));
    BotInfo expected = bot;
    expected.sourceFile.clear();
    QCOMPARE(bots->size(), 1);
    QVERIFY(bots->first() == expected);

    // A server that sends a path anyway: it is not taken for a local file.
    Json withPath = body;
    withPath["bots"][0]["source_file"] = "/srv/bots/chat.bot.json";
    QVERIFY(wire::botsFromBody(dumpJson(withPath))->first().sourceFile.isEmpty());
}

void TstListingCodec::datasetsRoundTrip()
{
    const DatasetInfo dataset{u"planets"_s, u"Planets"_s, u"The solar system."_s, 13};
    const auto datasets = wire::datasetsFromBody(dumpJson(wire::datasetListingBody({dataset})));
    QVERIFY(datasets);
    QCOMPARE(datasets->size(), 1);
    QVERIFY(datasets->first() == dataset);
    QVERIFY(wire::datasetsFromBody(dumpJson(wire::datasetListingBody({})))->isEmpty());
}

void TstListingCodec::bareArrays()
{
    const auto bots = wire::botsFromBody("[{\"key\": \"a\"}, {\"key\": \"b\", \"name\": \"B\"}]");
    QVERIFY(bots);
    QCOMPARE(bots->size(), 2);
    QCOMPARE(bots->at(1).name, u"B"_s);
    QCOMPARE(bots->at(0).id, u"a"_s);
    QCOMPARE(wire::datasetsFromBody("[{\"slug\": \"x\"}]")->first().name, u"x"_s);
}

void TstListingCodec::wrongShapes_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("bots");
    QTest::addColumn<QString>("error");
    QTest::newRow("not json") << QByteArray("{\"bots\": [") << true << u"not valid JSON: line 1"_s;
    QTest::newRow("no list") << QByteArray("{\"items\": []}") << true << u"no \"bots\" list"_s;
    QTest::newRow("list is object") << QByteArray("{\"datasets\": {}}") << false << u"\"datasets\" must be a list"_s;
    QTest::newRow("item without key") << QByteArray("{\"bots\": [{\"key\": \"a\"}, {\"name\": \"b\"}]}") << true
                                      << u"bots[1]: must be an object with a \"key\" string"_s;
    QTest::newRow("empty slug") << QByteArray("[{\"slug\": \"\"}]") << false
                                << u"datasets[0]: must be an object with a \"slug\" string"_s;
}

void TstListingCodec::wrongShapes()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, bots);
    QFETCH(QString, error);
    QString why;
    const bool ok = bots ? bool(wire::botsFromBody(body, &why)) : bool(wire::datasetsFromBody(body, &why));
    QVERIFY(!ok);
    QVERIFY2(why.contains(error), qPrintable(why));
}

QTEST_GUILESS_MAIN(TstListingCodec)
#include "tst_listingcodec.moc"
