#include "tests/ui/runscript.h"
#include "ui/run/eventbatcher.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using invoke::Event;
using invoke::test::RunScript;
using invoke::ui::EventBatcher;

namespace {

QList<Event> chunks(RunScript &run, int count)
{
    QList<Event> events;
    for (int i = 0; i < count; ++i)
        events.append(run.chunk(u"answer"_s, QString::number(i)));
    return events;
}

QList<Event> flushedAt(const QSignalSpy &spy, int i)
{
    return spy.at(i).at(0).value<QList<Event>>();
}

} // namespace

class TestEventBatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void coalescesBatchesUntilTheFrameEnds()
    {
        EventBatcher batcher;
        QSignalSpy flushed(&batcher, &EventBatcher::flushed);
        RunScript run;
        const QList<Event> a = chunks(run, 3), b = chunks(run, 1), c = chunks(run, 5);
        // Batches arriving before the event loop runs again go out together, in order.
        batcher.add(a);
        batcher.add(b);
        batcher.add({});
        batcher.add(c);
        QCOMPARE(batcher.pendingCount(), 9);
        QCOMPARE(flushed.count(), 0);
        QVERIFY(flushed.wait());
        QCOMPARE(flushed.count(), 1);
        QCOMPARE(flushedAt(flushed, 0), a + b + c);
        QCOMPARE(batcher.pendingCount(), 0);

        // The next event after a flush starts the next frame.
        const QList<Event> d = chunks(run, 2);
        batcher.add(d);
        QVERIFY(flushed.wait());
        QCOMPARE(flushed.count(), 2);
        QCOMPARE(flushedAt(flushed, 1), d);
    }

    void flushNowHandsOnAtOnce()
    {
        EventBatcher batcher;
        QSignalSpy flushed(&batcher, &EventBatcher::flushed);
        batcher.flushNow(); // nothing pending: no signal
        QCOMPARE(flushed.count(), 0);

        RunScript run;
        const QList<Event> a = chunks(run, 4);
        batcher.add(a);
        batcher.flushNow();
        QCOMPARE(flushed.count(), 1);
        QCOMPARE(flushedAt(flushed, 0), a);

        // The frame timer stopped with it: the next flush carries only what came after.
        const QList<Event> b = chunks(run, 1);
        batcher.add(b);
        QVERIFY(flushed.wait());
        QCOMPARE(flushed.count(), 2);
        QCOMPARE(flushedAt(flushed, 1), b);
    }

    void discardDropsWhatIsPending()
    {
        EventBatcher batcher;
        QSignalSpy flushed(&batcher, &EventBatcher::flushed);
        RunScript run;
        batcher.add(chunks(run, 3));
        batcher.discard();
        QCOMPARE(batcher.pendingCount(), 0);
        const QList<Event> next = chunks(run, 2);
        batcher.add(next);
        QVERIFY(flushed.wait());
        QCOMPARE(flushed.count(), 1);
        QCOMPARE(flushedAt(flushed, 0), next);
    }

    void aBacklogGoesOutOverSeveralFrames()
    {
        // A producer far ahead of the window: each frame takes at most maxBatchSize.
        EventBatcher batcher;
        batcher.setMaxBatchSize(10);
        batcher.setFrameBudget(0);
        QSignalSpy flushed(&batcher, &EventBatcher::flushed);
        RunScript run;
        const QList<Event> big = chunks(run, 35), small = chunks(run, 3), last = chunks(run, 4);
        batcher.add(big);
        batcher.add(small);
        batcher.add(last);
        QTRY_COMPARE(flushed.count(), 5);
        QList<Event> received;
        QList<qsizetype> sizes;
        for (int i = 0; i < flushed.count(); ++i) {
            sizes.append(flushedAt(flushed, i).size());
            received += flushedAt(flushed, i);
        }
        QCOMPARE(sizes, (QList<qsizetype>{10, 10, 10, 10, 2}));
        QCOMPARE(received, big + small + last);
        QCOMPARE(batcher.pendingCount(), 0);

        // flushNow() hands on the whole backlog at once.
        batcher.add(big);
        batcher.flushNow();
        QCOMPARE(flushed.count(), 6);
        QCOMPARE(flushedAt(flushed, 5), big);
    }

    void theFrameBudgetSplitsABacklog()
    {
        // Receivers that take a while per event: the share of a frame shrinks to fit.
        // The receivers' cost is on a clock they advance: what the batcher measures is
        // exactly that cost, whatever else the machine is doing.
        EventBatcher batcher;
        batcher.setFrameBudget(5);
        qint64 now = 0;
        batcher.setClock([&now] { return now; });
        QList<qsizetype> sizes;
        QList<Event> received;
        connect(&batcher, &EventBatcher::flushed, this, [&](const QList<Event> &events) {
            sizes.append(events.size());
            received += events;
            now += events.size() * 20'000; // 20 µs per event
        });
        RunScript run;
        const QList<Event> backlog = chunks(run, 3000);
        batcher.add(backlog);
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), backlog.size(), 20'000);
        QCOMPARE(received, backlog);
        // The first share is the cautious default, the next ones fit 5 ms at 20 µs an
        // event: 250, raised to the 256 floor.
        QCOMPARE(sizes.first(), 2000);
        QCOMPARE(sizes.mid(1), (QList<qsizetype>{256, 256, 256, 232}));
    }

    void aFixedCostPerFlushDoesNotShrinkTheShare()
    {
        // Receivers whose cost is mostly per flush (a view relayouting all its rows):
        // tiny shares would pay that cost over and over. A backlog still drains in a
        // few frames.
        EventBatcher batcher;
        batcher.setFrameBudget(5);
        qint64 now = 0;
        batcher.setClock([&now] { return now; });
        int flushes = 0;
        qsizetype received = 0;
        connect(&batcher, &EventBatcher::flushed, this, [&](const QList<Event> &events) {
            ++flushes;
            received += events.size();
            now += 8'000'000 + events.size() * 1'000; // 8 ms + 1 µs per event
        });
        RunScript run;
        batcher.add(chunks(run, 20'000));
        QTRY_COMPARE_WITH_TIMEOUT(received, 20'000, 20'000);
        // Shares of 256 would take 79 flushes; taking as much again as the fixed part per
        // event keeps them large.
        QVERIFY2(flushes <= 10, qPrintable(QString::number(flushes)));
    }

    void burstsFromAnotherThreadArriveInOrder()
    {
        // The shape LocalBackend has: a worker thread posting batches as fast as it can.
        EventBatcher batcher;
        batcher.setInterval(1);
        QList<Event> received;
        connect(&batcher, &EventBatcher::flushed, this, [&](const QList<Event> &events) { received += events; });
        RunScript run;
        const QList<Event> all = chunks(run, 2000);
        QThread *producer = QThread::create([&] {
            for (qsizetype i = 0; i < all.size(); i += 7)
                QMetaObject::invokeMethod(&batcher, "add", Qt::QueuedConnection,
                                          Q_ARG(QList<invoke::Event>, all.mid(i, 7)));
        });
        producer->start();
        QTRY_COMPARE(received.size(), all.size());
        QVERIFY(producer->wait());
        delete producer;
        QCOMPARE(received, all);
    }
};

QTEST_MAIN(TestEventBatcher)
#include "tst_eventbatcher.moc"
