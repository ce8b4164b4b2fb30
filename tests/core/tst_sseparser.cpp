// The SSE parser against a conformance table (HTML Living Standard, event stream
// interpretation). Every row is fed whole, split at every point into two chunks, and
// byte by byte: all must give the same messages and the same retry.
#include "core/wire/sseparser.h"

#include <QtTest/QTest>

#include <random>

using namespace invoke::wire;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(std::optional<int>)

namespace {

SseMessage msg(const QByteArray &data, const QByteArray &event = "message", const QByteArray &id = {})
{
    return SseMessage{event, data, id};
}

// One readable line per message, so a failing comparison shows what differs.
QByteArrayList dump(const QList<SseMessage> &messages)
{
    QByteArrayList lines;
    for (const SseMessage &m : messages)
        lines.append(QByteArray("event=" + m.event.toPercentEncoding() + " id="
                                + m.lastEventId.toPercentEncoding() + " data=" + m.data.toPercentEncoding()));
    return lines;
}

// A literal with its embedded NULs.
template<qsizetype N>
QByteArray bytes(const char (&literal)[N])
{
    return QByteArray(literal, N - 1);
}

struct Outcome
{
    QByteArrayList messages;
    std::optional<int> retry;
};

Outcome feedChunks(const QList<QByteArrayView> &chunks)
{
    SseParser parser;
    QList<SseMessage> out;
    for (QByteArrayView chunk : chunks)
        parser.feed(chunk, out);
    return {dump(out), parser.retry()};
}

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT

private slots:
    void conformance_data();
    void conformance();
    void randomSplitsOfALongStream();
    void keepsOnlyTheUnfinishedTail();
    void lastEventIdIsCommittedAtDispatch();
    void resetForgetsEverything();
    void emptyFeedsChangeNothing();
};

void TestSseParser::conformance_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<SseMessage>>("expected");
    QTest::addColumn<std::optional<int>>("retry");

    using L = QList<SseMessage>;
    const std::optional<int> none;

    QTest::newRow("one message") << QByteArray("data: hello\n\n") << L{msg("hello")} << none;
    QTest::newRow("two messages") << QByteArray("data: a\n\ndata: b\n\n") << L{msg("a"), msg("b")} << none;
    QTest::newRow("CRLF line ends") << QByteArray("data: a\r\n\r\ndata: b\r\n\r\n")
                                    << L{msg("a"), msg("b")} << none;
    QTest::newRow("CR line ends") << QByteArray("data: a\r\rdata: b\r\r") << L{msg("a"), msg("b")} << none;
    QTest::newRow("mixed line ends") << QByteArray("data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r")
                                     << L{msg("a\nb\nc"), msg("d")} << none;
    QTest::newRow("CR then LF is one line end, CR CR is two")
        << QByteArray("data: a\r\n\rdata: b\r\r\ndata: c\n\n") << L{msg("a"), msg("b"), msg("c")} << none;
    QTest::newRow("LF CR is two line ends") << QByteArray("data: a\n\rdata: b\n\n")
                                            << L{msg("a"), msg("b")} << none;
    QTest::newRow("multi-line data joined with LF")
        << QByteArray("data: first\ndata: second\ndata:third\n\n") << L{msg("first\nsecond\nthird")} << none;
    QTest::newRow("comments are ignored")
        << QByteArray(": open\n:\ndata: a\n: in between\ndata: b\n\n: trailing\n\n")
        << L{msg("a\nb")} << none;
    QTest::newRow("a comment alone dispatches nothing") << QByteArray(": keep-alive\n\n") << L{} << none;
    QTest::newRow("event names the type")
        << QByteArray("event: add\ndata: 1\n\nevent: remove\ndata: 2\n\ndata: 3\n\n")
        << L{msg("1", "add"), msg("2", "remove"), msg("3")} << none;
    QTest::newRow("the last event field wins") << QByteArray("event: a\nevent: b\ndata: x\n\n")
                                               << L{msg("x", "b")} << none;
    QTest::newRow("an empty event field means message") << QByteArray("event:\ndata: x\n\n")
                                                        << L{msg("x")} << none;
    QTest::newRow("id persists across messages")
        << QByteArray("id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n")
        << L{msg("a", "message", "1"), msg("b", "message", "1"), msg("c", "message", "2")} << none;
    QTest::newRow("an empty id resets it") << QByteArray("id: 7\ndata: a\n\nid\ndata: b\n\n")
                                           << L{msg("a", "message", "7"), msg("b")} << none;
    QTest::newRow("id with NUL is ignored")
        << bytes("id: 1\ndata: a\n\nid: 2\0003\ndata: b\n\n")
        << L{msg("a", "message", "1"), msg("b", "message", "1")} << none;
    QTest::newRow("id set without data still persists")
        << QByteArray("id: 9\n\ndata: a\n\n") << L{msg("a", "message", "9")} << none;
    QTest::newRow("retry with digits") << QByteArray("retry: 2500\ndata: a\n\n") << L{msg("a")}
                                       << std::optional<int>(2500);
    QTest::newRow("retry without space") << QByteArray("retry:15\n") << L{} << std::optional<int>(15);
    QTest::newRow("retry with non-digits is ignored")
        << QByteArray("retry: 100\nretry: 10a\nretry: -5\nretry:  7\nretry: 1.5\nretry:\n") << L{}
        << std::optional<int>(100);
    QTest::newRow("retry past int is ignored") << QByteArray("retry: 99999999999\n") << L{} << none;
    QTest::newRow("leading BOM is skipped") << QByteArray("\xEF\xBB\xBF" "data: a\n\n") << L{msg("a")} << none;
    QTest::newRow("only one BOM is skipped")
        << QByteArray("\xEF\xBB\xBF\xEF\xBB\xBF" "data: a\n\ndata: b\n\n") << L{msg("b")} << none;
    QTest::newRow("a BOM later on is part of a field name")
        << QByteArray("data: a\n\n\xEF\xBB\xBF" "data: b\n\n") << L{msg("a")} << none;
    QTest::newRow("half a BOM is not a BOM") << QByteArray("\xEF\xBB" "data: a\n\ndata: b\n\n")
                                             << L{msg("b")} << none;
    QTest::newRow("field without colon") << QByteArray("data\n\n") << L{msg("")} << none;
    QTest::newRow("spec example: empty and LF data")
        << QByteArray("data\n\ndata\ndata\n\ndata:") << L{msg(""), msg("\n")} << none;
    QTest::newRow("only one leading space is removed")
        << QByteArray("data:  two spaces\ndata:none\ndata: \tTab\n\n") << L{msg(" two spaces\nnone\n\tTab")}
        << none;
    QTest::newRow("colons in the value are kept") << QByteArray("data: {\"a\": \"b:c\"}\n\n")
                                                  << L{msg("{\"a\": \"b:c\"}")} << none;
    QTest::newRow("trailing spaces are kept") << QByteArray("data: a  \nevent: e \n\n")
                                              << L{msg("a  ", "e ")} << none;
    QTest::newRow("field names are case-sensitive")
        << QByteArray("Data: no\nDATA: no\ndata: yes\n\n") << L{msg("yes")} << none;
    QTest::newRow("a space before the colon changes the name") << QByteArray("data : no\ndata: yes\n\n")
                                                               << L{msg("yes")} << none;
    QTest::newRow("unknown fields are ignored") << QByteArray("foo: bar\ndata: a\nbaz\n\n") << L{msg("a")}
                                                << none;
    QTest::newRow("no data, no message; the type is reset")
        << QByteArray("event: lonely\n\ndata: a\n\n") << L{msg("a")} << none;
    QTest::newRow("blank lines alone dispatch nothing") << QByteArray("\n\n\r\n\r\r\n") << L{} << none;
    QTest::newRow("final unterminated message is dropped")
        << QByteArray("data: a\n\ndata: b") << L{msg("a")} << none;
    QTest::newRow("final message without blank line is dropped")
        << QByteArray("data: a\n\ndata: b\n") << L{msg("a")} << none;
    QTest::newRow("final message ending in CR only is dropped")
        << QByteArray("data: a\r\rdata: b\r") << L{msg("a")} << none;
    QTest::newRow("UTF-8 passes through")
        << QByteArray("data: h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x98\x80\n\n")
        << L{msg("h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x98\x80")} << none;
    QTest::newRow("a JSON event")
        << QByteArray("data: {\"type\":\"message_content\",\"payload\":\"Hi\",\"metadata\":{\"seq\":3}}\n\n")
        << L{msg("{\"type\":\"message_content\",\"payload\":\"Hi\",\"metadata\":{\"seq\":3}}")} << none;
    QTest::newRow("everything at once")
        << QByteArray("\xEF\xBB\xBF: hi\r\nretry: 3000\r\nid: x\r\nevent: step\r\ndata: 1\r\ndata\r\n\r\n"
                      "data: 2\r\rid: y\nevent: done\ndata: {}\n\ndata: cut")
        << L{msg("1\n", "step", "x"), msg("2", "message", "x"), msg("{}", "done", "y")}
        << std::optional<int>(3000);
}

void TestSseParser::conformance()
{
    QFETCH(QByteArray, stream);
    QFETCH(QList<SseMessage>, expected);
    QFETCH(std::optional<int>, retry);

    const QByteArrayList want = dump(expected);

    const Outcome whole = feedChunks({stream});
    QCOMPARE(whole.messages, want);
    QCOMPARE(whole.retry, retry);

    for (qsizetype at = 0; at <= stream.size(); ++at) {
        const Outcome split = feedChunks({QByteArrayView(stream).first(at), QByteArrayView(stream).sliced(at)});
        if (split.messages != want || split.retry != retry)
            qWarning("split at byte %lld", qlonglong(at));
        QCOMPARE(split.messages, want);
        QCOMPARE(split.retry, retry);
    }

    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < stream.size(); ++i)
        bytes.append(QByteArrayView(stream).sliced(i, 1));
    const Outcome byByte = feedChunks(bytes);
    QCOMPARE(byByte.messages, want);
    QCOMPARE(byByte.retry, retry);
}

void TestSseParser::randomSplitsOfALongStream()
{
    // Events of every shape with every kind of line end, cut at random places.
    QByteArray stream;
    const char *ends[] = {"\n", "\r\n", "\r"};
    std::mt19937 random(20240611);
    for (int i = 0; i < 2000; ++i) {
        const char *eol = ends[random() % 3];
        if (i % 7 == 0)
            stream += QByteArray(": ping") + eol;
        if (i % 5 == 0)
            stream += "id: " + QByteArray::number(i) + eol;
        if (i % 3 == 0)
            stream += "event: e" + QByteArray::number(i % 4) + eol;
        const int lines = 1 + int(random() % 3);
        for (int l = 0; l < lines; ++l)
            stream += "data: {\"n\":" + QByteArray::number(i) + ",\"l\":" + QByteArray::number(l) + "}" + eol;
        stream += eol;
    }

    const Outcome whole = feedChunks({stream});
    QCOMPARE(whole.messages.size(), qsizetype(2000));

    for (int round = 0; round < 20; ++round) {
        QList<QByteArrayView> chunks;
        qsizetype at = 0;
        while (at < stream.size()) {
            const qsizetype size = qMin<qsizetype>(stream.size() - at, 1 + random() % 300);
            chunks.append(QByteArrayView(stream).sliced(at, size));
            at += size;
        }
        QCOMPARE(feedChunks(chunks).messages, whole.messages);
    }
}

void TestSseParser::keepsOnlyTheUnfinishedTail()
{
    SseParser parser;
    QList<SseMessage> out;
    parser.feed("data: one\n\ndata: tw", out);
    QCOMPARE(out.size(), 1);
    QCOMPARE(parser.pendingBytes(), qsizetype(8)); // "data: tw"
    parser.feed("o\n", out);
    QCOMPARE(parser.pendingBytes(), qsizetype(0));
    parser.feed("\n", out);
    QCOMPARE(dump(out), dump({msg("one"), msg("two")}));
}

void TestSseParser::lastEventIdIsCommittedAtDispatch()
{
    SseParser parser;
    QList<SseMessage> out;
    parser.feed("id: 1\ndata: a\n\nid: 2\n", out);
    QCOMPARE(parser.lastEventId(), QByteArray("1")); // "2" is not yet part of a finished message
    parser.feed("\n", out);
    QCOMPARE(parser.lastEventId(), QByteArray("2"));
    QCOMPARE(out.size(), 1);
}

void TestSseParser::resetForgetsEverything()
{
    SseParser parser;
    QList<SseMessage> out;
    parser.feed("retry: 10\nid: 5\nevent: e\ndata: half", out);
    parser.reset();
    QCOMPARE(parser.retry(), std::optional<int>());
    QCOMPARE(parser.pendingBytes(), qsizetype(0));
    // A BOM is again skipped at the start of the new stream.
    parser.feed("\xEF\xBB\xBF" "data: fresh\n\n", out);
    QCOMPARE(dump(out), dump({msg("fresh")}));
}

void TestSseParser::emptyFeedsChangeNothing()
{
    SseParser parser;
    QList<SseMessage> out;
    parser.feed("", out);
    parser.feed("data: a\r", out);
    parser.feed("", out);  // the CR's LF may still come
    parser.feed("\n", out);
    parser.feed("", out);
    parser.feed("\r\n", out);
    QCOMPARE(dump(out), dump({msg("a")}));
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
