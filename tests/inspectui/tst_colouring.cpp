// Colouring rules (ui/colouring): saved in and read from a real settings file; the defaults
// colour errors, slow steps and replay misses; each row's rule is computed once (lazily on
// the GUI thread within a budget, by the worker for the rest) and steps take the colour of
// the first rule any of their events match; a regular expression too costly stops its rule
// instead of freezing the window; the delegate paints the rule's colours.
#include "tests/inspectui/inspectevents.h"
#include "ui/colouring/colouringdelegate.h"
#include "ui/colouring/colouringrules.h"
#include "ui/colouring/rowcolours.h"
#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventlistmodel.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QSettings>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QTableView>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

namespace {

int ruleIndex(const ColouringRules &rules, const QString &name)
{
    for (int i = 0; i < rules.rules().size(); ++i)
        if (rules.rules()[i].name == name)
            return i;
    return -999;
}

// Waits until the worker has walked every row.
bool walked(RowColours &colours, EventListModel &events)
{
    return QTest::qWaitFor([&] { return colours.walked() == events.rowCount() && !colours.isWalking(); }, 30000);
}

} // namespace

class TstColouring : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsAndSettingsRoundTrip()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"studio.ini"_s);
        {
            QSettings settings(file, QSettings::IniFormat);
            ColouringRules rules(&settings);
            QCOMPARE(rules.rules(), defaultColouringRules());
            QCOMPARE(rules.compiled().size(), size_t(3)); // every default parses
            QVERIFY(rules.problems().isEmpty());
            QList<ColouringRule> edited = rules.rules();
            edited.move(2, 0);
            edited[1].enabled = false;
            edited.append({u"Mine \"quoted\""_s, u"step ^= \"research/\""_s, QColor(), QColor(0x12, 0x34, 0x56), true});
            QSignalSpy changed(&rules, &ColouringRules::changed);
            rules.setRules(edited);
            QCOMPARE(changed.count(), 1);
            QCOMPARE(rules.compiled().size(), size_t(3)); // one turned off
            rules.setEnabled(false);
        }
        QSettings settings(file, QSettings::IniFormat);
        ColouringRules again(&settings);
        QCOMPARE(again.rules().size(), 4);
        QCOMPARE(again.rules()[0].name, u"Slow steps"_s);
        QVERIFY(!again.rules()[1].enabled);
        QCOMPARE(again.rules()[3].name, u"Mine \"quoted\""_s);
        QVERIFY(!again.rules()[3].foreground.isValid());
        QCOMPARE(again.rules()[3].background, QColor(0x12, 0x34, 0x56));
        QVERIFY(!again.isEnabled());

        // An empty list is a choice, kept as such; a rule that no longer parses is reported.
        again.setRules({});
        QSettings reread(file, QSettings::IniFormat);
        QVERIFY(loadColouringRules(reread).isEmpty());
        again.setRules({{u"Broken"_s, u"step ^= and"_s, QColor(), QColor(Qt::red), true}});
        QVERIFY(again.compiled().empty());
        QCOMPARE(again.problems().size(), 1);
        QVERIFY2(again.problems().front().contains(u"Broken"_s) && again.problems().front().contains(u"column 9"_s),
                 qPrintable(again.problems().front()));
    }

    void defaultsColourRowsAndSteps()
    {
        EventListModel events;
        ColouringRules rules(nullptr);
        RowColours colours(&events, &rules);
        const QList<Event> run = test::inspectRun();
        events.addEvents(run.mid(0, 6));
        events.addEvents(run.mid(6));
        const int errors = ruleIndex(rules, u"Errors"_s), misses = ruleIndex(rules, u"Replay misses"_s),
                  slow = ruleIndex(rules, u"Slow steps"_s);

        // Asked before the worker got there: matched here.
        QCOMPARE(colours.ruleOfRow(8), misses);
        QVERIFY(walked(colours, events));
        const QList<int> expected = {-1, -1, -1, slow, -1, -1, -1, -1, misses, -1, errors, slow, -1};
        QList<int> actual;
        for (int row = 0; row < events.rowCount(); ++row)
            actual << colours.ruleOfRow(row);
        QCOMPARE(actual, expected);

        QCOMPARE(colours.ruleOfPath(u"research/search"_s), slow);
        QCOMPARE(colours.ruleOfPath(u"answer"_s), misses);
        QCOMPARE(colours.ruleOfPath(u"critique"_s), errors);
        QCOMPARE(colours.ruleOfPath(u"research"_s), slow);
        QCOMPARE(colours.ruleOfPath(u"nowhere"_s), RowColours::kNone);

        // A step takes the first rule (in the list's order) any of its events match: make
        // slow steps first and the sub-bot step "research" ... still slow; critique, which
        // is fast, stays an error.
        QList<ColouringRule> reordered = rules.rules();
        reordered.move(slow, 0);
        reordered.append({u"Research"_s, u"step ^= \"research\""_s, QColor(Qt::black), QColor(Qt::green), true});
        rules.setRules(reordered);
        QVERIFY(walked(colours, events));
        QCOMPARE(colours.ruleOfPath(u"research/search"_s), 0);
        QCOMPARE(colours.ruleOfPath(u"critique"_s), 1);
        QCOMPARE(colours.ruleOfRow(1), 3); // research started: only the new rule
        QCOMPARE(colours.ruleOfPath(u"research"_s), 0);

        // Off: nothing is coloured; a new run starts over.
        rules.setEnabled(false);
        QCOMPARE(colours.ruleOfRow(3), RowColours::kNone);
        QCOMPARE(colours.ruleOfPath(u"research"_s), RowColours::kNone);
        rules.setEnabled(true);
        events.clear();
        QCOMPARE(colours.ruleOfPath(u"research"_s), RowColours::kNone);
        events.addEvents(run);
        QVERIFY(walked(colours, events));
        QCOMPARE(colours.ruleOfPath(u"research"_s), 0);
    }

    // The GUI thread matches a few milliseconds' worth of rows per turn of the event loop;
    // past that, rows wait for the worker, which colours them all.
    void guiThreadKeepsToItsBudget()
    {
        EventListModel events;
        ColouringRules rules(nullptr);
        rules.setRules({{u"Every"_s, u"text matches \"needle\""_s, QColor(), QColor(Qt::yellow), true}});
        RowColours colours(&events, &rules);
        colours.setFrameBudgetMs(0); // nothing here: everything goes to the worker
        test::InspectRun run;
        QList<Event> many;
        for (int i = 0; i < 5000; ++i)
            many << run.chunk(u"answer"_s, i % 2 ? u"hay"_s : u"a needle"_s, u"m1"_s);
        events.addEvents(many);
        QCOMPARE(colours.ruleOfRow(10), RowColours::kUnknown);
        QSignalSpy coloured(&colours, &RowColours::rowsColoured);
        QVERIFY(walked(colours, events));
        QVERIFY(coloured.count() >= 1);
        QCOMPARE(colours.ruleOfRow(10), 0);
        QCOMPARE(colours.ruleOfRow(11), RowColours::kNone);
    }

    // A pattern that backtracks without end gives up at its PCRE2 limit on the first event
    // it meets (docs/filters.md, "Cost limits"): the rule stops, says why, and the other
    // rules go on colouring. On the GUI thread and on the worker alike.
    void costlyRegexStopsItsRuleNotTheWindow()
    {
        for (const bool onWorker : {false, true}) {
            EventListModel events;
            ColouringRules rules(nullptr);
            rules.setRules({{u"Backtracker"_s, u"text matches \"(a+)+$\""_s, QColor(), QColor(Qt::red), true},
                            {u"Answer"_s, u"step == \"answer\""_s, QColor(), QColor(Qt::green), true}});
            RowColours colours(&events, &rules);
            if (onWorker)
                colours.setFrameBudgetMs(0);
            QSignalSpy stopped(&rules, &ColouringRules::ruleStopped);
            test::InspectRun run;
            QList<Event> evil;
            for (int i = 0; i < 200; ++i)
                evil << run.chunk(u"answer"_s, QString(40, u'a') + u'!', u"m1"_s);
            events.addEvents(evil);
            QElapsedTimer timer;
            timer.start();
            const int first = colours.ruleOfRow(0);
            if (!onWorker) {
                QCOMPARE(first, 1); // the backtracker gave up; the next rule matched
                QCOMPARE(stopped.count(), 1);
            }
            QVERIFY(walked(colours, events));
            qInfo("%s: 200 costly events coloured in %lld ms", onWorker ? "worker" : "GUI thread", timer.elapsed());
            QCOMPARE(stopped.count(), 1);
            QVERIFY2(stopped.front().at(1).toString().contains(u"too costly"_s), qPrintable(stopped.front().at(1).toString()));
            QCOMPARE(rules.problems().size(), 1);
            QCOMPARE(rules.compiled().size(), size_t(1));
            for (int row = 0; row < events.rowCount(); ++row)
                QCOMPARE(colours.ruleOfRow(row), 1);
            // Editing the rules gives the rule another chance.
            rules.setRules(rules.rules());
            QCOMPARE(rules.compiled().size(), size_t(2));
        }
    }

    // The delegate paints a coloured row in its rule's colours, through the filter proxy.
    void delegatePaintsTheRulesColours()
    {
        EventListModel events;
        ColouringRules rules(nullptr);
        RowColours colours(&events, &rules);
        EventFilterProxy proxy;
        proxy.setSourceModel(&events);
        QTableView view;
        view.setModel(&proxy);
        ColouringDelegate *delegate = ColouringDelegate::installOnEvents(&view, &proxy, &colours);
        events.addEvents(test::inspectRun());
        view.resize(600, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(walked(colours, events));
        const QImage image = view.viewport()->grab().toImage();
        const QRect missRow = view.visualRect(proxy.index(8, 4));
        QCOMPARE(delegate->ruleOf(proxy.index(8, 4)), ruleIndex(rules, u"Replay misses"_s));
        const QColor painted = image.pixelColor(missRow.right() - 3, missRow.center().y());
        QCOMPARE(painted, defaultColouringRules()[1].background);
        const QRect plainRow = view.visualRect(proxy.index(4, 4));
        QVERIFY(image.pixelColor(plainRow.right() - 3, plainRow.center().y()) != defaultColouringRules()[1].background);
    }
};

QTEST_MAIN(TstColouring)
#include "tst_colouring.moc"
