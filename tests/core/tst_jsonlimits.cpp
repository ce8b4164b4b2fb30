// The one JSON parse (core/model/json/json.h): every failure — syntax, a number too big for a
// double, nesting past the limit — is a message with line and column, never an exception
// or a crash, and the event readers (SAX, no DOM) stop at the same depth.
#include "core/model/event.h"
#include "core/model/json/json.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

QByteArray nested(int depth, char open = '[', char close = ']')
{
    return QByteArray(depth, open) + QByteArray(depth, close);
}

} // namespace

class JsonLimitsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusedWithPlace_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected"); // the start of the message

        QTest::newRow("syntax") << QByteArray("{\"a\": tru}") << u"line 1, column 10: syntax error while parsing value - invalid literal"_s;
        QTest::newRow("number overflow") << QByteArray("{\"parameters\": {\"x\": 1e999999}}")
                                         << u"line 1, column 22: number overflow parsing '1e999999'"_s;
        QTest::newRow("negative overflow") << QByteArray("[\n  -1e400\n]") << u"line 2, column 3: number overflow"_s;
        QTest::newRow("one past the limit") << nested(kJsonMaxDepth + 1)
                                            << u"line 1, column %1: nested more than %2 levels deep"_s.arg(kJsonMaxDepth + 1).arg(kJsonMaxDepth);
        QTest::newRow("100000 arrays") << nested(100000)
                                       << u"line 1, column %1: nested more than"_s.arg(kJsonMaxDepth + 1);
        QTest::newRow("100000 objects")
            << QByteArray("{\"a\":").repeated(100000) + "1" + QByteArray("}").repeated(100000)
            << u"line 1, column %1: nested more than"_s.arg(5 * kJsonMaxDepth + 1);
        QTest::newRow("brackets in strings do not count")
            << QByteArray("[\"[[[[\",") + nested(kJsonMaxDepth) + "]" << u"line 1, column %1: nested"_s.arg(8 + kJsonMaxDepth);
        QTest::newRow("deep mock output on line 3")
            << QByteArray("{\n  \"answer\": {\"status\": \"success\",\n  \"output\": ") + nested(5000) + "}}"
            << u"line 3, column %1: nested"_s.arg(13 + kJsonMaxDepth - 2);
        QTest::newRow("empty") << QByteArray() << u"line 1, column 1: syntax error"_s;
    }

    void refusedWithPlace()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        QString error;
        const Json value = parseJson(text, &error);
        QVERIFY(value.is_discarded());
        QVERIFY2(error.startsWith(expected), qPrintable(error));
        QVERIFY2(!error.contains(u"json.exception"_s), qPrintable(error));

        // The ordered parse says the same, and so does the caller that marks the place itself.
        QString orderedError;
        QVERIFY(parseOrderedJson(text, &orderedError).is_discarded());
        QCOMPARE(orderedError, error);
        JsonParseError at;
        QVERIFY(parseJsonAt(text, &at).is_discarded());
        QVERIFY(error.endsWith(at.reason));
        QVERIFY(at.offset >= 0 && at.offset <= text.size());
    }

    void depthLimitIsExact()
    {
        const Json atLimit = parseJson(nested(kJsonMaxDepth));
        QVERIFY(atLimit.is_array());
        // What is accepted can be written out again (the walk the limit protects).
        QCOMPARE(dumpJson(atLimit), nested(kJsonMaxDepth));
        QVERIFY(parseJson(nested(kJsonMaxDepth + 1)).is_discarded());

        // Streams that wrap documents take a few levels more.
        QVERIFY(parseJson(nested(kJsonMaxWireDepth), nullptr, kJsonMaxWireDepth).is_array());
        QVERIFY(parseJson(nested(kJsonMaxWireDepth + 1), nullptr, kJsonMaxWireDepth).is_discarded());
        QVERIFY(kJsonMaxWireDepth > kJsonMaxDepth + 8);
    }

    void goodDocumentsUnchanged()
    {
        // (No raw string here: moc misreads a backslash inside one.)
        const QByteArray text = "{\"b\": [1, 2.5, -3, true, null, \"x\\\"y\"], \"a\": {\"big\": 1e308, \"u\": 18446744073709551615}}";
        const Json value = parseJson(text);
        QVERIFY(value.is_object());
        QCOMPARE(value["b"][1].get<double>(), 2.5);
        QCOMPARE(value["a"]["u"].get<quint64>(), Q_UINT64_C(18446744073709551615));
        QVERIFY(value == Json::parse(text.toStdString()));
        // The ordered parse keeps the order it was written in.
        QCOMPARE(QByteArray::fromStdString(parseOrderedJson(text).dump()).left(5), QByteArray("{\"b\":"));
    }

    void eventReadersStopAtTheWireDepth()
    {
        const QByteArray deep = "{\"type\": \"status\", \"payload\": " + nested(100000) + "}";
        QString error;
        QVERIFY(!Event::decode(deep, &error));
        QVERIFY2(error.contains(u"nested more than %1"_s.arg(kJsonMaxWireDepth)), qPrintable(error));

        const QByteArray huge = R"({"type": "status", "payload": {"n": 1e999999}})";
        QVERIFY(!Event::decode(huge, &error));
        QVERIFY2(error.contains(u"number overflow"_s), qPrintable(error));

        // Within the limit, an event decodes and its JSON is there to read.
        const QByteArray fine = "{\"type\": \"status\", \"payload\": " + nested(kJsonMaxWireDepth - 2) + "}";
        const auto event = Event::decode(fine, &error);
        QVERIFY2(event, qPrintable(error));
        QVERIFY(event->json().is_object());
    }
};

QTEST_GUILESS_MAIN(JsonLimitsTest)
#include "tst_jsonlimits.moc"
