// Follow views (ui/follow): Follow message joins the deltas of one message_content_id into
// one text that grows as events stream in (other messages interleaved are left out); Follow
// step shows only one step and the steps under it, live; both find with Ctrl+F. Real event
// list, QAbstractItemModelTester on the views' proxies, the windows rendered to PNG.
#include "tests/inspectui/inspectevents.h"
#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventlistmodel.h"
#include "ui/events/eventsview.h"
#include "ui/follow/findbar.h"
#include "ui/follow/followfilters.h"
#include "ui/follow/followmessageview.h"
#include "ui/follow/followstepview.h"

#include <QtCore/QDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QTableView>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

namespace {

void saveShot(QWidget *widget, const QString &name)
{
    const QString dir = QStringLiteral(INVOKE_BIN_DIR) + u"/../screenshots"_s;
    QDir().mkpath(dir);
    QVERIFY(widget->grab().save(dir + u'/' + name));
}

QList<qint64> shownSeqs(const QAbstractItemModel &model)
{
    QList<qint64> seqs;
    for (int row = 0; row < model.rowCount(); ++row)
        seqs.append(model.index(row, EventListModel::SeqColumn).data().toLongLong());
    return seqs;
}

} // namespace

class TstFollow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void filtersQuoteWhatTheyName()
    {
        EventListModel events;
        test::InspectRun run;
        const QString odd = u"say \"hi\"\\now"_s;
        events.addEvents({run.started(odd, u"llm.message"_s), run.started(odd + u"/inner"_s, u"llm.message"_s),
                          run.started(u"say"_s, u"llm.message"_s), run.chunk(u"say"_s, u"x"_s, u"id \"7\""_s)});
        const auto step = filter::Filter::parse(stepFilterText(odd));
        QVERIFY(step);
        QVERIFY(step->matches(events.recordAt(0)));
        QVERIFY(step->matches(events.recordAt(1)));
        QVERIFY(!step->matches(events.recordAt(2)));
        QCOMPARE(messageIdAt(events, 3), std::optional<QString>(u"id \"7\""_s));
        QCOMPARE(messageIdAt(events, 2), std::nullopt);
        const auto message = filter::Filter::parse(messageFilterText(u"id \"7\""_s));
        QVERIFY(message);
        QVERIFY(message->matches(events.recordAt(3)));
        QCOMPARE(messageTextAt(events, 3), u"x"_s);
    }

    void messageRowsAreWhatTheFilterMatches()
    {
        // Ids of every kind, interleaved, repeated, on events that are not deltas, and on
        // bytes that are not JSON: the list's index answers as the filter does.
        const char *const texts[] = {
            R"({"type":"message_content","payload":"a","metadata":{"message_content_id":"m1"}})",
            R"({"type":"message_content","payload":"b","metadata":{"message_content_id":"m1"}})",
            R"({"type":"message_content","payload":"c","metadata":{"message_content_id":"m2"}})",
            R"({"type":"message_content","payload":"d","metadata":{"message_content_id":"m1"}})",
            R"({"type":"step_started","payload":{"key":"s"},"metadata":{"message_content_id":"m1","path":"s"}})",
            R"({"type":"message_content","payload":"e","metadata":{"message_content_id":3}})",
            R"({"type":"message_content","payload":"f","metadata":{"message_content_id":"3"}})",
            R"({"type":"message_content","payload":"g","metadata":{"message_content_id":1.5}})",
            R"({"type":"message_content","payload":"h","metadata":{"message_content_id":1e2}})",
            R"({"type":"message_content","payload":"i","metadata":{"message_content_id":true}})",
            R"({"type":"message_content","payload":"j","metadata":{"message_content_id":null}})",
            R"({"type":"message_content","payload":"k","metadata":{"message_content_id":{"a":[1,2]}}})",
            R"({"type":"message_content","payload":"l","metadata":{"message_content_id":"x"},"metadata":{"message_content_id":"y"}})",
            R"({"type":"message_content","payload":"m","metadata":{"message_content_id":"x","message_content_id":"m2"}})",
            R"({"payload":"untyped","metadata":{"message_content_id":"m1"}})",
            // (escapes in an ordinary literal: moc misreads a backslash in a raw one)
            "{\"type\":\"message_content\",\"payload\":\"n\",\"metadata\":{\"message_content_id\":"
            "\"\\u00e9\\ud83c\\udf0d \\\"q\\\"\"}}",
            R"({"type":"message_content","payload":"o","metadata":{}})",
            R"({"type":"message_content","payload":"p","metadata":{"message_content_id":"m1"}})",
        };
        QList<Event> batch;
        for (const char *text : texts) {
            const std::optional<Event> event = Event::decode(QByteArrayView(text));
            QVERIFY2(event, text);
            batch.append(*event);
        }
        Event broken; // bytes that are not JSON, said to be a delta
        broken.raw = R"({"type":"message_content","metadata":{"message_content_id":"m1"})";
        broken.type = u"message_content"_s;
        batch.append(broken);
        EventListModel events;
        events.addEvents(batch.mid(0, 8));
        events.addEvents(batch.mid(8));
        const QStringList ids{u"m1"_s, u"m2"_s, u"3"_s, u"1.5"_s, u"100.0"_s, u"true"_s, u"null"_s,
                              u"{\"a\":[1,2]}"_s, u"x"_s, u"y"_s, u"é🌍 \"q\""_s, u""_s, u"m3"_s};
        int indexed = 0;
        for (const QString &id : ids) {
            const auto filter = filter::Filter::parse(messageFilterText(id));
            QVERIFY(filter);
            std::vector<int> matched;
            for (int row = 0; row < events.rowCount(); ++row)
                if (filter->matches(events.recordAt(row)))
                    matched.push_back(row);
            QVERIFY2(events.messageRows(id) == matched, qPrintable(id));
            indexed += int(matched.size());
        }
        QCOMPARE(indexed, 16); // every delta with an id, once
        QCOMPARE(events.messageRows(u"m1"_s), (std::vector<int>{0, 1, 3, 14, 17}));

        // Follow Message shows them at once, without a pass over the list.
        QWidget parent;
        auto *view = new FollowMessageView(&events, u"m1"_s, &parent);
        QAbstractItemModelTester tester(view->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(view->isReady());
        QVERIFY(!view->proxy()->isEvaluating());
        QCOMPARE(view->text(), u"abduntypedp"_s);
        events.clear();
        QCOMPARE(events.messageRows(u"m1"_s), std::vector<int>());
        QCOMPARE(view->text(), QString());
    }

    void followMessageGrowsWhileStreaming()
    {
        EventListModel events;
        test::InspectRun run;
        events.addEvents({run.begin(), run.started(u"answer"_s, u"llm.message"_s),
                          run.chunk(u"answer"_s, u"Tides are "_s, u"m1"_s),
                          run.started(u"aside"_s, u"llm.message"_s), run.chunk(u"aside"_s, u"NOT THIS"_s, u"m2"_s)});
        QWidget parent;
        auto *view = new FollowMessageView(&events, u"m1"_s, &parent);
        QAbstractItemModelTester tester(view->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view));
        QVERIFY(QTest::qWaitFor([&] { return view->isReady(); }, 30000));
        QCOMPARE(view->text(), u"Tides are "_s);
        QSignalSpy grew(view, &FollowMessageView::textGrew);

        // The run goes on: deltas of m1 and m2 interleaved, a batch at a time.
        const QStringList words = {u"caused "_s, u"by the "_s, u"Moon's "_s, u"gravity.\n"_s, u"Mostly."_s};
        for (const QString &word : words) {
            events.addEvents({run.chunk(u"answer"_s, word, u"m1"_s), run.chunk(u"aside"_s, u"noise "_s, u"m2"_s)});
            QVERIFY(QTest::qWaitFor([&] { return view->text().endsWith(word); }, 30000));
        }
        QCOMPARE(view->text(), u"Tides are caused by the Moon's gravity.\nMostly."_s);
        QCOMPARE(view->deltaCount(), 6);
        QCOMPARE(grew.count(), 5);
        QVERIFY2(view->statusText().contains(u"6 deltas"_s) && view->statusText().contains(u"answer"_s),
                 qPrintable(view->statusText()));

        // Ctrl+F opens find; typing finds as you type, Enter the next, wrapping.
        view->textView()->setFocus();
        QTest::keyClick(view->textView(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(view->findBar()->isVisible());
        QVERIFY(view->findBar()->edit()->hasFocus());
        QTest::keyClicks(view->findBar()->edit(), u"mo"_s);
        QCOMPARE(view->textView()->textCursor().selectedText(), u"Mo"_s);
        QCOMPARE(view->findBar()->result(), u"1 of 2"_s);
        QTest::keyClick(view->findBar()->edit(), Qt::Key_Return);
        QCOMPARE(view->textView()->textCursor().selectionStart(), view->text().indexOf(u"Mostly"_s));
        QCOMPARE(view->findBar()->result(), u"2 of 2"_s);
        QTest::keyClick(view->findBar()->edit(), Qt::Key_Return); // wraps to the first
        QCOMPARE(view->findBar()->result(), u"1 of 2"_s);
        QTest::keyClicks(view->findBar()->edit(), u"zz"_s);
        QCOMPARE(view->findBar()->result(), u"Not found"_s);
        QTest::keyClick(view->findBar()->edit(), Qt::Key_Backspace);
        QTest::keyClick(view->findBar()->edit(), Qt::Key_Backspace);
        QTest::keyClick(view->findBar()->edit(), Qt::Key_Return);
        saveShot(view, u"follow-message.png"_s);
        QTest::keyClick(view->findBar()->edit(), Qt::Key_Escape);
        QVERIFY(!view->findBar()->isVisible());

        // A new run clears the list: the view starts over with it.
        events.clear();
        QCOMPARE(view->text(), QString());
        events.addEvents({run.chunk(u"answer"_s, u"Again"_s, u"m1"_s)});
        QVERIFY(QTest::qWaitFor([&] { return view->text() == u"Again"_s; }, 30000));
    }

    void followStepShowsTheStepAndItsSubBot()
    {
        EventListModel events;
        events.addEvents(test::inspectRun()); // seq 0..12
        test::InspectRun more;
        for (int i = 0; i < 13; ++i)
            more.begin(); // continue the numbering at 13
        events.addEvents({more.started(u"researcher"_s, u"llm.message"_s)}); // 13: a sibling with a longer name
        QWidget parent;
        auto *view = new FollowStepView(&events, u"research"_s, &parent);
        QAbstractItemModelTester tester(view->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view));
        QVERIFY(QTest::qWaitFor([&] { return view->isReady(); }, 30000));
        QCOMPARE(shownSeqs(*view->view()->model()), (QList<qint64>{1, 2, 3, 11}));

        // Live: the sub-bot's new events show, others do not.
        events.addEvents({more.started(u"research/summarise"_s, u"llm.message"_s),            // 14
                          more.chunk(u"research/summarise"_s, u"short"_s, u"m9"_s),             // 15
                          more.started(u"answer2"_s, u"llm.message"_s)});                       // 16
        QVERIFY(QTest::qWaitFor([&] { return view->proxy()->rowCount() == 6; }, 30000));
        QCOMPARE(shownSeqs(*view->view()->model()), (QList<qint64>{1, 2, 3, 11, 14, 15}));
        QVERIFY2(view->statusText().contains(u"6 events"_s), qPrintable(view->statusText()));

        // Find over the shown events' text: the summary or the JSON.
        view->view()->setFocus();
        QTest::keyClick(view->view(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(view->findBar()->isVisible());
        QTest::keyClicks(view->findBar()->edit(), u"memory.search"_s);
        QCOMPARE(view->view()->currentIndex().row(), 1);
        QVERIFY(view->detailText().contains(u"\"memory.search\""_s));
        QTest::keyClick(view->findBar()->edit(), Qt::Key_Return);
        QCOMPARE(view->view()->currentIndex().row(), 2);
        QTest::keyClick(view->findBar()->edit(), Qt::Key_Return); // wraps
        QCOMPARE(view->view()->currentIndex().row(), 1);
        QTest::keyClick(view->findBar()->edit(), Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(view->view()->currentIndex().row(), 2);
        view->findBar()->edit()->clear();
        QTest::keyClicks(view->findBar()->edit(), u"not in this step"_s);
        QCOMPARE(view->findBar()->result(), u"Not found"_s);
        view->findBar()->edit()->setText(u"summarise"_s);
        saveShot(view, u"follow-step.png"_s);
    }

    void followStepTableIsSetUpAsTheEventsTab()
    {
        // Both set their table up through ui/events/eventtable.h: the same rows, columns and pane.
        EventListModel events;
        events.addEvents(test::inspectRun());
        QWidget parent;
        EventsView tab(&events, &parent);
        auto *follow = new FollowStepView(&events, u"research"_s, &parent);
        follow->show();
        QVERIFY(QTest::qWaitFor([&] { return follow->isReady(); }, 30000));
        const auto *a = tab.findChild<QTableView *>(u"eventList"_s);
        const auto *b = follow->findChild<QTableView *>(u"followEvents"_s);
        QVERIFY(a && b);
        for (const QTableView *view : {a, b}) {
            QVERIFY(view->verticalHeader()->isHidden());
            QCOMPARE(view->verticalHeader()->sectionResizeMode(0), QHeaderView::Fixed);
            QCOMPARE(view->verticalHeader()->defaultSectionSize(), view->fontMetrics().height() + 6);
            QVERIFY(!view->showGrid());
            QVERIFY(!view->wordWrap());
            QCOMPARE(view->selectionBehavior(), QAbstractItemView::SelectRows);
            QCOMPARE(view->selectionMode(), QAbstractItemView::SingleSelection);
            QVERIFY(view->alternatingRowColors());
            QVERIFY(view->horizontalHeader()->stretchLastSection());
            QCOMPARE(view->horizontalHeader()->defaultAlignment(), Qt::AlignLeft | Qt::AlignVCenter);
            QCOMPARE(view->columnWidth(EventListModel::SeqColumn), 50);
            QCOMPARE(view->columnWidth(EventListModel::TimeColumn), 70);
            QCOMPARE(view->columnWidth(EventListModel::TypeColumn), 140);
        }
        QCOMPARE(a->columnWidth(EventListModel::StepColumn), 110);
        QCOMPARE(b->columnWidth(EventListModel::StepColumn), 130);
        const auto *tabDetail = tab.findChild<QPlainTextEdit *>(u"eventDetail"_s);
        const auto *followDetail = follow->findChild<QPlainTextEdit *>(u"followDetail"_s);
        QVERIFY(tabDetail && followDetail);
        for (const QPlainTextEdit *detail : {tabDetail, followDetail}) {
            QVERIFY(detail->isReadOnly());
            QVERIFY(QFontInfo(detail->font()).fixedPitch());
            QCOMPARE(detail->placeholderText(), u"Select an event to read it in full."_s);
        }
    }
};

QTEST_MAIN(TstFollow)
#include "tst_follow.moc"
