// invoke-server's own HTTP framing, on its own: the request head parser
// (app/server/http/httphead.h) and the chunked body decoder (app/server/http/chunkedbody.h). Both
// are pure functions of the bytes, so each row is exactly what a client could send.
#include "app/server/http/chunkedbody.h"
#include "app/server/http/httphead.h"

#include <QtCore/QRandomGenerator>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke::server;

namespace {
enum Expect { Incomplete, Complete, Invalid };
const QByteArray kHost = "Host: 127.0.0.1:8642\r\n";
HeadParse parseHead(const QByteArray &bytes, qsizetype maxHeadBytes = kMaxHeadBytes)
{
    return parseRequestHead(bytes, maxHeadBytes);
}
} // namespace

class TstHttpHead : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void heads_data();
    void heads();
    void headEndsWhereTheBodyStarts();
    void refusedHeadKeepsMethodAndPathForTheLog();
    void overLongHead();
    void arbitraryBytesNeverBreakIt();
    void chunked_data();
    void chunked();
};

void TstHttpHead::heads_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("expect");
    QTest::addColumn<int>("status");          // Invalid
    QTest::addColumn<QString>("reason");      // Invalid: part of the reason
    QTest::addColumn<qint64>("contentLength"); // Complete
    QTest::addColumn<bool>("chunked");
    QTest::addColumn<bool>("keepAlive");

    auto good = [](const char *name, const QByteArray &bytes, qint64 length, bool chunked, bool keepAlive) {
        QTest::newRow(name) << bytes << int(Complete) << 0 << QString() << length << chunked << keepAlive;
    };
    auto bad = [](const char *name, const QByteArray &bytes, int status, const QString &reason) {
        QTest::newRow(name) << bytes << int(Invalid) << status << reason << qint64(0) << false << false;
    };
    auto partial = [](const char *name, const QByteArray &bytes) {
        QTest::newRow(name) << bytes << int(Incomplete) << 0 << QString() << qint64(0) << false << false;
    };

    good("GET", "GET /bots HTTP/1.1\r\n" + kHost + "\r\n", 0, false, true);
    good("POST with a length", "POST /bots/chat/invoke HTTP/1.1\r\n" + kHost + "Content-Length: 12\r\n\r\n", 12, false, true);
    good("chunked", "POST /bots/chat/invoke HTTP/1.1\r\n" + kHost + "Transfer-Encoding: Chunked\r\n\r\n", 0, true, true);
    good("Content-Length 0", "POST /x HTTP/1.1\r\n" + kHost + "Content-Length: 0\r\n\r\n", 0, false, true);
    good("blank lines before the request line", "\r\n\r\nGET /bots HTTP/1.1\r\n" + kHost + "\r\n", 0, false, true);
    good("spaces around a value", "GET /bots HTTP/1.1\r\nHost:   127.0.0.1:8642 \t\r\n\r\n", 0, false, true);
    good("Connection: close", "GET /bots HTTP/1.1\r\n" + kHost + "Connection: close\r\n\r\n", 0, false, false);
    good("Connection: keep-alive, close", "GET /bots HTTP/1.1\r\n" + kHost + "Connection: keep-alive, Close\r\n\r\n", 0, false, false);
    good("HTTP/1.0", "GET /healthz HTTP/1.0\r\n\r\n", 0, false, false);
    good("HTTP/1.0 keep-alive is not kept", "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 0, false, false);
    good("absolute form", "GET http://127.0.0.1:8642/bots?x=1 HTTP/1.1\r\n" + kHost + "\r\n", 0, false, true);

    partial("nothing yet", "");
    partial("half a request line", "GET /bo");
    partial("no blank line yet", "GET /bots HTTP/1.1\r\n" + kHost);
    partial("a CR at the very end", "GET /bots HTTP/1.1\r\n" + kHost + "\r");

    bad("bare LF head with a huge body", "POST /bots/chat/invoke HTTP/1.1\nHost: 127.0.0.1\nContent-Length: 1000000000\n\n",
        400, u"line 1: a line that ends with a bare LF"_s);
    bad("bare LF refused before the head ends", "GET /bots HTTP/1.1\r\nHost: x\nAuthor", 400, u"line 2: a line that ends with a bare LF"_s);
    bad("bare LF on the blank line", "GET /bots HTTP/1.1\r\n" + kHost + "\n", 400, u"bare LF"_s);
    bad("a CR inside a line", "GET /bots HTTP/1.1\r\nHost: a\rb\r\n\r\n", 400, u"line 2: a CR that is not followed by LF"_s);
    bad("two Content-Length", "POST /x HTTP/1.1\r\n" + kHost + "Content-Length: 300000000\r\nContent-Length: 0\r\n\r\n",
        400, u"line 4: a second Content-Length header"_s);
    bad("two equal Content-Length", "POST /x HTTP/1.1\r\n" + kHost + "Content-Length: 5\r\ncontent-length: 5\r\n\r\n",
        400, u"a second Content-Length"_s);
    bad("negative Content-Length", "POST /x HTTP/1.1\r\n" + kHost + "Content-Length: -1\r\n\r\n", 400, u"Content-Length \"-1\" is not a number"_s);
    bad("signed Content-Length", "POST /x HTTP/1.1\r\n" + kHost + "Content-Length: +5\r\n\r\n", 400, u"is not a number of bytes"_s);
    bad("Content-Length list", "POST /x HTTP/1.1\r\n" + kHost + "Content-Length: 5, 5\r\n\r\n", 400, u"is not a number of bytes"_s);
    bad("hex Content-Length", "POST /x HTTP/1.1\r\n" + kHost + "Content-Length: 0x10\r\n\r\n", 400, u"is not a number of bytes"_s);
    bad("empty Content-Length", "POST /x HTTP/1.1\r\n" + kHost + "Content-Length:\r\n\r\n", 400, u"is not a number of bytes"_s);
    bad("Content-Length over 18 digits", "POST /x HTTP/1.1\r\n" + kHost + "Content-Length: 9999999999999999999\r\n\r\n",
        400, u"is not a number of bytes"_s);
    bad("Content-Length and Transfer-Encoding", "POST /x HTTP/1.1\r\n" + kHost + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        400, u"both Content-Length and Transfer-Encoding"_s);
    bad("Transfer-Encoding gzip", "POST /x HTTP/1.1\r\n" + kHost + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501, u"only chunked"_s);
    bad("two Transfer-Encoding", "POST /x HTTP/1.1\r\n" + kHost + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        400, u"a second Transfer-Encoding"_s);
    bad("Transfer-Encoding in HTTP/1.0", "POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, u"HTTP/1.0"_s);
    bad("space before the colon", "POST /x HTTP/1.1\r\n" + kHost + "Content-Length : 5\r\n\r\n", 400, u"line 3: a header is NAME: VALUE"_s);
    bad("folded line", "GET /x HTTP/1.1\r\n" + kHost + "X-A: a\r\n b\r\n\r\n", 400, u"line 4: a folded header line"_s);
    bad("no Host in HTTP/1.1", "GET /bots HTTP/1.1\r\n\r\n", 400, u"no Host header"_s);
    bad("two Host", "GET /bots HTTP/1.1\r\n" + kHost + kHost + "\r\n", 400, u"a second Host"_s);
    bad("HTTP/2.0", "GET /bots HTTP/2.0\r\n" + kHost + "\r\n", 505, u"\"HTTP/2.0\" is not supported"_s);
    bad("lower-case version", "GET /bots http/1.1\r\n" + kHost + "\r\n", 400, u"is not an HTTP version"_s);
    bad("two spaces", "GET  /bots HTTP/1.1\r\n" + kHost + "\r\n", 400, u"line 1: a request line is METHOD TARGET HTTP/1.1"_s);
    bad("method not a token", "G(T /bots HTTP/1.1\r\n" + kHost + "\r\n", 400, u"is not a token"_s);
    bad("escape byte in the target", "GET /a\x1b[31mred HTTP/1.1\r\n" + kHost + "\r\n", 400, u"control byte"_s);
    bad("target not a path", "GET bots HTTP/1.1\r\n" + kHost + "\r\n", 400, u"must be a path"_s);
    bad("control byte in a value", "GET /x HTTP/1.1\r\n" + kHost + "X-A: a\x01" "b\r\n\r\n", 400, u"line 3: the value of x-a holds a control byte"_s);
    QByteArray many = "GET /x HTTP/1.1\r\n" + kHost;
    for (int i = 0; i < kMaxHeaderLines + 1; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    bad("too many header lines", many + "\r\n", 431, u"more than 100 header lines"_s);
}

void TstHttpHead::heads()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, expect);
    const HeadParse parse = parseHead(bytes);
    QCOMPARE(int(parse.outcome), expect);
    if (expect == Invalid) {
        QFETCH(int, status);
        QFETCH(QString, reason);
        QCOMPARE(parse.status, status);
        QVERIFY2(parse.reason.contains(reason), qPrintable(parse.reason));
    } else if (expect == Complete) {
        QFETCH(qint64, contentLength);
        QFETCH(bool, chunked);
        QFETCH(bool, keepAlive);
        QCOMPARE(parse.head.contentLength, contentLength);
        QCOMPARE(parse.head.chunked, chunked);
        QCOMPARE(parse.head.keepAlive, keepAlive);
        QCOMPARE(parse.headBytes, bytes.size());
    }
    // Every prefix of a good head is incomplete; of a bad one, incomplete or the same refusal.
    for (qsizetype cut = 0; cut < bytes.size(); ++cut) {
        const HeadParse part = parseHead(bytes.first(cut));
        if (expect == Invalid && part.outcome == HeadParse::Outcome::Invalid)
            QCOMPARE(part.status, parse.status);
        else
            QVERIFY2(part.outcome == HeadParse::Outcome::Incomplete, qPrintable(u"prefix of %1 bytes: %2"_s.arg(cut).arg(part.reason)));
    }
}

void TstHttpHead::headEndsWhereTheBodyStarts()
{
    const QByteArray head = "POST /bots/chat/invoke?mode=x HTTP/1.1\r\n" + kHost
        + "Authorization: Bearer abc\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n";
    const HeadParse parse = parseHead(head + "{}GET /bots HTTP/1.1\r\n");
    QCOMPARE(int(parse.outcome), int(Complete));
    QCOMPARE(parse.headBytes, head.size());
    QCOMPARE(parse.head.method, QByteArray("POST"));
    QCOMPARE(parse.head.target, QByteArray("/bots/chat/invoke?mode=x"));
    QCOMPARE(parse.head.path, QByteArray("/bots/chat/invoke"));
    QCOMPARE(parse.head.header("authorization"), QByteArray("Bearer abc"));
    QCOMPARE(parse.head.header("content-type"), QByteArray("application/json"));
    QVERIFY(parse.head.expectContinue);
    QVERIFY(parse.head.hasBody());
    QCOMPARE(parse.head.minorVersion, 1);

    const HeadParse absolute = parseHead("GET http://127.0.0.1:8642/bots?x=1 HTTP/1.1\r\n" + kHost + "\r\n");
    QCOMPARE(absolute.head.path, QByteArray("/bots"));
}

void TstHttpHead::refusedHeadKeepsMethodAndPathForTheLog()
{
    const HeadParse parse = parseHead("GET /a\x1b]0;owned\x07?q HTTP/1.1\r\n" + kHost + "\r\n");
    QCOMPARE(int(parse.outcome), int(Invalid));
    QCOMPARE(parse.head.method, QByteArray("GET"));
    QCOMPARE(parse.head.path, QByteArray("/a\x1b]0;owned\x07"));
}

void TstHttpHead::overLongHead()
{
    // No blank line within the limit: refused as soon as the limit passes, whatever follows.
    const QByteArray start = "GET /bots HTTP/1.1\r\n" + kHost + "X-Long: ";
    QCOMPARE(int(parseHead(start + QByteArray(1000, 'a'), 2048).outcome), int(Incomplete));
    HeadParse parse = parseHead(start + QByteArray(3000, 'a'), 2048);
    QCOMPARE(int(parse.outcome), int(Invalid));
    QCOMPARE(parse.status, 431);
    QVERIFY2(parse.reason.contains(u"over 2048 bytes"_s), qPrintable(parse.reason));
    // A whole head that is over the limit too.
    parse = parseHead(start + QByteArray(3000, 'a') + "\r\n\r\n", 2048);
    QCOMPARE(parse.status, 431);
    // The default limit: 64 KiB.
    parse = parseHead(start + QByteArray(kMaxHeadBytes, 'a'));
    QCOMPARE(parse.status, 431);
}

void TstHttpHead::arbitraryBytesNeverBreakIt()
{
    // Mutations of a good head and plain noise: the answer is always one of the three,
    // a refusal always says why with a 4xx/5xx status, a complete head never claims more
    // bytes than it was given. (A fuzzer of the same function goes much further.)
    QRandomGenerator random(20261206);
    const QByteArray good = "POST /bots/chat/invoke HTTP/1.1\r\n" + kHost
        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    for (int i = 0; i < 20000; ++i) {
        QByteArray bytes = good;
        const int edits = 1 + int(random.bounded(4));
        for (int e = 0; e < edits; ++e) {
            const auto at = qsizetype(random.bounded(quint32(bytes.size())));
            const char byte = char(random.bounded(256));
            switch (random.bounded(3)) {
            case 0: bytes[at] = byte; break;
            case 1: bytes.insert(at, byte); break;
            default: bytes.remove(at, 1); break;
            }
        }
        if (i % 10 == 0) { // now and then, plain noise
            bytes.resize(qsizetype(random.bounded(300)));
            for (char &c : bytes)
                c = char(random.bounded(256));
        }
        const HeadParse parse = parseHead(bytes, 256);
        switch (parse.outcome) {
        case HeadParse::Outcome::Complete:
            QVERIFY(parse.headBytes > 0 && parse.headBytes <= bytes.size());
            QVERIFY(parse.head.path.startsWith('/'));
            QVERIFY(parse.head.contentLength >= 0);
            break;
        case HeadParse::Outcome::Invalid:
            QVERIFY(parse.status >= 400 && parse.status < 600);
            QVERIFY(!parse.reason.isEmpty());
            break;
        case HeadParse::Outcome::Incomplete:
            QVERIFY(bytes.size() <= 256);
            break;
        }
    }
}

void TstHttpHead::chunked_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<int>("outcome");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qsizetype>("consumed"); // Done: where the next request starts

    using O = ChunkedBody::Outcome;
    const QByteArray hello = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    QTest::newRow("two chunks") << hello << qint64(100) << int(O::Done) << QByteArray("hello world") << hello.size();
    QTest::newRow("then the next request") << hello + "GET /" << qint64(100) << int(O::Done) << QByteArray("hello world") << hello.size();
    QTest::newRow("extensions ignored") << QByteArray("5;name=value\r\nhello\r\n0\r\n\r\n") << qint64(100) << int(O::Done)
                                        << QByteArray("hello") << qsizetype(26);
    QTest::newRow("trailers dropped") << QByteArray("2\r\nhi\r\n0\r\nX-Sum: 1\r\n\r\n") << qint64(100) << int(O::Done)
                                      << QByteArray("hi") << qsizetype(22);
    QTest::newRow("upper-case hex") << QByteArray("A\r\n0123456789\r\n0\r\n\r\n") << qint64(100) << int(O::Done)
                                    << QByteArray("0123456789") << qsizetype(20);
    QTest::newRow("not finished") << QByteArray("5\r\nhel") << qint64(100) << int(O::NeedMore) << QByteArray("hel") << qsizetype(6);
    QTest::newRow("bare LF after the size") << QByteArray("5\nhello\r\n0\r\n\r\n") << qint64(100) << int(O::Invalid) << QByteArray() << qsizetype(0);
    QTest::newRow("not hex") << QByteArray("zz\r\n") << qint64(100) << int(O::Invalid) << QByteArray() << qsizetype(0);
    QTest::newRow("negative size") << QByteArray("-1\r\n") << qint64(100) << int(O::Invalid) << QByteArray() << qsizetype(0);
    QTest::newRow("data longer than its size") << QByteArray("2\r\nabc\r\n0\r\n\r\n") << qint64(100) << int(O::Invalid) << QByteArray("ab") << qsizetype(0);
    QTest::newRow("over the limit as it arrives") << QByteArray("5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n") << qint64(8)
                                                  << int(O::TooLarge) << QByteArray("hello") << qsizetype(0);
    QTest::newRow("a huge size, refused before its data") << QByteArray("FFFFFFFFFF\r\n") << qint64(1024 * 1024)
                                                          << int(O::TooLarge) << QByteArray() << qsizetype(0);
}

void TstHttpHead::chunked()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, limit);
    QFETCH(int, outcome);
    QFETCH(QByteArray, body);
    QFETCH(qsizetype, consumed);

    // All at once, and one byte at a time: the same outcome and body.
    for (const bool bytewise : {false, true}) {
        ChunkedBody decoder(limit);
        QByteArray decoded;
        qsizetype used = 0;
        ChunkedBody::Outcome result = ChunkedBody::Outcome::NeedMore;
        if (!bytewise) {
            result = decoder.feed(bytes, &used, decoded);
        } else {
            for (qsizetype i = 0; i < bytes.size() && result == ChunkedBody::Outcome::NeedMore; ++i) {
                qsizetype one = 0;
                result = decoder.feed(bytes.sliced(i, 1), &one, decoded);
                used += one;
            }
        }
        QCOMPARE(int(result), outcome);
        QCOMPARE(decoded, body);
        if (result == ChunkedBody::Outcome::Done || result == ChunkedBody::Outcome::NeedMore)
            QCOMPARE(used, consumed);
        else
            QVERIFY(!decoder.reason().isEmpty());
    }
}

QTEST_GUILESS_MAIN(TstHttpHead)
#include "tst_httphead.moc"
