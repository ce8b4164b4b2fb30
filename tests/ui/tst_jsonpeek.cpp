#include "core/model/json/json.h"
#include "ui/common/jsonpeek.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using invoke::Json;
using namespace invoke::ui;

Q_DECLARE_METATYPE(jsonpeek::Found)

// Every answer of the scanner is checked against a real parse of the same text.
class TestJsonPeek : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void agreesWithAParse_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<jsonpeek::Found>("found");
        using F = jsonpeek::Found;
        const QByteArray event = invoke::dumpJson(Json{
            {"type", "message_content"}, {"payload", "He said \"hi\" \\ {not: an object} [,]"},
            {"metadata", {{"user_visibility", "hidden"}, {"message_content_id", "m\"1"}, {"seq", 12},
                          {"nested", {{"payload", "inner"}, {"list", {1, "two", Json::object()}}}}}}});
        QTest::newRow("canonical, first key") << event << QByteArray("metadata") << F::Yes;
        QTest::newRow("canonical, string with escapes") << event << QByteArray("payload") << F::Yes;
        QTest::newRow("canonical, last key") << event << QByteArray("type") << F::Yes;
        QTest::newRow("absent") << event << QByteArray("result") << F::No;
        QTest::newRow("only nested, so absent") << event << QByteArray("list") << F::No;
        QTest::newRow("spaces everywhere")
            << QByteArray(" {\n \"a\" : 1 ,\t\"b\" :\r\n [ 1 , { \"c\" : \"}\" } ] , \"d\" : null } ") << QByteArray("d") << F::Yes;
        QTest::newRow("array value") << QByteArray("{\"a\": [1, [2, \"]\"], {}], \"b\": true}") << QByteArray("a") << F::Yes;
        QTest::newRow("number before the end") << QByteArray("{\"a\":-1.5e3}") << QByteArray("a") << F::Yes;
        QTest::newRow("empty object") << QByteArray("{}") << QByteArray("a") << F::No;
        QTest::newRow("backslash before a closing quote")
            << QByteArray("{\"a\": \"ends in \\\\\", \"b\": \"x\"}") << QByteArray("b") << F::Yes;
        QTest::newRow("escaped key is not guessed") << QByteArray("{\"\\u0062\": 1}") << QByteArray("b") << F::Unsure;
        QTest::newRow("escaped key beside the one asked for")
            << QByteArray("{\"b\": 2, \"\\u0062\": 1}") << QByteArray("b") << F::Unsure;
        QTest::newRow("a key given twice") << QByteArray("{\"b\": 2, \"b\": 3}") << QByteArray("b") << F::Yes;
        QTest::newRow("not an object") << QByteArray("[\"a\", 1]") << QByteArray("a") << F::Unsure;
        QTest::newRow("a string") << QByteArray("\"a\"") << QByteArray("a") << F::Unsure;
    }

    void agreesWithAParse()
    {
        QFETCH(QByteArray, json);
        QFETCH(QByteArray, key);
        QFETCH(jsonpeek::Found, found);
        QByteArrayView value;
        QCOMPARE(jsonpeek::member(json, key, &value), found);
        const Json parsed = invoke::parseJson(json);
        QVERIFY(!parsed.is_discarded());
        if (found == jsonpeek::Found::Yes) {
            const Json expected = parsed.at(key.toStdString());
            QVERIFY2(invoke::parseJson(value) == expected, value.toByteArray().constData());
            if (expected.is_string()) {
                QString text;
                QVERIFY(jsonpeek::stringValue(value, &text));
                QCOMPARE(text, invoke::toQString(expected.get<std::string>()));
            }
        } else if (found == jsonpeek::Found::No) {
            QVERIFY(!parsed.contains(key.toStdString()));
        }
    }

    void severalMembersInOnePass()
    {
        const QByteArray json = "{\"metadata\": {\"x\": 1}, \"payload\": \"p\", \"type\": \"t\"}";
        const QByteArrayView keys[] = {"type", "missing", "metadata"};
        QByteArrayView values[3];
        QCOMPARE(jsonpeek::members(json, keys, values, 3), jsonpeek::Found::Yes);
        QCOMPARE(values[0], QByteArrayView("\"t\""));
        QVERIFY(values[1].isNull());
        QCOMPARE(values[2], QByteArrayView("{\"x\": 1}"));
    }

    void stringValues_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("plain") << u"plain text"_s;
        QTest::newRow("empty") << QString();
        QTest::newRow("escapes") << u"quote \" backslash \\ slash / \b\f\n\r\t end"_s;
        QTest::newRow("control") << QString(QChar(0x01)) + u"x"_s;
        QTest::newRow("non-ascii") << u"Grüße, 東京"_s;
        QTest::newRow("surrogate pair") << u"smile 😀 ok"_s;
    }

    void stringValues()
    {
        QFETCH(QString, text);
        // Both ways a writer may spell it: raw UTF-8, and every non-ASCII as \uXXXX.
        const Json value = invoke::toStd(text);
        for (const bool ascii : {false, true}) {
            const std::string literal = value.dump(-1, ' ', ascii);
            QString decoded;
            QVERIFY(jsonpeek::stringValue(QByteArrayView(literal.data(), qsizetype(literal.size())), &decoded));
            QCOMPARE(decoded, text);
        }
        QString unused;
        QVERIFY(!jsonpeek::stringValue("12", &unused));
        QVERIFY(!jsonpeek::stringValue("\"", &unused));
    }
};

QTEST_MAIN(TestJsonPeek)
#include "tst_jsonpeek.moc"
