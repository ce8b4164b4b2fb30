// The event inspector in the studio window (ui/window/inspectorworkflow): a colouring rule
// added through View > Colouring Rules… (its filter red until it parses, OK refused until
// then) paints the replay miss's row in the Events tab and its step in the step tree; the
// rules are saved in the studio's settings; the Events tab's context menu follows a message
// while it streams, the step tree's follows a step. A real window on the embedded engine;
// the run's events are handed to the window's models in batches as its run controller does.
#include "tests/inspectui/inspectevents.h"
#include "tests/ui/studiofixture.h"
#include "ui/colouring/colouringdelegate.h"
#include "ui/colouring/colouringdialog.h"
#include "ui/colouring/colouringrule.h"
#include "ui/colouring/colouringrules.h"
#include "ui/colouring/filterfield.h"
#include "ui/colouring/rowcolours.h"
#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventlistmodel.h"
#include "ui/events/eventsview.h"
#include "ui/follow/followmessageview.h"
#include "ui/follow/followstepview.h"
#include "ui/steps/steptreemodel.h"
#include "ui/window/inspectorworkflow.h"

#include <QtCore/QDir>
#include <QtCore/QHash>
#include <QtCore/QTimer>
#include <QtGui/QContextMenuEvent>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenu>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QTreeWidget>

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

// Opens `view`'s context menu at `index` as a right click does and picks the action named
// `actionName` in it.
bool pickFromContextMenu(QAbstractItemView *view, const QModelIndex &index, const QString &actionName)
{
    bool picked = false;
    QTimer poll;
    poll.setInterval(20);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (!menu || !menu->isVisible())
            return; // not open yet
        poll.stop();
        QAction *chosen = nullptr;
        for (QAction *action : menu->actions())
            if (action->objectName() == actionName && action->isEnabled())
                chosen = action;
        menu->close();
        if (chosen) {
            chosen->trigger();
            picked = true;
        }
    });
    // A loaded machine may lay the view out late: wait until the row is where it is drawn.
    view->scrollTo(index);
    const bool placed = QTest::qWaitFor([&] {
        const QRect rect = view->visualRect(index);
        return rect.isValid() && view->viewport()->rect().contains(rect.center()) && view->indexAt(rect.center()) == index;
    }, 5000);
    if (!placed) {
        qWarning("row %d is not laid out in the view", index.row());
        return false;
    }
    poll.start();
    const QPoint at = view->visualRect(index).center();
    QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
    QApplication::sendEvent(view->viewport(), &event);
    if (!picked)
        qWarning("no enabled %s in the context menu of row %d", qPrintable(actionName), index.row());
    return picked;
}

void feed(MainWindow *window, const QList<Event> &batch)
{
    window->stepModel()->addEvents(batch);
    window->eventModel()->addEvents(batch);
}

// The colour most of the cell is painted in (its background: text covers little of it).
// The row is scrolled into view first: the list may have followed its tail meanwhile.
QColor pixelOfRow(QAbstractItemView *view, const QModelIndex &index)
{
    view->scrollTo(index);
    const QRect rect = view->visualRect(index).intersected(view->viewport()->rect());
    const QImage image = view->viewport()->grab().toImage();
    QHash<QRgb, int> counts;
    for (int y = rect.top() + 1; y < rect.bottom(); ++y)
        for (int x = rect.left() + 1; x < rect.right(); ++x)
            ++counts[image.pixel(x, y)];
    QRgb most = 0;
    int best = -1;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        if (it.value() > best) {
            best = it.value();
            most = it.key();
        }
    return QColor::fromRgb(most);
}

} // namespace

class TstInspectorWorkflow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void colouringRuleAddedInTheDialogPaintsTheReplayMiss()
    {
        test::StudioFixture studio;
        saveColouringRules(studio.settings, {}); // the user removed the defaults
        MainWindow *window = studio.open();
        auto *inspector = new InspectorWorkflow(window, &studio.settings);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        // The bots first: their list arriving picks a conversation, which clears the views
        // (on a loaded machine it came after the fed events and took them away).
        QTRY_VERIFY(!window->botPicker()->listing().bots.isEmpty());
        window->inspectorTabs()->setCurrentWidget(window->eventsView());
        feed(window, test::inspectRun());
        window->stepView()->expandAll();
        EventsView *events = window->eventsView();
        // Asked for each time: an index kept across the dialog may go stale.
        auto missRow = [events] { return events->proxy()->index(8, EventListModel::SummaryColumn); };
        const QColor before = pixelOfRow(events->view(), missRow());

        inspector->rulesAction()->trigger();
        auto *dialog = window->findChild<ColouringDialog *>();
        QVERIFY(dialog);
        QAbstractItemModelTester tester(dialog->list()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QCOMPARE(dialog->list()->topLevelItemCount(), 0);
        QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
        QCOMPARE(dialog->list()->topLevelItemCount(), 1);
        QVERIFY(!dialog->okButton()->isEnabled()); // a rule without a filter colours nothing
        dialog->nameEdit()->selectAll();
        QTest::keyClicks(dialog->nameEdit(), u"Misses"_s);
        QTest::keyClicks(dialog->filterField()->edit(), u"metadata.replay_miss and"_s);
        QVERIFY(!dialog->filterField()->isValid());
        QVERIFY2(dialog->filterField()->message().startsWith(u"Column 25:"_s), qPrintable(dialog->filterField()->message()));
        QVERIFY(!dialog->okButton()->isEnabled());
        QVERIFY(dialog->problemText().contains(u"Misses"_s));
        saveShot(dialog, u"colouring-rules-invalid.png"_s);
        QTest::keyClicks(dialog->filterField()->edit(), u" type == \"step_finished\""_s);
        QVERIFY(dialog->filterField()->isValid());
        QVERIFY(dialog->okButton()->isEnabled());
        // Colours from the buttons' menus.
        QAction *orange = dialog->backgroundButton()->menu()->findChild<QAction *>(u"background_ffecb3"_s);
        QVERIFY(orange);
        orange->trigger();
        dialog->foregroundButton()->menu()->findChild<QAction *>(u"foreground_5c4000"_s)->trigger();
        QCOMPARE(dialog->list()->topLevelItem(0)->text(0), u"Misses"_s);
        QCOMPARE(dialog->list()->topLevelItem(0)->background(1).color(), QColor(0xff, 0xec, 0xb3));
        // A second rule, below, then moved above the first and turned off.
        QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
        QTest::keyClicks(dialog->filterField()->edit(), u"step == \"answer\""_s);
        QTest::mouseClick(dialog->upButton(), Qt::LeftButton);
        QCOMPARE(dialog->currentRule(), 0);
        dialog->list()->topLevelItem(0)->setCheckState(0, Qt::Unchecked);
        QCOMPARE(dialog->editedRules()[0].enabled, false);
        QCOMPARE(dialog->editedRules()[1].name, u"Misses"_s);
        saveShot(dialog, u"colouring-rules.png"_s);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY(dialog->isHidden() || !dialog);

        // Saved in the settings file, and painted.
        QCOMPARE(inspector->rules()->rules().size(), 2);
        studio.settings.sync();
        QCOMPARE(loadColouringRules(studio.settings), inspector->rules()->rules());
        QVERIFY(inspector->rules()->rules()[1].enabled);
        QCOMPARE(inspector->rules()->compiled().size(), size_t(1));
        QTRY_COMPARE(pixelOfRow(events->view(), missRow()), QColor(0xff, 0xec, 0xb3));
        QVERIFY(before != QColor(0xff, 0xec, 0xb3));
        QCOMPARE(pixelOfRow(events->view(), events->proxy()->index(10, EventListModel::SummaryColumn)), before);
        const QModelIndex answerStep = window->stepModel()->indexOfPath(u"answer"_s, StepTreeModel::KeyColumn);
        QTRY_COMPARE(inspector->colours()->ruleOfPath(u"answer"_s), 1);
        window->inspectorTabs()->setCurrentIndex(0);
        QTRY_COMPARE(pixelOfRow(window->stepView(), answerStep.siblingAtColumn(StepTreeModel::TokensColumn)),
                     QColor(0xff, 0xec, 0xb3));
        window->inspectorTabs()->setCurrentWidget(window->eventsView());
        saveShot(window, u"colouring-window.png"_s);

        // View > Colour Events off: plain again.
        inspector->colourAction()->trigger();
        QVERIFY(!inspector->rules()->isEnabled());
        QTRY_VERIFY(pixelOfRow(events->view(), missRow()) != QColor(0xff, 0xec, 0xb3));
        QVERIFY(!studio.settings.value(u"colouring/enabled"_s).toBool());
    }

    void followMessageAndStepFromTheContextMenus()
    {
        test::StudioFixture studio;
        MainWindow *window = studio.open();
        auto *inspector = new InspectorWorkflow(window, &studio.settings);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        // The bots first: their list arriving picks a conversation, which clears the views
        // (on a loaded machine it came after the fed events and took them away).
        QTRY_VERIFY(!window->botPicker()->listing().bots.isEmpty());
        window->inspectorTabs()->setCurrentWidget(window->eventsView());
        const QList<Event> run = test::inspectRun();
        feed(window, run.mid(0, 6)); // up to the first delta, "Hello"
        EventsView *events = window->eventsView();

        // Follow Message is offered on a delta only.
        QVERIFY(!pickFromContextMenu(events->view(), events->proxy()->index(4, 0), u"followMessageAction"_s));
        QVERIFY(!inspector->followMessageAction()->isEnabled());
        QVERIFY(pickFromContextMenu(events->view(), events->proxy()->index(5, 0), u"followMessageAction"_s));
        auto *message = window->findChild<FollowMessageView *>();
        QVERIFY(message);
        QVERIFY(QTest::qWaitForWindowExposed(message));
        QTRY_COMPARE(message->text(), u"Hello"_s);
        // The run streams on.
        feed(window, run.mid(6, 1));
        QTRY_COMPARE(message->text(), u"Hello, "_s);
        feed(window, run.mid(7));
        QTRY_COMPARE(message->text(), u"Hello, world"_s);
        saveShot(message, u"follow-message-window.png"_s);

        // Follow Message from the step tree too: the step's first message; none for a step
        // that streamed none.
        window->inspectorTabs()->setCurrentIndex(0);
        window->stepView()->expandAll();
        delete message;
        QVERIFY(pickFromContextMenu(window->stepView(), window->stepModel()->indexOfPath(u"answer"_s),
                                    u"followStepMessageAction"_s));
        message = window->findChild<FollowMessageView *>();
        QVERIFY(message);
        QCOMPARE(message->messageContentId(), u"m1"_s);
        QTRY_COMPARE(message->text(), u"Hello, world"_s);
        delete message;
        QVERIFY(pickFromContextMenu(window->stepView(), window->stepModel()->indexOfPath(u"critique"_s),
                                    u"followStepMessageAction"_s));
        QVERIFY(!window->findChild<FollowMessageView *>());

        // Follow Step from the step tree (its menu, ui/window/mockworkflow.cpp, lists it).
        window->inspectorTabs()->setCurrentIndex(0);
        window->stepView()->expandAll();
        const QModelIndex research = window->stepModel()->indexOfPath(u"research"_s);
        QVERIFY(research.isValid());
        QVERIFY(pickFromContextMenu(window->stepView(), research, u"followSelectedStepAction"_s));
        auto *step = window->findChild<FollowStepView *>();
        QVERIFY(step);
        QVERIFY(QTest::qWaitForWindowExposed(step));
        QTRY_COMPARE(step->proxy()->rowCount(), 4);
        QCOMPARE(step->stepPath(), u"research"_s);
        // Its rows carry the colouring rules too: the slow step's finish.
        QTRY_COMPARE(pixelOfRow(step->view(), step->proxy()->index(2, EventListModel::SummaryColumn)),
                     defaultColouringRules()[2].background);
        saveShot(step, u"follow-step-window.png"_s);

        // Follow Step from an event of the Events tab.
        window->inspectorTabs()->setCurrentWidget(window->eventsView());
        delete step;
        QVERIFY(pickFromContextMenu(events->view(), events->proxy()->index(10, 0), u"followStepAction"_s));
        step = window->findChild<FollowStepView *>();
        QVERIFY(step);
        QCOMPARE(step->stepPath(), u"critique"_s);
        QTRY_COMPARE(step->proxy()->rowCount(), 2);
    }
};

QTEST_MAIN(TstInspectorWorkflow)
#include "tst_inspectorworkflow.moc"
