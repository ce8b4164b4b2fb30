// The display-filter language (core/filter/filter.h, docs/filters.md): every field on
// the events of core/wire/events.h, every operator, Wireshark's missing-field rule,
// parse errors with their column and what was expected, and the regex cost limit.
#include "core/filter/filter.h"
#include "core/filter/filterfields.h"
#include "core/wire/events.h"

#include <QtCore/QElapsedTimer>
#include <QtTest/QTest>

using namespace invoke;
using namespace invoke::filter;
using namespace Qt::StringLiterals;

namespace {

wire::Stamp at(qint64 seq, const QString &path = {})
{
    return wire::Stamp{u"inv-1"_s, seq, 10 * seq, path};
}

Json parse(const char *text)
{
    return Json::parse(text);
}

Event raw(const char *json)
{
    auto event = Event::decode(QByteArrayView(json, qsizetype(strlen(json))));
    Q_ASSERT(event);
    return *event;
}

// A run with a sub-bot, a replayed slow step, a failed step, a skipped one and text.
QList<Event> run()
{
    using namespace wire;
    return {
        invocationStarted(at(0), u"Researcher"_s, u"research"_s, u"bot-1"_s),                                      // 0
        stepStarted(at(1, u"plan"_s), u"plan"_s, u"utils.echo"_s, parse(R"({"data": {"topic": "sse"}})")),           // 1
        stepFinished(at(2, u"plan"_s), u"plan"_s, u"utils.echo"_s, StepStatus::Success,
                     parse(R"({"topic": "sse", "n": 3, "tags": ["a", "b"]})"), {}, Source::Live, 4),                 // 2
        stepStarted(at(3, u"research/summarise"_s), u"summarise"_s, u"llm.message"_s, parse(R"({"q": "SSE"})")),    // 3
        messageContent(at(4, u"research/summarise"_s), u"Server-sent "_s, u"msg-a"_s, u"text"_s, true),            // 4
        messageContent(at(5, u"research/summarise"_s), u"events."_s, u"msg-a"_s, u"text"_s, true),                 // 5
        stepFinished(at(6, u"research/summarise"_s), u"summarise"_s, u"llm.message"_s, StepStatus::Success,
                     parse(R"({"content": "Server-sent events."})"), {}, Source::ReplayHit, 150, Usage{12, 3}),     // 6
        stepFinished(at(7, u"fetch"_s), u"fetch"_s, u"http.get"_s, StepStatus::Error, Json(), u"timeout"_s,
                     Source::Live, 2000),                                                                            // 7
        stepFinished(at(8, u"fallback"_s), u"fallback"_s, u"utils.echo"_s, StepStatus::Skipped, Json(), {},
                     Source::Unknown, -1),                                                                           // 8
        statusUpdate(at(9), u"info"_s, u"halfway"_s),                                                                // 9
        invocationFinished(at(10), u"error"_s, parse(R"([{"content_type": "text", "content": "x"}])"), u"fetch failed"_s), // 10
    };
}

QList<int> matching(const Filter &filter, const QList<Event> &events)
{
    QList<int> rows;
    for (int i = 0; i < events.size(); ++i)
        if (filter.matches(events.at(i)))
            rows.append(i);
    return rows;
}

QString listText(const QList<int> &rows)
{
    QStringList parts;
    for (int row : rows)
        parts.append(QString::number(row));
    return parts.join(u',');
}

} // namespace

class TstFilter : public QObject
{
    Q_OBJECT
private slots:
    void matchesEvents_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("rows");
        QTest::newRow("blank") << u"  "_s << u"0,1,2,3,4,5,6,7,8,9,10"_s;
        QTest::newRow("type ==") << u"type == \"message_content\""_s << u"4,5"_s;
        QTest::newRow("type eq") << u"type eq \"step_started\""_s << u"1,3"_s;
        QTest::newRow("type in") << u"type in {\"status\", \"invocation_started\"}"_s << u"0,9"_s;
        QTest::newRow("step ==") << u"step == \"plan\""_s << u"1,2"_s;
        QTest::newRow("step ^=") << u"step ^= \"research/\""_s << u"3,4,5,6"_s;
        QTest::newRow("step exists") << u"step"_s << u"1,2,3,4,5,6,7,8"_s;
        QTest::newRow("not step") << u"not step"_s << u"0,9,10"_s;
        QTest::newRow("step != on missing is false") << u"step != \"plan\""_s << u"3,4,5,6,7,8"_s;
        QTest::newRow("action") << u"action == \"llm.message\""_s << u"3,6"_s;
        QTest::newRow("action contains") << u"action contains \"utils\""_s << u"1,2,8"_s;
        QTest::newRow("source") << u"source == \"replay_hit\""_s << u"6"_s;
        QTest::newRow("source missing on skipped") << u"source"_s << u"2,6,7"_s;
        QTest::newRow("status of steps, run, status event") << u"status == \"error\""_s << u"7,10"_s;
        QTest::newRow("status skipped") << u"status == \"skipped\""_s << u"8"_s;
        QTest::newRow("status of status event") << u"status == \"info\""_s << u"9"_s;
        QTest::newRow("seq >") << u"seq > 8"_s << u"9,10"_s;
        QTest::newRow("seq <=") << u"seq <= 1"_s << u"0,1"_s;
        QTest::newRow("t_ms >=") << u"t_ms >= 95"_s << u"10"_s;
        QTest::newRow("t_ms lt") << u"t_ms lt 10"_s << u"0"_s;
        QTest::newRow("duration_ms >") << u"duration_ms > 100"_s << u"6,7"_s;
        QTest::newRow("duration_ms missing is false both ways") << u"duration_ms < 100000 or duration_ms >= 100000"_s << u"2,6,7"_s;
        QTest::newRow("not duration > 100") << u"not duration_ms > 100"_s << u"0,1,2,3,4,5,8,9,10"_s;
        QTest::newRow("tokens.in") << u"tokens.in == 12"_s << u"6"_s;
        QTest::newRow("tokens.out") << u"tokens.out < 5"_s << u"6"_s;
        QTest::newRow("text contains") << u"text contains \"sent\""_s << u"4"_s;
        QTest::newRow("text matches ignores case") << u"text matches \"^server\""_s << u"4"_s;
        QTest::newRow("text matches (?-i)") << u"text matches \"(?-i)^server\""_s << u""_s;
        QTest::newRow("text ~ searches") << u"text ~ \"ents\\\\.$\""_s << u"5"_s;
        QTest::newRow("payload member") << u"payload.result.status == \"skipped\""_s << u"8"_s;
        QTest::newRow("payload number") << u"payload.result.output.n == 3"_s << u"2"_s;
        QTest::newRow("payload number as text") << u"payload.result.output.n == \"3\""_s << u"2"_s;
        QTest::newRow("payload array index") << u"payload.result.output.tags.1 == \"b\""_s << u"2"_s;
        QTest::newRow("payload object contains") << u"payload.parameters contains \"topic\""_s << u"1"_s;
        QTest::newRow("payload whole") << u"payload contains \"halfway\""_s << u"9"_s;
        QTest::newRow("payload bool") << u"payload.result.output.missing == true"_s << u""_s;
        QTest::newRow("metadata member") << u"metadata.message_content_id == \"msg-a\""_s << u"4,5"_s;
        QTest::newRow("and binds tighter than or") << u"type == \"status\" or step == \"plan\" and seq == 2"_s << u"2,9"_s;
        QTest::newRow("parentheses") << u"(type == \"status\" or step == \"plan\") and seq >= 2"_s << u"2,9"_s;
        QTest::newRow("&& || !") << u"!(seq > 1) || seq == 10 && type == \"invocation_finished\""_s << u"0,1,10"_s;
        QTest::newRow("string order") << u"step > \"r\""_s << u"3,4,5,6"_s;
        QTest::newRow("number vs string field") << u"step == 3"_s << u""_s;
        QTest::newRow("issue's example") << u"step ^= \"research/\" and duration_ms > 100"_s << u"6"_s;
    }
    void matchesEvents()
    {
        QFETCH(QString, text);
        QFETCH(QString, rows);
        ParseError error;
        const std::optional<Filter> filter = Filter::parse(text, &error);
        QVERIFY2(filter, qPrintable(error.message));
        QCOMPARE(listText(matching(*filter, run())), rows);
    }

    void parseErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("expected"); // a piece of ParseError::expected
        QTest::newRow("no value") << u"seq =="_s << 7 << u"a value"_s;
        QTest::newRow("unknown field") << u"type == \"x\" and colour == 1"_s << 17 << u"a field name"_s;
        QTest::newRow("single =") << u"seq = 3"_s << 5 << u"=="_s;
        QTest::newRow("unclosed string") << u"text contains \"abc"_s << 19 << u"a closing \""_s;
        QTest::newRow("unclosed paren") << u"(seq > 1"_s << 9 << u"\")\""_s;
        QTest::newRow("stray paren") << u"seq > 1)"_s << 8 << u"closes nothing"_s;
        QTest::newRow("two fields") << u"seq step"_s << 5 << u"an operator"_s;
        QTest::newRow("bare word value") << u"type == step_started"_s << 9 << u"quote text"_s;
        QTest::newRow("contains a number") << u"text contains 3"_s << 15 << u"a \"quoted string\""_s;
        QTest::newRow("in without brace") << u"type in \"a\""_s << 9 << u"\"{\""_s;
        QTest::newRow("in without close") << u"type in {\"a\" \"b\"}"_s << 14 << u"\",\" or \"}\""_s;
        QTest::newRow("bad regex") << u"text matches \"a(b\""_s << 14 << u"a valid regular expression"_s;
        QTest::newRow("own limits") << u"text matches \"(*LIMIT_MATCH=99999999)a\""_s << 14 << u"LIMIT"_s;
        QTest::newRow("trailing and") << u"seq > 1 and"_s << 12 << u"a field name"_s;
        QTest::newRow("empty payload member") << u"payload..x == 1"_s << 1 << u"a field name"_s;
        QTest::newRow("bad escape") << u"text == \"a\\qb\""_s << 11 << u"an escape"_s;
        QTest::newRow("stray char") << u"seq > 1 # 2"_s << 9 << u"a field"_s;
        QTest::newRow("number glued to word") << u"seq > 12ab"_s << 7 << u"a number"_s;
    }
    void parseErrors()
    {
        QFETCH(QString, text);
        QFETCH(int, column);
        QFETCH(QString, expected);
        ParseError error;
        QVERIFY(!Filter::parse(text, &error));
        QCOMPARE(error.column(), column);
        QVERIFY2(error.expected.contains(expected), qPrintable(error.expected));
        QVERIFY(error.message.startsWith(u"expected "_s));
        QVERIFY2(error.message.contains(u", found "_s), qPrintable(error.message));
    }

    void caretPointsAtTheColumn()
    {
        ParseError error;
        QVERIFY(!Filter::parse(u"step ^= and"_s, &error));
        const QStringList lines = caretDiagram(u"step ^= and"_s, error).split(u'\n');
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(0), u"  step ^= and"_s);
        QCOMPARE(lines.at(1).indexOf(u'^'), 2 + 8);
        QVERIFY(lines.at(1).contains(u"expected a \"quoted string\", found \"and\""_s));
    }

    void deepNestingIsAnErrorNotACrash()
    {
        const QString text = QString(5000, u'(') + u"seq"_s + QString(5000, u')');
        ParseError error;
        QVERIFY(!Filter::parse(text, &error));
        QVERIFY(error.expected.contains(u"less nesting"_s));
        QString nots;
        for (int i = 0; i < 5000; ++i)
            nots += u"not "_s;
        QVERIFY(!Filter::parse(nots + u"seq"_s, &error));
    }

    void longPatternIsRefused()
    {
        ParseError error;
        QVERIFY(!Filter::parse(u"text matches \""_s + QString(kMaxPatternLength + 1, u'a') + u'"', &error));
        QVERIFY(error.expected.contains(u"at most 1000 characters"_s));
        QVERIFY(Filter::parse(u"text matches \""_s + QString(kMaxPatternLength, u'a') + u'"'));
    }

    // A pattern that backtracks exponentially stops at its limit quickly and says so.
    void costlyRegexIsStopped()
    {
        const Event event = wire::messageContent(at(3, u"s"_s), QString(40, u'a') + u'!', u"m"_s, u"text"_s, true);
        const auto filter = Filter::parse(u"text matches \"(a+)+$\""_s);
        QVERIFY(filter);
        QVERIFY(filter->readsBody());
        MatchProblem problem;
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!filter->matches(event, &problem));
        QVERIFY2(timer.elapsed() < 5000, "the match limit did not stop the pattern"); // unbounded: hours
        QVERIFY(problem.isSet());
        QCOMPARE(problem.position, 5);
        QVERIFY2(problem.message.contains(u"too costly"_s), qPrintable(problem.message));
        QVERIFY(problem.message.contains(u"#3"_s));

        // A pattern that is fine leaves no problem behind.
        MatchProblem none;
        QVERIFY(Filter::parse(u"text matches \"a+!\""_s)->matches(event, &none));
        QVERIFY(!none.isSet());
    }

    void headerFieldsReadNoJson()
    {
        const auto header = Filter::parse(u"type == \"step_finished\" and step ^= \"a\" and seq > 1 and t_ms < 9"_s);
        QVERIFY(header && !header->readsBody());
        const Event event = run().at(6);
        const EventRecord record(event.type, event.path, event.seq, event.tMs, event.raw);
        QVERIFY(!Filter::parse(u"step ^= \"research\""_s)->matches(EventRecord(event.type, u"x"_s, 1, 1, event.raw)));
        QVERIFY(Filter::parse(u"step ^= \"research\""_s)->matches(record));
        QVERIFY(!record.isParsed());
        // Fields that only step_finished events carry cost no parse on other events.
        const Event text = run().at(4);
        const EventRecord textRecord(text.type, text.path, text.seq, text.tMs, text.raw);
        QVERIFY(!Filter::parse(u"duration_ms > 1 or source or action"_s)->matches(textRecord));
        QVERIFY(!textRecord.isParsed());
        QVERIFY(Filter::parse(u"duration_ms > 100"_s)->matches(record));
        QVERIFY(record.isParsed());
    }

    // Servers that send no type and no path: classified by shape, the key as the step.
    void plainServerEvents()
    {
        const Event finished = raw(R"({"payload": {"status": "step finished", "key": "answer",)"
                                   R"( "action_type": "llm.message", "result": {"status": "success"}}, "metadata": {"seq": 4}})");
        QVERIFY(Filter::parse(u"type == \"step_finished\" and step == \"answer\" and status == \"success\""_s)->matches(finished));
        const Event noWord = raw(R"({"type": "step_finished", "payload": {"key": "k", "result": {"error": "boom"}}})");
        QVERIFY(Filter::parse(u"status == \"error\""_s)->matches(noWord));
        QVERIFY(!Filter::parse(u"seq"_s)->matches(noWord)); // no seq: missing, not -1
        const Event notJson{"not json", u"status"_s, {}, 1, 1};
        QVERIFY(!Filter::parse(u"payload"_s)->matches(notJson));
        QVERIFY(Filter::parse(u"type == \"status\""_s)->matches(notJson));
    }

    void unicodeStrings()
    {
        const Event event = wire::messageContent(at(1, u"s"_s), u"Grüße, 世界"_s, u"m"_s, u"text"_s, true);
        QVERIFY(Filter::parse(u"text contains \"世界\""_s)->matches(event));
        QVERIFY(Filter::parse(u"text == \"Grüße, 世界\""_s)->matches(event));
        QVERIFY(Filter::parse(u"text == \"Gr\\u00fc\\u00dfe, 世界\""_s)->matches(event));
        QVERIFY(Filter::parse(u"text matches \"GRÜSSE|grüße\""_s)->matches(event));
        QVERIFY(Filter::parse(u"text ^= \"Grü\""_s)->matches(event));
    }

    void catalogNamesEveryField()
    {
        const QStringList names = fieldNames();
        for (const char *name : {"type", "step", "action", "source", "status", "seq", "t_ms", "duration_ms",
                                 "tokens.in", "tokens.out", "text", "payload.", "metadata."})
            QVERIFY2(names.contains(QLatin1StringView(name)), name);
        for (const QString &name : names) {
            if (name.endsWith(u'.'))
                QVERIFY(fieldFromName(name + u"x"_s));
            else
                QVERIFY2(fieldFromName(name), qPrintable(name));
        }
        QVERIFY(!fieldFromName(u"payload."_s));
        QVERIFY(!fieldFromName(u"colour"_s));
    }
};

QTEST_GUILESS_MAIN(TstFilter)
#include "tst_filter.moc"
