#include "tests/ui/runscript.h"
#include "core/filter/filter.h"
#include "core/wire/events.h"
#include "ui/events/eventlistmodel.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using invoke::Event;
using invoke::Json;
using invoke::test::RunScript;
using invoke::test::batchesOf;
using invoke::ui::EventListModel;

namespace {

QList<Event> sampleRun()
{
    RunScript run;
    return {
        run.begin(u"Researcher"_s),
        run.started(u"research"_s, u"bot.invoke"_s),
        run.started(u"research/search"_s, u"memory.search"_s, Json{{"query", "Tides"}}),
        run.finished(u"research/search"_s, u"memory.search"_s, u"success"_s, u"live"_s, 12),
        run.chunk(u"research"_s, u"secret plan"_s, u"m0"_s, false),
        run.started(u"answer"_s, u"llm.message"_s),
        run.chunk(u"answer"_s, u"Grüße, "_s),
        run.chunk(u"answer"_s, u"line one\nline two"_s),
        run.status(u"answer"_s, u"half way"_s),
        run.finished(u"answer"_s, u"llm.message"_s, u"error"_s, u"live"_s, 40, {}, u"Rate limited"_s),
        run.end(u"error"_s, u"Rate limited"_s),
    };
}

// The model as text: one line per row, the columns joined by " | ".
QString dumpRows(const QAbstractItemModel &model)
{
    QString out;
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < model.columnCount(); ++column)
            cells.append(model.index(row, column).data().toString());
        out += cells.join(u" | "_s) + u'\n';
    }
    return out;
}

const QString kSampleGolden = uR"(0 | 5 | invocation_started |  | Researcher · inv-1
1 | 10 | step_started | research | research · bot.invoke
2 | 15 | step_started | research/search | search · memory.search
3 | 20 | step_finished | research/search | search → success (live)
4 | 25 | message_content | research | (hidden) secret plan
5 | 30 | step_started | answer | answer · llm.message
6 | 35 | message_content | answer | Grüße, 
7 | 40 | message_content | answer | line one⏎line two
8 | 45 | status | answer | info: half way
9 | 50 | step_finished | answer | answer → error (live): Rate limited
10 | 55 | invocation_finished |  | error: Rate limited
)"_s;

} // namespace

class TestEventListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsForAnyBatching_data()
    {
        QTest::addColumn<int>("batchSize");
        for (const int size : {1, 3, 4, 100})
            QTest::addRow("batches of %d", size) << size;
    }

    void rowsForAnyBatching()
    {
        QFETCH(int, batchSize);
        EventListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        const QList<Event> events = sampleRun();
        const auto batches = batchesOf(events, batchSize);
        for (const QList<Event> &batch : batches)
            model.addEvents(batch);
        QCOMPARE(dumpRows(model), kSampleGolden);

        // One insert per batch, each with the right inclusive range.
        QCOMPARE(inserted.count(), batches.size());
        int first = 0;
        for (int i = 0; i < inserted.count(); ++i) {
            QCOMPARE(inserted.at(i).at(1).toInt(), first);
            QCOMPARE(inserted.at(i).at(2).toInt(), first + int(batches.at(i).size()) - 1);
            first += int(batches.at(i).size());
        }
        for (int row = 0; row < events.size(); ++row)
            QCOMPARE(model.eventAt(row), events.at(row));
        model.addEvents({}); // an empty batch inserts nothing
        QCOMPARE(inserted.count(), batches.size());
    }

    void accessorsAndRoles()
    {
        EventListModel model;
        const QList<Event> events = sampleRun();
        model.addEvents(events);
        QCOMPARE(model.rowsForPath(u"research/search"_s), (QList<int>{2, 3}));
        QCOMPARE(model.rowsForPath(u"answer"_s), (QList<int>{5, 6, 7, 8, 9}));
        QCOMPARE(model.rowsForPath(u"research"_s), (QList<int>{1, 4})); // its own events only
        QCOMPARE(model.rowsForPath(u"nowhere"_s), QList<int>());
        QCOMPARE(model.rawAt(6), QByteArrayView(events.at(6).raw));
        QCOMPARE(model.index(6, 0).data(EventListModel::RawRole).toByteArray(), events.at(6).raw);
        QCOMPARE(model.index(6, 0).data(EventListModel::TypeRole).toString(), u"message_content"_s);
        QCOMPARE(model.index(6, 0).data(EventListModel::PathRole).toString(), u"answer"_s);
        QCOMPARE(model.index(6, 0).data(EventListModel::SeqRole).toLongLong(), 6);
        QCOMPARE(model.types(), (QStringList{QString(), u"invocation_started"_s, u"step_started"_s,
                                             u"step_finished"_s, u"message_content"_s, u"status"_s,
                                             u"invocation_finished"_s}));
        QCOMPARE(model.headerData(EventListModel::SummaryColumn, Qt::Horizontal).toString(), u"Summary"_s);
        QVERIFY(!model.eventAt(99).raw.size());
    }

    void plainSdkEventsAreClassified()
    {
        EventListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QList<Event> events{
            Event::fromJson(Json{{"payload", {{"key", "answer"}, {"action_type", "llm.message"}}}}),
            Event::fromJson(Json{{"payload", "Hi"}, {"metadata", {{"message_content_id", "m"}}}}),
            Event::fromJson(Json{{"payload", {{"status", "step finished"}, {"key", "answer"},
                                              {"result", {{"status", "success"}}}}}}),
            Event::fromJson(Json{{"something", "else"}}),
        };
        model.addEvents(events);
        QCOMPARE(dumpRows(model), uR"( |  | step_started | answer | answer · llm.message
 |  | message_content |  | Hi
 |  | step_finished | answer | answer → success
 |  |  |  | {"something":"else"}
)"_s);
        QCOMPARE(model.rowsForPath(u"answer"_s), (QList<int>{0, 2}));
        // The event itself comes back as it arrived, without the classification.
        QCOMPARE(model.eventAt(0), events.at(0));
        QVERIFY(model.eventAt(0).type.isEmpty());
    }

    void manyEventsAcrossChunks_data()
    {
        QTest::addColumn<bool>("compress");
        QTest::newRow("plain chunks") << false;
        QTest::newRow("compressed chunks") << true;
    }

    void manyEventsAcrossChunks()
    {
        // ~3 MB of events: a dozen storage chunks, one event larger than a chunk.
        QFETCH(bool, compress);
        EventListModel model;
        model.store().setCompression(compress);
        QList<Event> events;
        RunScript run;
        qint64 rawBytes = 0;
        for (int i = 0; i < 1500; ++i)
            events.append(run.chunk(u"answer"_s, QString(2000, QChar(u'a' + i % 26))));
        events.append(run.chunk(u"answer"_s, QString(1 << 20, u'z')));
        events.append(run.chunk(u"answer"_s, u"tail"_s));
        for (const Event &event : events)
            rawBytes += event.raw.size();
        for (const QList<Event> &batch : batchesOf(events, 97))
            model.addEvents(batch);
        model.store().waitForCompression();
        QCOMPARE(model.rowCount(), events.size());
        if (compress)
            QVERIFY2(model.store().heldBytes() < rawBytes / 4, qPrintable(QString::number(model.store().heldBytes())));
        else
            QVERIFY(model.store().heldBytes() >= rawBytes);
        // In order, backwards, and jumping between far apart rows: every read is exact.
        for (int row = 0; row < events.size(); ++row)
            QCOMPARE(model.rawAt(row), QByteArrayView(events.at(row).raw));
        for (int row = int(events.size()) - 1; row >= 0; --row)
            QCOMPARE(model.eventAt(row), events.at(row));
        for (int i = 0; i < 200; ++i) {
            const int row = (i % 2) ? i : int(events.size()) - 1 - i;
            QCOMPARE(model.rawAt(row), QByteArrayView(events.at(row).raw));
        }
        QCOMPARE(model.summaryAt(1501), u"tail"_s);
        QVERIFY(model.summaryAt(1500).size() <= 161);
    }

    // The facts a row keeps for filters (core/filter/eventfacts.h) answer exactly as the
    // event's JSON does, on the model and on a snapshot, odd values included: a float
    // duration, a number too large for a double, a boolean source, an object status, a
    // status word missing, non-ASCII words, events without type or path.
    void factsAnswerAsTheJsonDoes()
    {
        QList<Event> events = sampleRun();
        const auto add = [&events](const char *json) { events.append(Event::decode(QByteArray(json)).value()); };
        add(R"({"type":"step_finished","payload":{"key":"a","action_type":"llm.message","result":{"status":"success"}},"metadata":{"path":"a","seq":20,"t_ms":5,"duration_ms":12.5,"source":"live","usage":{"input_tokens":9007199254740993,"output_tokens":-3}}})");
        add(R"({"type":"step_finished","payload":{"key":"b","action_type":"données","result":{"status":{"x":1},"error":"boom"}},"metadata":{"path":"b","seq":21,"duration_ms":150,"source":true}})");
        add(R"({"type":"step_finished","payload":{"key":"c","action_type":"utils.echo","result":{"error":"boom"}},"metadata":{"path":"c","seq":22,"duration_ms":101,"source":"replay_miss"}})");
        add(R"({"type":"step_finished","payload":{"key":"d","action_type":"utils.echo","result":{}},"metadata":{"path":"d","seq":23,"duration_ms":null}})");
        add(R"({"type":"step_started","payload":{"key":"e","action_type":7},"metadata":{"seq":24}})");
        add(R"({"payload":{"key":"f","action_type":"llm.message"},"metadata":{"seq":25}})");
        add(R"({"payload":{"status":"step finished","key":"f","action_type":"llm.message","result":{"status":"success"}},"metadata":{"seq":26,"duration_ms":300,"source":"live"}})");
        add(R"({"type":"status","payload":{"status":"warn","message":"slow"},"metadata":{"path":"f","seq":27}})");
        add(R"({"type":"invocation_finished","payload":{"status":"error","output":[]},"metadata":{"seq":28}})");
        add(R"({"type":"message_content","payload":{"text":"x"},"metadata":{"seq":29}})");
        add("{\"type\":\"message_content\",\"payload\":\"first\",\"payload\":\"caf\\u00e9 \\\"q\\\"\",\"metadata\":{\"seq\":30}}");
        add(R"({"type":"message_content","payload":"x","payload":null,"metadata":{"seq":31}})");
        EventListModel model;
        model.addEvents(events);
        const invoke::ui::EventSnapshot snapshot = model.snapshot();
        const QStringList filters{
            u"action == \"llm.message\""_s, u"action == \"données\""_s, u"action == 7"_s, u"action"_s,
            u"source == \"live\""_s, u"source == true"_s, u"source in {\"replay_miss\", \"live\"}"_s, u"source"_s,
            u"status == \"error\""_s, u"status == \"success\""_s, u"status contains \"x\""_s, u"status ^= \"wa\""_s,
            u"status != \"success\""_s, u"duration_ms > 100"_s, u"duration_ms == 12.5"_s, u"duration_ms contains \".5\""_s,
            u"duration_ms"_s, u"not duration_ms"_s, u"tokens.in > 9007199254740992"_s, u"tokens.in contains \"993\""_s,
            u"tokens.out < 0"_s, u"tokens.out"_s, u"status matches \"^err\""_s,
            u"step ^= \"f\" and duration_ms >= 300 and action == \"llm.message\""_s,
            u"text"_s, u"text contains \"é \\\"q\""_s, u"text == \"first\""_s, u"text matches \"^Gr\""_s,
        };
        // The text of a chunk is read without a DOM: the same as the parsed payload.
        for (int row = 0; row < model.rowCount(); ++row) {
            const Json parsed = events.at(row).json();
            const Json &payload = invoke::wire::payloadOf(parsed);
            const invoke::filter::EventRecord record = snapshot.record(row);
            const invoke::filter::FieldValue text = record.value({invoke::filter::FieldId::Text, {}});
            const bool chunk = events.at(row).type == u"message_content"_s && payload.is_string();
            QCOMPARE(text.kind == invoke::filter::FieldValue::String, chunk);
            if (chunk)
                QVERIFY(text.utf8 == payload.get<std::string>());
        }
        for (const QString &text : filters) {
            const auto parsed = invoke::filter::Filter::parse(text);
            QVERIFY2(parsed, qPrintable(text));
            for (int row = 0; row < model.rowCount(); ++row) {
                const bool expected = parsed->matches(events.at(row));
                QVERIFY2(parsed->matches(model.recordAt(row)) == expected, qPrintable(text + u" on row "_s + QString::number(row)));
                QVERIFY2(parsed->matches(snapshot.record(row)) == expected, qPrintable(text + u" on row "_s + QString::number(row)));
            }
        }
        // A header-and-facts filter reads no event's bytes, but for the three whose values the
        // facts do not keep (a float and a too large number; a boolean and an object; a null).
        const int first = int(sampleRun().size());
        const QList<int> readsJson{first, first + 1, first + 3};
        const auto facts = invoke::filter::Filter::parse(u"action == \"llm.message\" or duration_ms > 100"_s);
        for (int row = 0; row < model.rowCount(); ++row) {
            const invoke::filter::EventRecord record = snapshot.record(row);
            facts->matches(record);
            QVERIFY2(record.isParsed() == readsJson.contains(row), qPrintable(QString::number(row)));
        }
    }

    void clearStartsOver()
    {
        EventListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEvents(sampleRun());
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.rowsForPath(u"answer"_s), QList<int>());
        model.addEvents(sampleRun());
        QCOMPARE(dumpRows(model), kSampleGolden);
    }
};

QTEST_MAIN(TestEventListModel)
#include "tst_eventlistmodel.moc"
