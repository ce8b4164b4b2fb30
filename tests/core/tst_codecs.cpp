// Round trips of the value types and the wire codecs, and the messages bad input gets.
#include "core/model/botinfo.h"
#include "core/model/invocation/invocationsummary.h"
#include "core/wire/eventcodec.h"
#include "core/wire/events.h"
#include "core/wire/requestcodec.h"
#include "tests/fuzz/eventscancheck.h"

#include <QtTest/QTest>

#include <random>

using namespace invoke;
using namespace Qt::StringLiterals;

// Compares JSON as canonical text: readable when it fails.
#define QCOMPARE_JSON(actual, expected) QCOMPARE(dumpJson(actual), dumpJson(expected))

namespace {

Json parse(const char *text)
{
    return Json::parse(text);
}

QStringList problemTexts(const QList<MockProblem> &problems)
{
    QStringList texts;
    for (const MockProblem &p : problems)
        texts.append(p.toString());
    return texts;
}

wire::Stamp stamp(qint64 seq, const QString &path = {})
{
    return wire::Stamp{u"inv-1"_s, seq, seq * 10, path};
}

} // namespace

class TestCodecs : public QObject
{
    Q_OBJECT

private slots:
    // core/model/json/eventscan.h reads events as nlohmann's parser does: edge cases of the
    // grammar, strings, numbers and depth, then 30,000 mutations of real events.
    void eventScannerAgreesWithNlohmann()
    {
        const QList<QByteArray> cases{
            "", " ", "{}", "[]", "{} ", " {}\n", "{}x", "{},", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":}",
            "{a:1}", "{'a':1}", "\xEF\xBB\xBF{}", "\xEF\xBB{}", "\xEF{}", "\xBB\xBF{}", "true", "tru", "nulll", "null",
            "false ", "0", "-0", "01", "-", "1.", ".5", "1.5e", "1e+", "1E-2", "+1", "-1.5e+300", "1e309", "-1e400", "1e-400",
            "18446744073709551615", "18446744073709551616", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
            "{\"metadata\":{\"seq\":18446744073709551615,\"t_ms\":-9223372036854775809,\"path\":\"a\"}}",
            "{\"metadata\":{\"seq\":1.9e19,\"t_ms\":-2.5,\"path\":\"\\u00e9\\ud83d\\ude00\"}}",
            "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"", "\"\\ud83dx\"", "\"\\u12\"", "\"\\u00G0\"", "\"\\x\"",
            "\"\\u0000\"", "\"a\tb\"", "\"a\x7f\"", "\"\xC3\xA9\"", "\"\xC3\"", "\"\xC0\x80\"", "\"\xE0\x80\x80\"",
            "\"\xED\xA0\x80\"", "\"\xF0\x8F\xBF\xBF\"", "\"\xF4\x90\x80\x80\"", "\"\xF5\x80\x80\x80\"", "\"\xEF\xBF\xBF\"",
            "\xC3\xA9", "{\"type\":\"a\",\"type\":\"b\",\"metadata\":{\"path\":\"p\"},\"metadata\":1}",
            "{\"payload\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "[{\"metadata\":{\"path\":\"x\"}}]",
            "{\"x\":{\"metadata\":{\"path\":\"x\"}}}", "{\"metadata\":[{\"path\":\"x\"}]}",
            QByteArray(300, '[') + QByteArray(300, ']'), QByteArray(255, '[') + QByteArray(255, ']'),
            QByteArray(256, '[') + QByteArray(256, ']'), "{\"a\":" + QByteArray(254, '[') + QByteArray(254, ']') + "}",
            "{\"a\":" + QByteArray(255, '[') + QByteArray(255, ']') + "}",
            QByteArray("{\"a\":1}\0", 8), QByteArray("{}\0x", 4), QByteArray("{} \0", 4), QByteArray("\0{}", 3),
            QByteArray("{\"a\":\0}", 7), QByteArray("[1\0]", 4),
        };
        for (const QByteArray &text : cases) {
            const std::string difference = fuzz::eventScanDifference(text);
            QVERIFY2(difference.empty(), qPrintable(QString::fromLatin1(text.toHex()) + u": "_s + QString::fromStdString(difference)));
        }

        wire::Stamp stamp{u"9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"_s, 41, 1234, u"research/search"_s};
        const QList<Event> seeds{
            wire::messageContent(stamp, u"Grüße, \"tide\"\n\t😀"_s, u"msg-1"_s, u"text"_s, false),
            wire::stepStarted(stamp, u"search"_s, u"llm.message"_s, Json{{"temperature", 0.2}, {"n", -3}, {"list", {1, "x", nullptr, true}}}),
            wire::stepFinished(stamp, u"search"_s, u"llm.message"_s, StepStatus::Success, Json{{"content", "é"}}, {},
                               Source::ReplayHit, 40, wire::Usage{312, 7}),
        };
        const QByteArray alphabet("{}[]\":,\\ -+.eE0123456789tfnu\x00\x1f\x7f\x80\xbf\xc3\xa9\xed\xf0\xf4\xff", 39);
        std::mt19937 random(16);
        int mutations = 0;
        for (int round = 0; round < 10000; ++round) {
            for (const Event &seed : seeds) {
                QByteArray text = seed.raw;
                const int edits = 1 + int(random() % 3);
                for (int e = 0; e < edits && !text.isEmpty(); ++e) {
                    const qsizetype at = qsizetype(random() % quint32(text.size()));
                    const char c = alphabet.at(qsizetype(random() % quint32(alphabet.size())));
                    switch (random() % 4) {
                    case 0: text[at] = c; break;
                    case 1: text.insert(at, c); break;
                    case 2: text.remove(at, 1); break;
                    default: text.truncate(at); break;
                    }
                }
                const std::string difference = fuzz::eventScanDifference(text);
                QVERIFY2(difference.empty(), qPrintable(QString::fromLatin1(text.toHex()) + u": "_s + QString::fromStdString(difference)));
                ++mutations;
            }
        }
        QCOMPARE(mutations, 30000);
    }

    void message();
    void messageRejects_data();
    void messageRejects();
    void mode_data();
    void mode();
    void modeRejects_data();
    void modeRejects();
    void mockSetRoundTrip();
    void mockSetRejects_data();
    void mockSetRejects();
    void mockSetReportsEveryProblem();
    void requestBodyLeavesEmptyFieldsOut();
    void requestBodyRoundTrip();
    void requestBodyRejects_data();
    void requestBodyRejects();
    void requestSavedForm();
    void eventThroughSse();
    void eventFrameWithLineBreaks();
    void eventDecodeRejectsNonJson();
    void decodeReadsTheHeaderTheDomWould_data();
    void decodeReadsTheHeaderTheDomWould();
    void decodeErrorsMatchTheParser_data();
    void decodeErrorsMatchTheParser();
    void eventStreamSkipsNonEvents();
    void botInfo();
    void invocationSummary();
    void invokeResult();
};

void TestCodecs::message()
{
    const Message m{u"system"_s, u"Be brief.\nÜnïcode ✓"_s};
    QCOMPARE(Message::fromJson(m.toJson()), std::optional<Message>(m));
    const QList<Message> list{Message::user(u"hi"_s), Message::assistant(u"hello"_s)};
    QCOMPARE(messagesFromJson(toJson(list)), std::optional<QList<Message>>(list));
}

void TestCodecs::messageRejects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("not an array") << QByteArray(R"({"role":"user"})")
                                  << u"messages must be an array of {\"role\", \"content\"} objects"_s;
    QTest::newRow("bad role") << QByteArray(R"([{"role":"user","content":"a"},{"role":"robot","content":"b"}])")
                              << u"messages[1]: \"role\" must be \"user\", \"assistant\" or \"system\""_s;
    QTest::newRow("content not a string") << QByteArray(R"([{"role":"user","content":5}])")
                                          << u"messages[0]: \"content\" must be a string"_s;
    QTest::newRow("not an object") << QByteArray(R"(["hi"])")
                                   << u"messages[0]: a message must be an object with \"role\" and \"content\""_s;
}

void TestCodecs::messageRejects()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!messagesFromJson(Json::parse(json.toStdString()), &why));
    QCOMPARE(why, error);
}

void TestCodecs::mode_data()
{
    QTest::addColumn<Mode>("mode");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("display");
    QTest::newRow("live") << Mode::live() << QByteArray(R"("live")") << u"live"_s;
    QTest::newRow("replay") << Mode::replay() << QByteArray(R"("replay")") << u"replay"_s;
    QTest::newRow("refresh") << Mode::replay(true) << QByteArray(R"({"mode":"replay","refresh":true})")
                             << u"replay (refresh)"_s;
    QTest::newRow("manual") << Mode::manual() << QByteArray(R"("manual")") << u"manual"_s;
}

void TestCodecs::mode()
{
    QFETCH(Mode, mode);
    QFETCH(QByteArray, json);
    QFETCH(QString, display);
    QCOMPARE(dumpJson(mode.toJson()), json);
    QCOMPARE(Mode::fromJson(Json::parse(json.toStdString())), std::optional<Mode>(mode));
    QCOMPARE(mode.displayName(), display);
}

void TestCodecs::modeRejects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown name") << QByteArray(R"("turbo")")
                                  << u"unknown mode \"turbo\" (expected live, replay or manual)"_s;
    QTest::newRow("refresh on live") << QByteArray(R"({"mode":"live","refresh":true})")
                                     << u"\"refresh\" applies only to replay mode"_s;
    QTest::newRow("a number") << QByteArray("3")
                              << u"mode must be \"live\", \"replay\", \"manual\" or {\"mode\": \"replay\", \"refresh\": true}"_s;
    QTest::newRow("object without mode") << QByteArray(R"({"refresh":true})")
                                         << u"mode must be \"live\", \"replay\", \"manual\" or {\"mode\": \"replay\", \"refresh\": true}"_s;
}

void TestCodecs::modeRejects()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!Mode::fromJson(Json::parse(json.toStdString()), &why));
    QCOMPARE(why, error);
}

void TestCodecs::mockSetRoundTrip()
{
    const QByteArray file = R"({
  "answer": {"status": "success", "output": {"content": "42"}},
  "llm.message": {"status": "success", "output": null},
  "research/summarise": {"status": "error", "error": "quota exceeded"}
})";
    QList<MockProblem> problems;
    const auto set = MockSet::parse(file, &problems);
    QVERIFY(set);
    QVERIFY(problems.isEmpty());
    QCOMPARE(set->keys(), (QStringList{u"answer"_s, u"llm.message"_s, u"research/summarise"_s}));
    QCOMPARE_JSON(set->value(u"answer"_s)->output, parse(R"({"content":"42"})"));
    QCOMPARE(set->value(u"research/summarise"_s)->success, false);
    QCOMPARE(set->value(u"research/summarise"_s)->error, u"quota exceeded"_s);
    // A step path wins over an action type.
    QCOMPARE_JSON(set->find(u"answer"_s, u"llm.message"_s)->output, parse(R"({"content":"42"})"));
    QCOMPARE_JSON(set->find(u"other"_s, u"llm.message"_s)->output, Json());
    QVERIFY(!set->find(u"other"_s, u"utils.echo"_s));
    QCOMPARE(MockSet::fromJson(set->toJson()), set);
}

void TestCodecs::mockSetRejects_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("field");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("text");

    QTest::newRow("missing status")
        << QByteArray("{\n  \"ok\": {\"status\": \"success\", \"output\": 1},\n  \"answer\": {\"output\": 1}\n}")
        << u"answer"_s << u"status"_s << 3
        << u"line 3: key \"answer\": field \"status\" is missing (\"success\" or \"error\")"_s;
    QTest::newRow("missing output")
        << QByteArray("{\n\n  \"llm.message\": {\"status\": \"success\"}\n}") << u"llm.message"_s << u"output"_s << 3
        << u"line 3: key \"llm.message\": field \"output\" is missing (required when status is \"success\")"_s;
    QTest::newRow("missing error")
        << QByteArray("{\"a/b\": {\"status\": \"error\"}}") << u"a/b"_s << u"error"_s << 1
        << u"line 1: key \"a/b\": field \"error\" is missing or not a string (required when status is \"error\")"_s;
    QTest::newRow("bad status")
        << QByteArray("{\n\"answer\"\n  : {\"status\": \"ok\", \"output\": 1}}") << u"answer"_s << u"status"_s << 2
        << u"line 2: key \"answer\": field \"status\" must be \"success\" or \"error\""_s;
    QTest::newRow("not an object")
        << QByteArray("{\"answer\": \"42\"}") << u"answer"_s << QString() << 1
        << u"line 1: key \"answer\": must be an object {\"status\", \"output\"} or {\"status\": \"error\", \"error\"}"_s;
}

void TestCodecs::mockSetRejects()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, key);
    QFETCH(QString, field);
    QFETCH(int, line);
    QFETCH(QString, text);
    QList<MockProblem> problems;
    QVERIFY(!MockSet::parse(file, &problems));
    QCOMPARE(problems.size(), qsizetype(1));
    QCOMPARE(problems.first().key, key);
    QCOMPARE(problems.first().field, field);
    QCOMPARE(problems.first().line, line);
    QCOMPARE(problems.first().toString(), text);
}

void TestCodecs::mockSetReportsEveryProblem()
{
    QList<MockProblem> problems;
    QVERIFY(!MockSet::parse("{\"a\": {},\n \"b\": {\"status\": \"error\"}}", &problems));
    QCOMPARE(problemTexts(problems),
             (QStringList{u"line 1: key \"a\": field \"status\" is missing (\"success\" or \"error\")"_s,
                          u"line 2: key \"b\": field \"error\" is missing or not a string (required when status is \"error\")"_s}));

    problems.clear();
    QVERIFY(!MockSet::parse("{\"a\": ", &problems));
    QCOMPARE(problems.size(), qsizetype(1));
    QVERIFY2(problems.first().message.startsWith(u"not valid JSON: line 1, column 7"_s),
             qPrintable(problems.first().message));
}

void TestCodecs::requestBodyLeavesEmptyFieldsOut()
{
    InvokeRequest request;
    request.botKey = u"chat"_s;
    request.outputFormat = OutputFormat::Json;
    request.verbose = true;
    QCOMPARE(wire::encodeRequestBody(request), QByteArray("{}"));

    request.messages = {Message::user(u"hi"_s)};
    QCOMPARE(wire::encodeRequestBody(request), QByteArray(R"({"messages":[{"content":"hi","role":"user"}]})"));

    request.mode = Mode::replay();
    request.datasets = {u"docs"_s};
    QCOMPARE(wire::encodeRequestBody(request),
             QByteArray(R"({"dataset_slugs":["docs"],"messages":[{"content":"hi","role":"user"}],"mode":"replay"})"));
}

void TestCodecs::requestBodyRoundTrip()
{
    InvokeRequest request;
    request.botKey = u"research"_s;
    request.messages = {Message::user(u"What is SSE?"_s), Message::assistant(u"A stream."_s),
                        Message::user(u"More."_s)};
    request.parameters = parse(R"({"depth": 2, "tone": "dry", "tags": ["a", "b"]})");
    request.datasets = {u"docs"_s, u"faq"_s};
    request.mode = Mode::replay(true);
    request.manualMocks.insert(u"answer"_s, MockResponse{true, parse(R"({"content":"x"})"), {}});
    request.manualMocks.insert(u"llm.message"_s, MockResponse{false, Json(), u"down"_s});

    const QByteArray body = wire::encodeRequestBody(request);
    QCOMPARE(body,
             QByteArray(R"({"dataset_slugs":["docs","faq"],"manual_mocks":{"answer":{"output":{"content":"x"},"status":"success"},)"
                        R"("llm.message":{"error":"down","status":"error"}},"messages":[{"content":"What is SSE?","role":"user"},)"
                        R"({"content":"A stream.","role":"assistant"},{"content":"More.","role":"user"}],)"
                        R"("mode":{"mode":"replay","refresh":true},"parameters":{"depth":2,"tags":["a","b"],"tone":"dry"}})"));
    QString error;
    const auto back = wire::decodeRequestBody(body, u"research"_s, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, request);

    // Unknown fields and nulls are tolerated; the bot key comes from the URL.
    const auto lenient = wire::decodeRequestBody(
        R"({"bot_key": "other", "stream": true, "messages": null, "mode": null})", u"chat"_s, &error);
    QVERIFY2(lenient, qPrintable(error));
    QCOMPARE(lenient->botKey, u"chat"_s);
    QCOMPARE(lenient->mode, Mode::live());
    QVERIFY(lenient->messages.isEmpty());

    const auto empty = wire::decodeRequestBody("", u"chat"_s, &error);
    QVERIFY(empty);
    QCOMPARE(empty->botKey, u"chat"_s);
}

void TestCodecs::requestBodyRejects_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::newRow("not JSON") << QByteArray("{\"messages\": [}")
                              << u"the body is not valid JSON: line 1, column 15: syntax error while parsing value - unexpected '}'; expected '[', '{', or a literal"_s;
    QTest::newRow("not an object") << QByteArray("[]")
                                   << u"the body must be a JSON object {messages, parameters, dataset_slugs, mode, manual_mocks}"_s;
    QTest::newRow("messages not an array") << QByteArray(R"({"messages": "hi"})")
                                           << u"messages must be an array of {\"role\", \"content\"} objects"_s;
    QTest::newRow("bad message") << QByteArray(R"({"messages": [{"role": "user"}]})")
                                 << u"messages[0]: \"content\" must be a string"_s;
    QTest::newRow("parameters not an object") << QByteArray(R"({"parameters": [1]})")
                                              << u"parameters: must be a JSON object mapping parameter keys to values"_s;
    QTest::newRow("slugs not an array") << QByteArray(R"({"dataset_slugs": "docs"})")
                                        << u"dataset_slugs: must be an array of dataset slugs (strings)"_s;
    QTest::newRow("slug not a string") << QByteArray(R"({"dataset_slugs": ["docs", 3]})")
                                       << u"dataset_slugs[1]: must be a string"_s;
    QTest::newRow("empty slug") << QByteArray(R"({"dataset_slugs": [" "]})")
                                << u"dataset_slugs[0]: an empty slug names no dataset"_s;
    QTest::newRow("bad mode") << QByteArray(R"({"mode": "fast"})")
                              << u"mode: unknown mode \"fast\" (expected live, replay or manual)"_s;
    QTest::newRow("refresh on manual") << QByteArray(R"({"mode": {"mode": "manual", "refresh": true}})")
                                       << u"mode: \"refresh\" applies only to replay mode"_s;
    QTest::newRow("bad mocks") << QByteArray(R"({"manual_mocks": {"answer": {"status": "success"}, "x": {"output": 1}}})")
                               << u"manual_mocks: key \"answer\": field \"output\" is missing (required when status is \"success\"); "
                                  u"key \"x\": field \"status\" is missing (\"success\" or \"error\")"_s;
    QTest::newRow("mocks not an object") << QByteArray(R"({"manual_mocks": []})")
                                         << u"manual_mocks: a mock set must be a JSON object mapping keys to mocks"_s;
}

void TestCodecs::requestBodyRejects()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!wire::decodeRequestBody(body, u"chat"_s, &why));
    QCOMPARE(why, error);
}

void TestCodecs::requestSavedForm()
{
    // The saved form keeps every field, including the ones that never travel.
    InvokeRequest request;
    request.botKey = u"chat"_s;
    request.messages = {Message::user(u"hi"_s)};
    request.mode = Mode::manual();
    request.outputFormat = OutputFormat::Events;
    request.verbose = true;
    QCOMPARE(InvokeRequest::fromJson(request.toJson()), std::optional<InvokeRequest>(request));
    QCOMPARE(request.query(), u"hi"_s);
}

void TestCodecs::eventThroughSse()
{
    const QList<Event> events{
        wire::invocationStarted(stamp(0), u"Chat"_s, u"chat"_s, u"chat"_s),
        wire::stepStarted(stamp(1, u"answer"_s), u"answer"_s, u"llm.message"_s,
                          parse(R"({"model": "m", "query": "ünï ✓ \n line"})")),
        wire::messageContent(stamp(2, u"answer"_s), u"Hel"_s, u"m1"_s, u"text"_s, true),
        wire::stepFinished(stamp(3, u"answer"_s), u"answer"_s, u"llm.message"_s, StepStatus::Success,
                           parse(R"({"content": "Hello"})"), {}, Source::Mock, 12,
                           wire::Usage{5, 7}),
        wire::invocationFinished(stamp(4), u"success"_s,
                                 parse(R"([{"content_type": "text", "content": "Hello"}])"), {}),
    };
    QCOMPARE(events[1].path, u"answer"_s);
    QCOMPARE(events[1].seq, qint64(1));
    QCOMPARE(events[1].tMs, qint64(10));
    QCOMPARE(events[1].type, u"step_started"_s);

    const QByteArray frame = wire::encodeSseFrame(events[2]);
    QCOMPARE(frame, QByteArray("data: ") + events[2].raw + QByteArray("\n\n"));

    const QByteArray stream = wire::encodeSseFrames(events);
    // Fed in awkward pieces, the stream decodes to the very same events.
    wire::EventStreamDecoder decoder;
    QList<Event> decoded;
    for (qsizetype at = 0; at < stream.size(); at += 7)
        decoder.feed(QByteArrayView(stream).sliced(at, qMin<qsizetype>(7, stream.size() - at)), decoded);
    QCOMPARE(decoded, events);
    QVERIFY(decoder.takeProblems().isEmpty());

    // And each one also through the single-message path.
    for (const Event &event : events) {
        QList<wire::SseMessage> messages;
        wire::SseParser parser;
        parser.feed(wire::encodeSseFrame(event), messages);
        QCOMPARE(messages.size(), qsizetype(1));
        QCOMPARE(wire::decodeSseMessage(messages.first()), std::optional<Event>(event));
    }
}

void TestCodecs::eventFrameWithLineBreaks()
{
    // An event relayed as a server sent it, pretty-printed: every line gets its data field.
    const QByteArray raw = "{\r\n  \"type\": \"status\",\n  \"payload\": {}\r}";
    const auto event = Event::decode(raw);
    QVERIFY(event);
    QCOMPARE(event->type, u"status"_s);
    const QByteArray frame = wire::encodeSseFrame(*event);
    QCOMPARE(frame, QByteArray("data: {\ndata:   \"type\": \"status\",\ndata:   \"payload\": {}\ndata: }\n\n"));
    QList<wire::SseMessage> messages;
    wire::SseParser parser;
    parser.feed(frame, messages);
    QCOMPARE(messages.size(), qsizetype(1));
    const auto back = wire::decodeSseMessage(messages.first());
    QVERIFY(back);
    QCOMPARE_JSON(back->json(), event->json());
}

void TestCodecs::eventDecodeRejectsNonJson()
{
    QString error;
    QVERIFY(!Event::decode("[DONE]", &error));
    QVERIFY2(error.startsWith(u"event is not JSON: line 1, column 2"_s), qPrintable(error));
    QVERIFY(!Event::decode("[1, 2]", &error));
    QCOMPARE(error, u"event is not a JSON object"_s);
    QVERIFY(!Event::decode("{\"type\": \"status\"} trailing", &error));
    QVERIFY(!Event::decode("", &error));

    // Events from older servers: no type, no metadata. Unknown fields are fine.
    const auto plain = Event::decode(R"({"payload": {"bot_name": "B", "invocation_id": "i"}, "extra": 1})");
    QVERIFY(plain);
    QCOMPARE(plain->type, QString());
    QCOMPARE(plain->path, QString());
    QCOMPARE(plain->seq, qint64(-1));
    QCOMPARE(wire::kindOf(*plain), EventKind::InvocationStarted);
}

void TestCodecs::decodeReadsTheHeaderTheDomWould_data()
{
    // Event::decode reads the header while it validates (no DOM); Event::fromJson reads it
    // from the parsed DOM. Both must agree on every shape, odd ones included.
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("full") << QByteArray(R"({"type":"step_started","payload":{},"metadata":{"path":"a/b","seq":4,"t_ms":17}})");
    QTest::newRow("metadata first") << QByteArray(R"({"metadata":{"t_ms":1,"seq":2,"path":"p"},"type":"status"})");
    QTest::newRow("nothing") << QByteArray("{}");
    QTest::newRow("names nested elsewhere are not the header")
        << QByteArray(R"({"payload":{"type":"x","metadata":{"path":"no","seq":9}},"metadata":{"inner":{"path":"deep","seq":8}}})");
    QTest::newRow("type not a string") << QByteArray(R"({"type":5,"metadata":{"path":["x"],"seq":"7","t_ms":null}})");
    QTest::newRow("metadata not an object") << QByteArray(R"({"type":"a","metadata":[{"path":"x","seq":1}]})");
    QTest::newRow("duplicate keys: the last wins") << QByteArray(R"({"type":"a","type":"b","metadata":{"seq":1,"seq":2,"path":"x","path":3}})");
    QTest::newRow("duplicate metadata: the last wins")
        << QByteArray(R"({"metadata":{"seq":1,"path":"x","t_ms":5},"metadata":{"seq":2}})");
    QTest::newRow("a later metadata that is not an object")
        << QByteArray(R"({"metadata":{"seq":1,"path":"x"},"metadata":"gone"})");
    QTest::newRow("numbers of every kind") << QByteArray(R"({"metadata":{"seq":18446744073709551615,"t_ms":12.9}})");
    QTest::newRow("negative and exponent") << QByteArray(R"({"metadata":{"seq":-3,"t_ms":1e3}})");
    QTest::newRow("escapes and unicode") << QByteArray("{\"type\":\"t\\u00e9\\\"q\",\"metadata\":{\"path\":\"r\\u00e9/\\ud83d\\ude00\"}}");
    QTest::newRow("whitespace") << QByteArray(" \n{ \"type\" : \"s\" ,\r\n \"metadata\" : { \"seq\" : 1 } }\n");
}

void TestCodecs::decodeReadsTheHeaderTheDomWould()
{
    QFETCH(QByteArray, json);
    const auto decoded = Event::decode(json);
    QVERIFY(decoded);
    const Event fromDom = Event::fromJson(Json::parse(json.toStdString()));
    QCOMPARE(decoded->type, fromDom.type);
    QCOMPARE(decoded->path, fromDom.path);
    QCOMPARE(decoded->seq, fromDom.seq);
    QCOMPARE(decoded->tMs, fromDom.tMs);
    QCOMPARE(decoded->raw, json);
}

void TestCodecs::decodeErrorsMatchTheParser_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("[DONE]") << QByteArray("[DONE]");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("cut off") << QByteArray("{\"type\": \"sta");
    QTest::newRow("second line") << QByteArray("{\"a\": 1,\n \"b\": }");
    QTest::newRow("trailing text") << QByteArray("{} x");
    QTest::newRow("bad escape") << QByteArray("{\"a\": \"\\q\"}");
}

void TestCodecs::decodeErrorsMatchTheParser()
{
    QFETCH(QByteArray, bytes);
    QString decodeError;
    QVERIFY(!Event::decode(bytes, &decodeError));
    QString parseError;
    QVERIFY(parseJson(bytes, &parseError).is_discarded());
    QCOMPARE(decodeError, u"event is not JSON: "_s + parseError);
}

void TestCodecs::eventStreamSkipsNonEvents()
{
    const Event status = wire::statusUpdate(stamp(1), u"info"_s, u"working"_s);
    const QByteArray stream = ": open\n\ndata: hello there\n\n" + wire::encodeSseFrame(status)
                            + "data: [DONE]\n\n";
    wire::EventStreamDecoder decoder;
    QList<Event> events;
    decoder.feed(stream, events);
    QCOMPARE(events, QList<Event>{status});
    QCOMPARE(decoder.messageCount(), qint64(3));
    QCOMPARE(decoder.skippedCount(), qint64(2));
    const QStringList problems = decoder.takeProblems();
    QCOMPARE(problems.size(), qsizetype(2));
    QVERIFY2(problems[0].startsWith(u"message 1 is not an event (event is not JSON: line 1, column 1"_s),
             qPrintable(problems[0]));
    QVERIFY2(problems[0].endsWith(u": hello there"_s), qPrintable(problems[0]));
    QVERIFY2(problems[1].startsWith(u"message 3 is not an event"_s), qPrintable(problems[1]));
    QVERIFY(decoder.takeProblems().isEmpty());
}

void TestCodecs::botInfo()
{
    BotInfo bot;
    bot.id = u"chat"_s;
    bot.key = u"chat"_s;
    bot.name = u"Chat"_s;
    bot.description = u"A one-step chat."_s;
    bot.updatedAt = QDateTime(QDate(2025, 3, 4), QTime(5, 6, 7, 890), Qt::UTC);
    bot.parameters = {ParameterDefinition{u"tone"_s, u"Tone"_s, u"string"_s, true, Json("dry"), u"How to sound"_s},
                      ParameterDefinition{u"n"_s, u"N"_s, u"integer"_s, false, Json(), {}}};
    bot.sourceFile = u"/bots/chat.bot.json"_s;
    QCOMPARE(bot.updatedAtText(), u"2025-03-04T05:06:07.890Z"_s);
    QCOMPARE(BotInfo::fromJson(bot.toJson()), bot);
    QCOMPARE(BotInfo::fromJson(parse(R"({"key": "k"})")).displayName(), u"k"_s);
}

void TestCodecs::invocationSummary()
{
    InvocationSummary summary;
    summary.botName = u"Chat"_s;
    summary.botKey = u"chat"_s;
    summary.invocationId = u"inv-1"_s;
    summary.steps = {{u"answer"_s, u"llm.message"_s, StepStatus::Success},
                     {u"research/summarise"_s, u"llm.message"_s, StepStatus::Error}};
    summary.result = u"{\"a\": 1}"_s;
    summary.success = false;
    summary.error = u"boom"_s;
    QCOMPARE(InvocationSummary::fromJson(summary.toJson()), summary);
    QCOMPARE(dumpJson(summary.toJson()),
             QByteArray("{\"bot_key\":\"chat\",\"bot_name\":\"Chat\",\"error\":\"boom\",\"invocation_id\":\"inv-1\","
                        "\"result\":\"{\\\"a\\\": 1}\","
                        R"("steps":[{"action":"llm.message","key":"answer","status":"success"},)"
                        R"({"action":"llm.message","key":"research/summarise","status":"error"}],"success":false})"));
    summary.error.clear();
    summary.success = true;
    QCOMPARE_JSON(summary.toJson()["error"], Json());
    QCOMPARE(InvocationSummary::fromJson(summary.toJson()), summary);
}

void TestCodecs::invokeResult()
{
    InvokeResult result;
    result.success = true;
    result.botId = u"chat"_s;
    result.botKey = u"chat"_s;
    result.botName = u"Chat"_s;
    result.invocationId = u"inv-1"_s;
    result.events = {wire::invocationStarted(stamp(0), u"Chat"_s, u"chat"_s, u"chat"_s),
                     wire::messageContent(stamp(1, u"answer"_s), u"Hi"_s, u"m1"_s, u"text"_s, true)};
    result.result = parse(R"({"status": "success", "output": {"content": []}, "error": null})");
    StepRecord step;
    step.path = u"research/summarise"_s;
    step.key = u"summarise"_s;
    step.actionType = u"llm.message"_s;
    step.status = StepStatus::Success;
    step.source = Source::ReplayHit;
    step.parameters = parse(R"({"query": "q"})");
    step.output = parse(R"({"content": "x"})");
    step.startedMs = 3;
    step.durationMs = 40;
    step.inputTokens = 10;
    step.outputTokens = 20;
    StepRecord skipped;
    skipped.path = skipped.key = u"fallback"_s;
    skipped.status = StepStatus::Skipped;
    result.steps = {step, skipped};
    result.messages = {StepMessage{u"m1"_s, u"answer"_s, u"text"_s, true, u"Hi"_s},
                       StepMessage{u"m2"_s, u"think"_s, u"json"_s, false, u"{}"_s}};
    QCOMPARE(InvokeResult::fromJson(result.toJson()), result);
    QCOMPARE(result.visibleText(), u"Hi"_s);

    result.success = false;
    result.error = u"cancelled"_s;
    result.cancelled = true;
    QCOMPARE(InvokeResult::fromJson(result.toJson()), result);
}

QTEST_GUILESS_MAIN(TestCodecs)
#include "tst_codecs.moc"
