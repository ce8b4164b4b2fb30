// Item 5 of the event inspector (docs/filters.md, "Cost limits"): a regular expression that
// is too costly is stopped, never left to freeze the window. The Events tab's filter is
// matched on a worker and a new text cancels it (ui/events/filterbar/filterrunner.h); rows that arrive
// while a filter is shown are matched on the GUI thread only a few milliseconds' worth at a
// time (ui/events/eventfilterproxy.cpp), the rest on the worker. Each check watches the GUI
// thread with a 5 ms timer and reports the longest gap; the liveness bounds are generous
// (a loaded 2-core machine), the figures are printed.
#include "tests/inspectui/inspectevents.h"
#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventlistmodel.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

namespace {

filter::Filter parsed(const QString &text)
{
    filter::ParseError error;
    const auto filter = filter::Filter::parse(text, &error);
    if (!filter)
        qFatal("%s: %s", qPrintable(text), qPrintable(error.message));
    return *filter;
}

// The longest time the GUI thread went without running a 5 ms timer.
class StallWatch
{
public:
    StallWatch()
    {
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            m_longest = qMax(m_longest, m_since.restart());
        });
        m_since.start();
        m_timer.start();
    }
    qint64 longestMs() const { return qMax(m_longest, m_since.elapsed()); }

private:
    QTimer m_timer;
    QElapsedTimer m_since;
    qint64 m_longest = 0;
};

QList<Event> costlyChunks(test::InspectRun &run, int count)
{
    QList<Event> events;
    for (int i = 0; i < count; ++i)
        events << run.chunk(u"answer"_s, QString(24, u'a') + u'!', u"m1"_s);
    return events;
}

QList<Event> plainChunks(test::InspectRun &run, int count)
{
    QList<Event> events;
    for (int i = 0; i < count; ++i)
        events << run.chunk(u"answer"_s, u"b"_s, u"m1"_s);
    return events;
}

} // namespace

class TstCostlyFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // What one event costs a pattern that backtracks: to its limit, or just under it.
    void costOfOneEvent()
    {
        test::InspectRun run;
        const filter::Filter filter = parsed(u"text matches \"(a+)+$\""_s);
        for (const int length : {14, 17, 19, 40}) {
            const Event event = run.chunk(u"answer"_s, QString(length, u'a') + u'!', u"m1"_s);
            QElapsedTimer timer;
            timer.start();
            filter::MatchProblem problem;
            for (int i = 0; i < 10; ++i)
                filter.matches(event, &problem);
            qInfo("%d a's: %.2f ms an event, gave up: %s", length, timer.nsecsElapsed() / 10 / 1e6,
                  problem.isSet() ? "yes" : "no");
            QCOMPARE(problem.isSet(), length >= 19); // PCRE2 counts steps, not time: the same on any machine
        }
    }

    // A pattern that gives up on an event fails the filter: the one shown stays, the window
    // keeps running, and a filter typed next is matched at once.
    void failingPatternKeepsTheShownFilter()
    {
        EventListModel events;
        EventFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&events);
        test::InspectRun run;
        events.addEvents(plainChunks(run, 30000));
        events.addEvents(costlyChunks(run, 2000));
        QSignalSpy applied(&proxy, &EventFilterProxy::filterApplied);
        QSignalSpy failed(&proxy, &EventFilterProxy::filterFailed);
        proxy.setFilter(parsed(u"seq < 10"_s));
        QVERIFY(applied.wait(30000));
        QCOMPARE(proxy.rowCount(), 10);

        StallWatch watch;
        proxy.setFilter(parsed(u"text matches \"(a+)+$\""_s));
        QVERIFY(failed.wait(30000));
        QVERIFY2(failed.front().front().toString().contains(u"too costly"_s), qPrintable(failed.front().front().toString()));
        QCOMPARE(proxy.filter().text(), u"seq < 10"_s);
        QCOMPARE(proxy.rowCount(), 10);
        qInfo("longest GUI stall while the pattern failed: %lld ms", watch.longestMs());
        QVERIFY2(watch.longestMs() < 1000, qPrintable(QString::number(watch.longestMs())));
    }

    // A pattern just under the limit costs milliseconds on every event: typing a new filter
    // drops its work at the next event, not thousands of events later.
    void slowPatternIsCancelledByTheNextText()
    {
        EventListModel events;
        EventFilterProxy proxy;
        proxy.setSourceModel(&events);
        test::InspectRun run;
        QList<Event> slow;
        for (int i = 0; i < 4000; ++i) // milliseconds each, under the limit: 18 s in all
            slow << run.chunk(u"answer"_s, QString(17, u'a') + u'!', u"m1"_s);
        events.addEvents(slow);
        QSignalSpy applied(&proxy, &EventFilterProxy::filterApplied);
        StallWatch watch;
        proxy.setFilter(parsed(u"text matches \"(a+)+$\""_s));
        QTest::qWait(100);
        QElapsedTimer timer;
        timer.start();
        proxy.setFilter(parsed(u"seq == 3"_s));
        QVERIFY(applied.count() == 1 || applied.wait(30000));
        qInfo("the next filter shown %lld ms after it was typed; longest GUI stall %lld ms", timer.elapsed(),
              watch.longestMs());
        QCOMPARE(proxy.filter().text(), u"seq == 3"_s);
        QCOMPARE(proxy.rowCount(), 1);
        QVERIFY2(watch.longestMs() < 1000, qPrintable(QString::number(watch.longestMs())));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }

    // A filter shown, then streamed events on which its pattern is slow: the GUI thread
    // matches only a few milliseconds' worth per batch and hands the rest to the worker.
    void streamedCostlyEventsDoNotStallTheWindow()
    {
        EventListModel events;
        EventFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&events);
        test::InspectRun run;
        events.addEvents(plainChunks(run, 100));
        QSignalSpy applied(&proxy, &EventFilterProxy::filterApplied);
        proxy.setFilter(parsed(u"text matches \"(a+)+$\" or seq < 5"_s));
        QVERIFY(applied.wait(30000));
        QCOMPARE(proxy.rowCount(), 5);

        StallWatch watch;
        QList<Event> slow;
        for (int i = 0; i < 1000; ++i) // milliseconds each, under the limit
            slow << run.chunk(u"answer"_s, QString(17, u'a') + u'!', u"m1"_s);
        for (int i = 0; i < slow.size(); i += 250) {
            events.addEvents(slow.mid(i, 250));
            QTest::qWait(10);
        }
        QVERIFY(QTest::qWaitFor([&] { return !proxy.isEvaluating(); }, 60000));
        QTest::qWait(50);
        qInfo("longest GUI stall while 1,000 slow events streamed in: %lld ms", watch.longestMs());
        QCOMPARE(proxy.matchCount(), 5); // (a+)+$ never matches "aaa…!"
        QVERIFY2(watch.longestMs() < 1000, qPrintable(QString::number(watch.longestMs())));
    }
};

QTEST_MAIN(TstCostlyFilter)
#include "tst_costlyfilter.moc"
