#include "tests/ui/runscript.h"
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
