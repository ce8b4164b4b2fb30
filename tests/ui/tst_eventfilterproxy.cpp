// The events view's display filter (ui/events/eventfilterproxy.h): a filter matched off
// the GUI thread over a snapshot of the list, replacing the shown one only when done;
// rows arriving later matched as they come; a failing filter leaving the last one; the
// matches marked when every row shows; next/previous match; the step paths that match.
#include "tests/ui/runscript.h"
#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventlistmodel.h"
#include "ui/events/eventsnapshot.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using invoke::Event;
using invoke::Json;
using invoke::filter::Filter;
using invoke::test::RunScript;
using invoke::test::batchesOf;
using invoke::ui::EventFilterProxy;
using invoke::ui::EventListModel;

namespace {

QList<Event> sampleRun()
{
    RunScript run;
    return {
        run.begin(u"Researcher"_s),                                                            // 0
        run.started(u"research"_s, u"bot.invoke"_s),                                           // 1
        run.started(u"research/search"_s, u"memory.search"_s, Json{{"query", "Tides"}}),       // 2
        run.finished(u"research/search"_s, u"memory.search"_s, u"success"_s, u"live"_s, 12),   // 3
        run.chunk(u"research"_s, u"secret plan"_s, u"m0"_s, false),                            // 4
        run.started(u"answer"_s, u"llm.message"_s),                                            // 5
        run.chunk(u"answer"_s, u"Grüße, "_s),                                                  // 6
        run.chunk(u"answer"_s, u"line one\nline two"_s),                                       // 7
        run.status(u"answer"_s, u"half way"_s),                                                // 8
        run.finished(u"answer"_s, u"llm.message"_s, u"error"_s, u"live"_s, 40, {}, u"Rate limited"_s), // 9
        run.end(u"error"_s, u"Rate limited"_s),                                                // 10
    };
}

Filter parsed(const QString &text)
{
    invoke::filter::ParseError error;
    const auto filter = Filter::parse(text, &error);
    if (!filter)
        qFatal("%s: %s", qPrintable(text), qPrintable(error.message));
    return *filter;
}

QList<qint64> shownSeqs(const QAbstractItemModel &model)
{
    QList<qint64> seqs;
    for (int row = 0; row < model.rowCount(); ++row)
        seqs.append(model.index(row, EventListModel::SeqColumn).data().toLongLong());
    return seqs;
}

// Sets the filter and waits for it to be shown.
void apply(EventFilterProxy &proxy, const QString &text)
{
    QSignalSpy applied(&proxy, &EventFilterProxy::filterApplied);
    proxy.setFilter(parsed(text));
    QVERIFY(applied.count() == 1 || applied.wait(30000));
}

} // namespace

class TestEventFilterProxy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void filters_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QList<qint64>>("seqs");
        QTest::newRow("nothing") << QString() << QList<qint64>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        QTest::newRow("type") << u"type == \"message_content\""_s << QList<qint64>{4, 6, 7};
        QTest::newRow("step and nested") << u"step == \"research\" or step ^= \"research/\""_s << QList<qint64>{1, 2, 3, 4};
        QTest::newRow("text") << u"text contains \"line\""_s << QList<qint64>{7};
        QTest::newRow("regex, any case") << u"payload matches \"rate LIMITED\""_s << QList<qint64>{9, 10};
        QTest::newRow("parameters") << u"payload.parameters.query == \"Tides\""_s << QList<qint64>{2};
        QTest::newRow("status") << u"status == \"error\""_s << QList<qint64>{9, 10};
        QTest::newRow("duration") << u"duration_ms > 20"_s << QList<qint64>{9};
        QTest::newRow("no match") << u"text contains \"zebra\""_s << QList<qint64>{};
    }

    // The same rows whatever the order: filter first and rows after, or rows first.
    void filters()
    {
        QFETCH(QString, text);
        QFETCH(QList<qint64>, seqs);
        for (const bool rowsFirst : {true, false}) {
            EventListModel model;
            EventFilterProxy proxy;
            proxy.setSourceModel(&model);
            QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
            if (rowsFirst)
                model.addEvents(sampleRun());
            apply(proxy, text);
            if (!rowsFirst)
                for (const QList<Event> &batch : batchesOf(sampleRun(), 4))
                    model.addEvents(batch);
            QCOMPARE(shownSeqs(proxy), seqs);
            QCOMPARE(proxy.matchCount(), int(seqs.size()));
            // Clearing shows everything again, at once.
            proxy.setFilter({});
            QCOMPARE(proxy.rowCount(), model.rowCount());
        }
    }

    // Every row shows and the matches are marked (bold, MatchRole); next/previous walk
    // them and wrap around.
    void markedMatchesAndNextPrevious()
    {
        EventListModel model;
        EventFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEvents(sampleRun());
        apply(proxy, u"type == \"step_finished\""_s);
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setHideOthers(false);
        QCOMPARE(proxy.rowCount(), 11);
        QVERIFY(proxy.index(3, 0).data(EventFilterProxy::MatchRole).toBool());
        QVERIFY(proxy.index(3, 0).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(!proxy.index(4, 0).data(EventFilterProxy::MatchRole).toBool());
        QVERIFY(!proxy.index(4, 0).data(Qt::FontRole).isValid());
        QCOMPARE(proxy.nextMatch(-1, true), 3);
        QCOMPARE(proxy.nextMatch(3, true), 9);
        QCOMPARE(proxy.nextMatch(9, true), 3);  // wraps
        QCOMPARE(proxy.nextMatch(-1, false), 9);
        QCOMPARE(proxy.nextMatch(9, false), 3);
        QCOMPARE(proxy.nextMatch(3, false), 9); // wraps
        QCOMPARE(proxy.nextMatch(5, false), 3); // from a row that is no match
        // A row that arrives later is marked when it matches.
        RunScript more;
        model.addEvents({more.finished(u"late"_s, u"utils.echo"_s, u"success"_s, u"mock"_s, 1)});
        QCOMPARE(proxy.rowCount(), 12);
        QVERIFY(proxy.index(11, 0).data(EventFilterProxy::MatchRole).toBool());
        QCOMPARE(proxy.nextMatch(9, true), 11);
    }

    // A filter that stops at a too costly pattern is not shown: the last one stays.
    void failedFilterKeepsTheShownOne()
    {
        EventListModel model;
        EventFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        RunScript run;
        QList<Event> events = sampleRun();
        events.append(run.chunk(u"answer"_s, QString(40, u'a') + u'!'));
        model.addEvents(events);
        apply(proxy, u"type == \"step_started\""_s);
        QCOMPARE(shownSeqs(proxy), (QList<qint64>{1, 2, 5}));
        QSignalSpy failed(&proxy, &EventFilterProxy::filterFailed);
        proxy.setFilter(parsed(u"text matches \"(a+)+$\""_s));
        QVERIFY(failed.wait(30000));
        QVERIFY2(failed.first().first().toString().contains(u"too costly"_s), qPrintable(failed.first().first().toString()));
        QCOMPARE(proxy.filter().text(), u"type == \"step_started\""_s);
        QCOMPARE(shownSeqs(proxy), (QList<qint64>{1, 2, 5}));
        // Rows that arrive later still follow the shown filter.
        model.addEvents({run.started(u"late"_s, u"utils.echo"_s)});
        QCOMPARE(proxy.rowCount(), 4);
    }

    // A new filter replaces a running one: only the last is ever shown, and nothing is
    // shown half done.
    void newFilterCancelsTheRunningOne()
    {
        EventListModel model;
        EventFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        RunScript run;
        QList<Event> events;
        for (int i = 0; i < 60000; ++i)
            events.append(run.chunk(u"answer"_s, u"chunk %1 "_s.arg(i)));
        model.addEvents(events);
        QSignalSpy applied(&proxy, &EventFilterProxy::filterApplied);
        for (const QString &text : {u"text contains \"1\""_s, u"text contains \"12\""_s, u"text contains \"123\""_s})
            proxy.setFilter(parsed(text)); // typed in quick succession
        QCOMPARE(proxy.rowCount(), 60000); // nothing applied yet: the rows stay as they were
        QVERIFY(applied.wait(30000));
        QCOMPARE(applied.count(), 1);
        QCOMPARE(proxy.filter().text(), u"text contains \"123\""_s);
        int expected = 0;
        for (int i = 0; i < 60000; ++i)
            expected += QString::number(i).contains(u"123"_s) ? 1 : 0;
        QCOMPARE(proxy.rowCount(), expected);
        QTest::qWait(50);
        QCOMPARE(applied.count(), 1); // the cancelled ones never report
    }

    // Many rows arriving while a filter is matched off the thread: caught up, in order.
    void rowsArrivingDuringEvaluationAreCaughtUp()
    {
        EventListModel model;
        EventFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        RunScript run;
        QList<Event> events;
        for (int i = 0; i < 100000; ++i)
            events.append(i % 10 == 0 ? run.started(u"s%1"_s.arg(i), u"utils.echo"_s) : run.chunk(u"s"_s, u"x"_s));
        model.addEvents(events.mid(0, 40000));
        QSignalSpy applied(&proxy, &EventFilterProxy::filterApplied);
        proxy.setFilter(parsed(u"type == \"step_started\""_s));
        model.addEvents(events.mid(40000, 30000)); // more than the GUI thread matches itself
        model.addEvents(events.mid(70000));
        QTRY_VERIFY_WITH_TIMEOUT(!proxy.isEvaluating() && applied.count() >= 1, 30000);
        QCOMPARE(proxy.rowCount(), 10000);
        for (int row = 0; row < proxy.rowCount(); row += 997)
            QCOMPARE(proxy.index(row, EventListModel::SeqColumn).data().toLongLong(), qint64(row) * 10);
        QCOMPARE(proxy.matchingPaths().size(), 10000);
    }

    void matchingPaths()
    {
        EventListModel model;
        EventFilterProxy proxy;
        proxy.setSourceModel(&model);
        model.addEvents(sampleRun());
        QSignalSpy changed(&proxy, &EventFilterProxy::matchingPathsChanged);
        apply(proxy, u"type == \"message_content\""_s);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(proxy.matchingPaths(), (QSet<QString>{u"research"_s, u"answer"_s}));
        RunScript run;
        model.addEvents({run.chunk(u"late/step"_s, u"hi"_s)});
        QCOMPARE(proxy.matchingPaths(), (QSet<QString>{u"research"_s, u"answer"_s, u"late/step"_s}));
        proxy.setFilter({});
        QVERIFY(proxy.matchingPaths().isEmpty());
    }

    void clearingTheListKeepsTheFilter()
    {
        EventListModel model;
        EventFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEvents(sampleRun());
        apply(proxy, u"type == \"status\""_s);
        QCOMPARE(proxy.rowCount(), 1);
        model.clear();
        QCOMPARE(proxy.rowCount(), 0);
        model.addEvents(sampleRun());
        QCOMPARE(shownSeqs(proxy), QList<qint64>{8});
    }

    // A snapshot reads what the model held when taken, through compression and growth.
    void snapshotReadsFrozenRows()
    {
        EventListModel model;
        RunScript run;
        QList<Event> events;
        for (int i = 0; i < 9000; ++i)
            events.append(run.chunk(u"s/%1"_s.arg(i % 7), u"text %1 "_s.arg(i).repeated(8)));
        model.addEvents(events.mid(0, 5000));
        const invoke::ui::EventSnapshot snapshot = model.snapshot();
        model.addEvents(events.mid(5000));
        model.store().waitForCompression();
        QCOMPARE(snapshot.rowCount(), 5000);
        for (int row = 0; row < 5000; row += 7) {
            const invoke::filter::EventRecord record = snapshot.record(row);
            QCOMPARE(record.raw(), QByteArrayView(events.at(row).raw));
            QCOMPARE(record.path(), events.at(row).path);
            QCOMPARE(record.seq(), events.at(row).seq);
        }
    }
};

QTEST_MAIN(TestEventFilterProxy)
#include "tst_eventfilterproxy.moc"
