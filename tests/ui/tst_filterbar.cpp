// The events view's filter bar (ui/events/filterbar/filterbar.h) and the view around it, driven as
// a user would: typing, the colours and the message, field completion, saved filters,
// next/previous match, and the last valid filter staying while the text does not parse.
#include "tests/ui/runscript.h"
#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventlistmodel.h"
#include "ui/events/eventsview.h"
#include "ui/events/filterbar/fieldcompleter.h"
#include "ui/events/filterbar/filterbar.h"
#include "ui/events/filterbar/savedfilters.h"

#include <QtCore/QSettings>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QCompleter>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenu>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using invoke::Event;
using invoke::Json;
using invoke::test::RunScript;
using invoke::ui::EventFilterProxy;
using invoke::ui::EventListModel;
using invoke::ui::EventsView;
using invoke::ui::FieldCompleter;
using invoke::ui::FilterBar;
using invoke::ui::SavedFilters;

namespace {

QList<Event> sampleRun()
{
    RunScript run;
    return {
        run.begin(u"Researcher"_s),
        run.started(u"research"_s, u"bot.invoke"_s),
        run.started(u"research/search"_s, u"memory.search"_s, Json{{"query", "Tides"}}),
        run.finished(u"research/search"_s, u"memory.search"_s, u"success"_s, u"replay_hit"_s, 12),
        run.chunk(u"research"_s, u"secret plan"_s, u"m0"_s, false),
        run.started(u"answer"_s, u"llm.message"_s),
        run.chunk(u"answer"_s, u"Grüße, "_s),
        run.chunk(u"answer"_s, u"line one\nline two"_s),
        run.status(u"answer"_s, u"half way"_s),
        run.finished(u"answer"_s, u"llm.message"_s, u"error"_s, u"replay_stored"_s, 1400, {}, u"Rate limited"_s),
        run.end(u"error"_s, u"Rate limited"_s),
    };
}

void typeText(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

// Red and green bars: the base colour leans to the one or the other.
bool leansRed(const QColor &c) { return c.red() > c.green() + 10; }
bool leansGreen(const QColor &c) { return c.green() > c.red() + 10; }

} // namespace

class TestFilterBar : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void colourAndMessageAsYouType()
    {
        FilterBar bar;
        bar.resize(600, 60);
        bar.show();
        QSignalSpy changed(&bar, &FilterBar::filterChanged);
        QCOMPARE(bar.state(), FilterBar::State::Empty);

        QTest::keyClicks(bar.edit(), u"step ^= "_s);
        QCOMPARE(bar.state(), FilterBar::State::Invalid);
        QVERIFY(leansRed(bar.edit()->palette().color(QPalette::Base)));
        QCOMPARE(bar.error().column(), 9);
        QVERIFY2(bar.message().startsWith(u"Column 9: expected a \"quoted string\", found the end of the filter"_s),
                 qPrintable(bar.message()));

        QTest::keyClicks(bar.edit(), u"\"research/\""_s);
        QCOMPARE(bar.state(), FilterBar::State::Valid);
        QVERIFY(leansGreen(bar.edit()->palette().color(QPalette::Base)));
        QVERIFY(changed.wait(2000)); // after the pause in the typing
        QCOMPARE(changed.count(), 1);
        QCOMPARE(bar.lastValid().text(), u"step ^= \"research/\""_s);

        // Breaking it again: red, the message names the last valid filter, and nothing
        // new is applied.
        QTest::keyClicks(bar.edit(), u" and"_s);
        QCOMPARE(bar.state(), FilterBar::State::Invalid);
        QVERIFY2(bar.message().contains(u"still showing: step ^= \"research/\""_s), qPrintable(bar.message()));
        QTest::qWait(400);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(bar.lastValid().text(), u"step ^= \"research/\""_s);

        // Enter applies at once, without the pause.
        QTest::keyClicks(bar.edit(), u" seq > 2"_s);
        QTest::keyClick(bar.edit(), Qt::Key_Return);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.last().first().value<invoke::filter::Filter>().text(),
                 u"step ^= \"research/\" and seq > 2"_s);

        // An error inside the text: its character is marked, the message says where.
        typeText(bar.edit(), u"seq = 3 and type == \"status\""_s);
        QCOMPARE(bar.error().column(), 5);
        const QString dir = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR", QDir::tempPath());
        QVERIFY(bar.grab().save(dir + u"/filter-bar-error.png"_s));

        bar.edit()->clear();
        QCOMPARE(bar.state(), FilterBar::State::Empty);
        QVERIFY(changed.wait(2000));
        QVERIFY(changed.last().first().value<invoke::filter::Filter>().isEmpty());
    }

    // Green and red read on a dark palette too (tinted from the palette's base).
    void darkPalette()
    {
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
        const QPalette original = QApplication::palette();
        QApplication::setPalette(dark);
        QWidget page;
        auto *valid = new FilterBar(&page);
        auto *invalid = new FilterBar(&page);
        valid->setGeometry(0, 0, 600, 50);
        invalid->setGeometry(0, 55, 600, 50);
        page.resize(600, 110);
        page.show();
        QTest::keyClicks(valid->edit(), u"step ^= \"research/\" and duration_ms > 100"_s);
        valid->setStatus(u"15,416 of 1,000,000 events match"_s);
        QTest::keyClicks(invalid->edit(), u"step ^= and duration_ms > 100"_s);
        QVERIFY(leansGreen(valid->edit()->palette().color(QPalette::Base)));
        QVERIFY(leansRed(invalid->edit()->palette().color(QPalette::Base)));
        QVERIFY(valid->edit()->palette().color(QPalette::Base).lightness() < 110); // still a dark field
        const QString dir = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR", QDir::tempPath());
        QVERIFY(page.grab().save(dir + u"/filter-bar-dark.png"_s));
        QApplication::setPalette(original);
    }

    void wordStartForCompletion_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("cursor");
        QTest::addColumn<int>("start");
        QTest::newRow("first word") << u"dur"_s << 3 << 0;
        QTest::newRow("after and") << u"seq > 1 and ty"_s << 14 << 12;
        QTest::newRow("dotted") << u"payload.res"_s << 11 << 0;
        QTest::newRow("in a string") << u"text == \"dur"_s << 12 << -1;
        QTest::newRow("after a string") << u"text == \"a\" and so"_s << 18 << 16;
        QTest::newRow("a number") << u"seq > 12"_s << 8 << -1;
        QTest::newRow("operator word") << u"text contains"_s << 13 << -1;
        QTest::newRow("mid-word") << u"duration"_s << 3 << -1;
        QTest::newRow("after space") << u"type "_s << 5 << -1;
    }
    void wordStartForCompletion()
    {
        QFETCH(QString, text);
        QFETCH(int, cursor);
        QFETCH(int, start);
        QCOMPARE(int(FieldCompleter::wordStart(text, cursor)), start);
    }

    void completesFieldNames()
    {
        FilterBar bar;
        bar.resize(600, 60);
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        QCompleter *completer = bar.completer()->completer();
        QTest::keyClicks(bar.edit(), u"seq > 1 and dur"_s);
        QTRY_VERIFY(completer->popup()->isVisible());
        QCOMPARE(completer->completionCount(), 1);
        QCOMPARE(completer->currentCompletion(), u"duration_ms"_s);
        emit completer->activated(u"duration_ms"_s); // what choosing it in the popup does
        QCOMPARE(bar.edit()->text(), u"seq > 1 and duration_ms "_s);
        QCOMPARE(bar.edit()->cursorPosition(), bar.edit()->text().size());
        completer->popup()->hide();

        // Prefixes: "payload." waits for its member, with no space after it.
        bar.edit()->clear();
        QTest::keyClicks(bar.edit(), u"pay"_s);
        QTRY_VERIFY(completer->popup()->isVisible());
        QCOMPARE(completer->completionCount(), 2); // payload, payload.
        emit completer->activated(u"payload."_s);
        QCOMPARE(bar.edit()->text(), u"payload."_s);

        // Nothing offered inside a string.
        completer->popup()->hide();
        bar.edit()->clear();
        QTest::keyClicks(bar.edit(), u"text == \"ty"_s);
        QTest::qWait(50);
        QVERIFY(!completer->popup()->isVisible());
    }

    void savedFiltersPersistAndApply()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"studio.ini"_s), QSettings::IniFormat);
        {
            FilterBar bar;
            bar.setSettings(&settings);
            // Until the user saves their own, the defaults are offered.
            QCOMPARE(bar.savedFilters()->entries(), SavedFilters::defaults());
            bar.savedFilters()->save(u"Slow answers"_s, u"action == \"llm.message\" and duration_ms > 500"_s);
            bar.savedFilters()->remove(bar.savedFilters()->entries().first().name);
        }
        FilterBar bar;
        bar.setSettings(&settings);
        QCOMPARE(bar.savedFilters()->entries().size(), SavedFilters::defaults().size());
        QCOMPARE(bar.savedFilters()->entries().last().name, u"Slow answers"_s);
        QVERIFY(!bar.savedFilters()->entries().contains(SavedFilters::defaults().first()));

        // Choosing one in the menu applies it at once.
        QSignalSpy changed(&bar, &FilterBar::filterChanged);
        QAction *slow = nullptr;
        for (QAction *action : bar.savedMenu()->actions())
            if (action->text() == u"Slow answers"_s)
                slow = action;
        QVERIFY(slow);
        slow->trigger();
        QCOMPARE(bar.edit()->text(), u"action == \"llm.message\" and duration_ms > 500"_s);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(bar.state(), FilterBar::State::Valid);
    }

    // The view: typing filters the list, a broken text keeps the last rows, F3 walks the
    // matches; rendered to a PNG to look at.
    void eventsViewFiltersAsYouType()
    {
        EventListModel model;
        EventsView view(&model);
        QAbstractItemModelTester tester(view.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(760, 420);
        view.show();
        view.activateWindow(); // shortcuts (F3) go to the active window
        QVERIFY(QTest::qWaitForWindowActive(&view));
        model.addEvents(sampleRun());
        QCOMPARE(view.proxy()->rowCount(), 11);

        typeText(view.filterField(), u"type == \"step_finished\""_s);
        QTRY_COMPARE(view.proxy()->rowCount(), 2);
        QTRY_VERIFY(view.filterBar()->message().contains(u"2 of 11 events match"_s));

        typeText(view.filterField(), u"source == \"replay_stored\" or "_s);
        QCOMPARE(view.filterBar()->state(), FilterBar::State::Invalid);
        QTest::qWait(300);
        QCOMPARE(view.proxy()->rowCount(), 2); // the last valid filter stays
        const QString dir = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR", QDir::tempPath());
        QVERIFY(view.grab().save(dir + u"/events-filter-error.png"_s));

        QTest::keyClicks(view.filterField(), u"duration_ms > 1000"_s);
        QTRY_COMPARE(view.proxy()->rowCount(), 1);
        QCOMPARE(view.proxy()->index(0, EventListModel::SeqColumn).data().toLongLong(), 9);

        // Every row, the matches in bold; F3 and Shift+F3 walk them.
        typeText(view.filterField(), u"type == \"step_started\""_s);
        QTRY_COMPARE(view.proxy()->filter().text(), u"type == \"step_started\""_s);
        view.filterBar()->hideOthersBox()->setChecked(false);
        QCOMPARE(view.proxy()->rowCount(), 11);
        // The completion popup took the activation on the offscreen platform: give it back.
        view.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&view));
        view.view()->setFocus();
        QTest::keyClick(view.view(), Qt::Key_F3);
        QCOMPARE(view.view()->currentIndex().row(), 1);
        QTest::keyClick(view.view(), Qt::Key_F3);
        QCOMPARE(view.view()->currentIndex().row(), 2);
        QTest::mouseClick(view.filterBar()->nextButton(), Qt::LeftButton);
        QCOMPARE(view.view()->currentIndex().row(), 5);
        QTest::keyClick(view.view(), Qt::Key_F3, Qt::ShiftModifier);
        QCOMPARE(view.view()->currentIndex().row(), 2);
        QVERIFY2(view.detailText().contains(u"memory.search"_s), qPrintable(view.detailText()));
        QVERIFY(view.grab().save(dir + u"/events-filter-marked.png"_s));
    }
};

QTEST_MAIN(TestFilterBar)
#include "tst_filterbar.moc"
