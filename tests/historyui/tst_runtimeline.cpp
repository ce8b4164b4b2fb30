// The run timeline (ui/history/runtimeline): bars from the step tree's steps, nested
// sub-bot steps one level deeper, a running step open-ended while the run streams, the
// slowest path marked from the top level down; rendered to PNG (INVOKE_SCREENSHOT_DIR,
// else the temp dir). The step tree is checked with QAbstractItemModelTester.
#include "core/wire/events.h"
#include "ui/history/runtimeline.h"
#include "ui/steps/steptreemodel.h"

#include <QtCore/QDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

namespace {

struct Script
{
    qint64 seq = 0;
    QList<Event> events;
    wire::Stamp at(qint64 t, const QString &path)
    {
        return wire::Stamp{u"inv-timeline"_s, seq++, t, path};
    }
    void start(qint64 t, const QString &path, const QString &type)
    {
        events << wire::stepStarted(at(t, path), path.section(u'/', -1), type, Json::object());
    }
    void finish(qint64 t, const QString &path, const QString &type, qint64 duration)
    {
        events << wire::stepFinished(at(t, path), path.section(u'/', -1), type, StepStatus::Success,
                                     Json("ok"), {}, Source::Live, duration);
    }
};

QStringList describe(const QList<RunTimeline::Bar> &bars)
{
    QStringList out;
    for (const RunTimeline::Bar &b : bars)
        out << u"%1@%2+%3%4"_s.arg(b.path).arg(b.startMs).arg(b.durationMs).arg(b.slowest ? u" slowest"_s : QString());
    return out;
}

} // namespace

class TstRunTimeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void growsLiveAndMarksTheSlowestPath()
    {
        Script s;
        s.events << wire::invocationStarted(s.at(0, {}), u"Research"_s, u"research-assistant"_s, u"b1"_s);
        s.start(0, u"announce"_s, u"utils.send_status"_s);
        s.finish(5, u"announce"_s, u"utils.send_status"_s, 5);
        s.start(5, u"gather"_s, u"llm.message"_s);
        const qsizetype midRun = s.events.size();
        s.finish(305, u"gather"_s, u"llm.message"_s, 300);
        s.start(305, u"summarise"_s, u"bot.invoke"_s);
        s.start(306, u"summarise/outline"_s, u"llm.message"_s);
        s.finish(406, u"summarise/outline"_s, u"llm.message"_s, 100);
        s.start(406, u"summarise/answer"_s, u"llm.message"_s);
        s.finish(806, u"summarise/answer"_s, u"llm.message"_s, 400);
        s.finish(807, u"summarise"_s, u"bot.invoke"_s, 502);

        StepTreeModel steps;
        QAbstractItemModelTester tester(&steps, QAbstractItemModelTester::FailureReportingMode::QtTest);
        RunTimeline timeline;
        timeline.setModel(&steps);
        QVERIFY(timeline.bars().isEmpty());

        // Mid-run: gather is running, its bar open-ended to the newest time seen (its start:
        // nothing later has arrived), so announce is the slowest so far.
        steps.addEvents(s.events.mid(0, midRun));
        QCOMPARE(describe(timeline.bars()), (QStringList{u"announce@0+5 slowest"_s, u"gather@5+-1"_s}));
        timeline.resize(640, 140);
        const QString dir = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR", QDir::tempPath());
        QDir().mkpath(dir);
        QVERIFY(timeline.grab().save(dir + u"/timeline-live.png"_s));

        steps.addEvents(s.events.mid(midRun));
        QCOMPARE(describe(timeline.bars()),
                 (QStringList{u"announce@0+5"_s, u"gather@5+300"_s, u"summarise@305+502 slowest"_s,
                              u"summarise/outline@306+100"_s, u"summarise/answer@406+400 slowest"_s}));
        QCOMPARE(timeline.bars().at(3).depth, 1);
        QCOMPARE(timeline.spanMs(), 807);
        timeline.resize(640, timeline.sizeHint().height());
        QVERIFY(timeline.grab().save(dir + u"/timeline.png"_s));

        steps.clear();
        QVERIFY(timeline.bars().isEmpty());
    }
};

QTEST_MAIN(TstRunTimeline)
#include "tst_runtimeline.moc"
