// Streams 200,000 events through the studio's models and real views, offscreen, the
// way a run reaches the window: a worker thread enqueues events one by one and posts a
// flush when its queue was empty (LocalInvocation's pattern), the EventBatcher hands
// them on once per frame, the three models insert once per frame and the views follow
// the tail once per frame.
//
// Prints: events/s end to end, the longest event-loop stall (a 1 ms watchdog timer on
// the GUI thread) and the longest flush, and memory per event (resident set growth,
// with and without the events' own bytes). Targets (issue 3, item 12): >= 100,000
// events/s, no stall over 50 ms, <= 300 bytes per event beyond the payload text.
//
// The events are made before the clock starts (the engine's cost is not the window's),
// so the producer is far faster than any window: the batcher's frame budget is what
// keeps the loop responsive. The views: a QTreeView over the steps, a QTableView over
// the filtered events, the window's TranscriptView over the conversation.
//
//   QT_QPA_PLATFORM=offscreen build/bin/bench_studio_models [events]
// Variants (environment): BENCH_EVENT_TREE=1 a QTreeView over the events instead;
// BENCH_TRANSCRIPT_LIST=1 a QListView over the transcript; BENCH_TRANSCRIPT_NONE=1
// none; BENCH_NO_VIEWS=1 views not shown; BENCH_MEMORY_DETAIL=1 memory per model;
// BENCH_FLUSH_SPANS=1 when each flush ran.
#include "core/wire/events.h"
#include "ui/run/eventbatcher.h"
#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventlistmodel.h"
#include "ui/steps/steptreemodel.h"
#include "ui/run/transcriptmodel.h"
#include "ui/run/transcriptview.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QMutex>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QListView>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeView>

#include <malloc.h>
#include <unistd.h>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

qint64 residentBytes()
{
    QFile statm(u"/proc/self/statm"_s);
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * sysconf(_SC_PAGESIZE) : -1;
}

struct Script
{
    QList<Event> events;
    qint64 payloadTextBytes = 0; // the chunks' text, UTF-8
    qint64 rawBytes = 0;         // the events' JSON
};

// Mostly tiny text deltas (hidden ones of intermediate steps, visible ones of the
// answer steps), a step_started/step_finished pair per step, a sub-bot with three
// nested steps every tenth step.
Script makeScript(int total)
{
    static const QString words[] = {u"the "_s, u"tide "_s, u"rises"_s, u", "_s, u"and "_s, u"falls "_s,
                                    u"twice "_s, u"a day"_s, u".\n"_s, u"moon "_s};
    Script script;
    script.events.reserve(total);
    wire::Stamp stamp{u"0b3f6c1e-3b9a-4f43-9c38-5d1f0a7e2b64"_s, 0, 0, {}};
    auto next = [&](const QString &path) {
        stamp.seq++;
        stamp.tMs = stamp.seq / 50;
        stamp.path = path;
        return stamp;
    };
    auto add = [&](Event event) {
        script.rawBytes += event.raw.size();
        script.events.append(std::move(event));
    };
    add(wire::invocationStarted(next({}), u"Bench"_s, u"bench"_s, u"bot-bench"_s));
    int step = 0, word = 0;
    auto runStep = [&](const QString &path, int deltas, bool visible) {
        const QString key = path.section(u'/', -1);
        add(wire::stepStarted(next(path), key, u"llm.message"_s, Json{{"model", "bench"}}));
        const QString messageId = path + u"#1"_s;
        for (int i = 0; i < deltas && script.events.size() < total - 2; ++i) {
            const QString &text = words[word++ % 10];
            script.payloadTextBytes += text.toUtf8().size();
            add(wire::messageContent(next(path), text, messageId, u"text"_s, visible));
        }
        add(wire::stepFinished(next(path), key, u"llm.message"_s, StepStatus::Success, Json("…"), {},
                               Source::Live, 120, {40, qint64(deltas)}));
    };
    while (script.events.size() < total - 12) {
        const QString path = u"step%1"_s.arg(step);
        if (step % 10 == 9) {
            add(wire::stepStarted(next(path), path, u"bot.invoke"_s, Json::object()));
            for (const char *child : {"plan", "search", "write"})
                runStep(path + u'/' + QLatin1String(child), 150, false);
            add(wire::stepFinished(next(path), path, u"bot.invoke"_s, StepStatus::Success, Json::object(), {},
                                   Source::Live, 900));
        } else {
            runStep(path, 480, step % 10 == 0); // every tenth step answers visibly
        }
        ++step;
    }
    add(wire::invocationFinished(next({}), u"success"_s, Json::array(), {}));
    return script;
}

// The worker side of LocalInvocation: enqueue, post a flush when the queue was empty.
class Producer : public QObject
{
    Q_OBJECT
public:
    explicit Producer(const QList<Event> &events) : m_events(events) {}

    void run()
    {
        for (const Event &event : m_events) {
            QMutexLocker lock(&m_mutex);
            const bool post = m_queue.isEmpty();
            m_queue.append(event);
            if (post)
                QMetaObject::invokeMethod(this, &Producer::flush, Qt::QueuedConnection);
        }
    }

Q_SIGNALS:
    void eventsArrived(const QList<invoke::Event> &events);

private:
    void flush()
    {
        QList<Event> batch;
        {
            QMutexLocker lock(&m_mutex);
            batch.swap(m_queue);
        }
        if (!batch.isEmpty())
            Q_EMIT eventsArrived(batch);
    }

    const QList<Event> &m_events;
    QMutex m_mutex;
    QList<Event> m_queue;
};

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int total = argc > 1 ? QByteArray(argv[1]).toInt() : 200'000;

    const Script script = makeScript(total);

    ui::EventBatcher batcher;
    ui::StepTreeModel steps;
    ui::EventListModel events;
    ui::EventFilterProxy proxy;
    proxy.setSourceModel(&events);
    ui::TranscriptModel transcript;
    transcript.addUserTurn(u"Explain the tides."_s);

    QSplitter window;
    auto *stepView = new QTreeView;
    stepView->setModel(&steps);
    stepView->setUniformRowHeights(true);
    QAbstractItemView *eventView = nullptr;
    if (!qEnvironmentVariableIntValue("BENCH_EVENT_TREE")) {
        auto *table = new QTableView;
        table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        table->verticalHeader()->hide();
        table->horizontalHeader()->setStretchLastSection(true);
        table->setShowGrid(false);
        eventView = table;
    } else {
        auto *tree = new QTreeView;
        tree->setRootIsDecorated(false);
        tree->setUniformRowHeights(true);
        tree->header()->setStretchLastSection(true);
        eventView = tree;
    }
    eventView->setModel(&proxy);
    eventView->setAlternatingRowColors(true);
    // The window's transcript: a document that grows by appending the new characters.
    // A QListView (BENCH_TRANSCRIPT_LIST=1) lays out the whole answer on every change.
    QAbstractScrollArea *transcriptView = nullptr;
    if (qEnvironmentVariableIntValue("BENCH_TRANSCRIPT_NONE")) {
        transcriptView = new QListView; // an empty stand-in: the transcript model alone
    } else if (qEnvironmentVariableIntValue("BENCH_TRANSCRIPT_LIST")) {
        auto *list = new QListView;
        list->setModel(&transcript);
        list->setWordWrap(true);
        transcriptView = list;
    } else {
        auto *document = new ui::TranscriptView;
        document->setModel(&transcript);
        transcriptView = document;
    }
    window.addWidget(stepView);
    window.addWidget(eventView);
    window.addWidget(transcriptView);
    window.resize(1400, 800);
    if (qEnvironmentVariableIntValue("BENCH_NO_VIEWS") == 0)
        window.show();
    QCoreApplication::processEvents();

    QElapsedTimer wall; // from the producer's start
    QList<std::pair<qint64, qint64>> flushSpans; // (start, end) on the wall clock

    // The flush: every model inserts once, every view follows the tail once.
    qint64 longestFlushNs = 0, flushes = 0, largestBatch = 0;
    qint64 partNs[6] = {}; // step tree, event list (with proxy and view), transcript, then each view's scrolling
    QElapsedTimer flushClock;
    QObject::connect(&batcher, &ui::EventBatcher::flushed, &window, [&](const QList<Event> &batch) {
        flushClock.start();
        QElapsedTimer part;
        part.start();
        steps.addEvents(batch);
        partNs[0] += part.nsecsElapsed();
        part.restart();
        events.addEvents(batch);
        partNs[1] += part.nsecsElapsed();
        part.restart();
        transcript.addEvents(batch);
        partNs[2] += part.nsecsElapsed();
        part.restart();
        stepView->scrollToBottom();
        partNs[3] += part.nsecsElapsed();
        part.restart();
        eventView->scrollToBottom();
        partNs[4] += part.nsecsElapsed();
        part.restart();
        if (auto *list = qobject_cast<QListView *>(transcriptView))
            list->scrollToBottom(); // the TranscriptView follows the tail itself, once per frame
        partNs[5] += part.nsecsElapsed();
        longestFlushNs = qMax(longestFlushNs, flushClock.nsecsElapsed());
        flushSpans.append({wall.nsecsElapsed() - flushClock.nsecsElapsed(), wall.nsecsElapsed()});
        largestBatch = qMax<qint64>(largestBatch, batch.size());
        ++flushes;
    });

    // The watchdog: the largest gap between 1 ms ticks is the longest stall.
    QElapsedTimer tickClock;
    qint64 longestGapNs = 0;
    QTimer watchdog;
    watchdog.setTimerType(Qt::PreciseTimer);
    watchdog.setInterval(1);
    qint64 longestGapEndNs = 0;
    qint64 gapsOver[3] = {}; // ticks that came more than 17, 33, 50 ms late
    QObject::connect(&watchdog, &QTimer::timeout, [&] {
        const qint64 gap = tickClock.nsecsElapsed();
        gapsOver[0] += gap > 17'000'000;
        gapsOver[1] += gap > 33'000'000;
        gapsOver[2] += gap > 50'000'000;
        if (gap > longestGapNs) {
            longestGapNs = tickClock.nsecsElapsed();
            longestGapEndNs = wall.nsecsElapsed();
        }
        tickClock.restart();
    });

    Producer producer(script.events);
    QObject::connect(&producer, &Producer::eventsArrived, &batcher, &ui::EventBatcher::add);
    QThread *worker = QThread::create([&] { producer.run(); });

    malloc_trim(0);
    const qint64 rssBefore = residentBytes();
    wall.start();
    tickClock.start();
    watchdog.start();
    worker->start();
    while (events.rowCount() < script.events.size()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    }
    const qint64 elapsedNs = wall.nsecsElapsed();
    QCoreApplication::processEvents(); // the last frame of the views
    events.store().waitForCompression();
    watchdog.stop();
    worker->wait();
    delete worker;
    QCoreApplication::processEvents(); // the last paint
    malloc_trim(0);
    const qint64 rssAfter = residentBytes();

    const double n = double(script.events.size());
    const double perEvent = double(rssAfter - rssBefore) / n;
    std::printf("events:                 %lld (%lld steps, transcript %lld chars)\n", qint64(n),
                qint64(steps.stepCount()), qint64(transcript.textAt(transcript.rowCount() - 1).size()));
    std::printf("raw JSON per event:     %.0f B, payload text per event %.1f B\n", script.rawBytes / n,
                script.payloadTextBytes / n);
    std::printf("throughput:             %.0f events/s (%.0f ms)\n", n / (elapsedNs / 1e9), elapsedNs / 1e6);
    std::printf("flushes:                %lld, largest batch %lld, longest flush %.1f ms\n", flushes,
                largestBatch, longestFlushNs / 1e6);
    std::printf("time in flushes:        step tree %.0f ms, event list %.0f ms, transcript %.0f ms, "
                "following the tail %.0f + %.0f + %.0f ms\n", partNs[0] / 1e6, partNs[1] / 1e6, partNs[2] / 1e6,
                partNs[3] / 1e6, partNs[4] / 1e6, partNs[5] / 1e6);
    std::printf("longest stall:          %.1f ms (1 ms watchdog), ending at %.1f ms; "
                "stalls over 17 / 33 / 50 ms: %lld / %lld / %lld\n",
                longestGapNs / 1e6, longestGapEndNs / 1e6, gapsOver[0], gapsOver[1], gapsOver[2]);
    if (qEnvironmentVariableIntValue("BENCH_FLUSH_SPANS"))
        for (const auto &[start, end] : flushSpans)
            std::printf("  flush %.1f .. %.1f ms\n", start / 1e6, end / 1e6);
    std::printf("event bytes held:       %.0f B per event (raw JSON %.0f B)\n", events.store().heldBytes() / n,
                script.rawBytes / n);
    std::printf("memory per event:       %.0f B resident growth; %.0f B beyond the payload text; "
                "%.0f B beyond the raw JSON\n",
                perEvent, perEvent - script.payloadTextBytes / n, perEvent - script.rawBytes / n);
    const bool ok = n / (elapsedNs / 1e9) >= 100'000 && longestGapNs <= 50'000'000
                    && perEvent - script.payloadTextBytes / n <= 300;
    std::printf("targets (>= 100k/s, stall <= 50 ms, <= 300 B/event beyond payload text): %s\n",
                ok ? "met" : "NOT met");
    if (qEnvironmentVariableIntValue("BENCH_MEMORY_DETAIL")) {
        // Where the growth lives: each model let go of in turn.
        auto report = [&](const char *what) {
            QCoreApplication::processEvents();
            malloc_trim(0);
            std::printf("  after clearing %-12s %.0f B per event above the start\n", what,
                        double(residentBytes() - rssBefore) / script.events.size());
        };
        report("nothing");
        events.clear();
        report("event list");
        steps.clear();
        report("step tree");
        transcript.clear();
        report("transcript");
    }
    return 0;
}

#include "bench_studio_models.moc"
