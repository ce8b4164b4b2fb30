// Colouring rules (docs/filters.md, "Colouring rules") over a million events in the studio's
// event list, the way the window paints them: RowColours (ui/colouring/rowcolours.h) with the
// default rules (errors, replay misses, slow steps), its worker walking the rows as they
// stream in, and the Events tab's table painting through ColouringDelegate. Measures: the
// GUI thread's longest stall (a 1 ms watchdog) while 1M events stream in with colouring on,
// how long the worker takes to colour them all after the last batch and in all (a rules
// edit), the time to paint a screenful of rows the worker had not reached (matched on the
// GUI thread) and of rows it had, and the memory the colours take (one byte a row).
//
// Measured (1M events, 256 MB of JSON, two runs on a loaded 2-core machine): the stream's
// longest GUI stall 53-71 ms with colouring on against 68-77 ms without (the list's own
// batches of 5,000; colouring adds nothing measurable); the worker done 5-6 ms after the last
// batch; a rules edit recolours every row in 0.7-1.0 s with the GUI thread stalled 13-25 ms
// at most; a screen of 39 rows repaints in 4-12 ms (p50) before the worker reached it, 4-7 ms
// after; the colours take 1.0 MB.
//
//   QT_QPA_PLATFORM=offscreen build/bin/bench_studio_colouring [events]
#include "core/wire/events.h"
#include "ui/colouring/colouringdelegate.h"
#include "ui/colouring/colouringrules.h"
#include "ui/colouring/rowcolours.h"
#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventlistmodel.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QTableView>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

// The long agent run of tests/bench/bench_studio_filter.cpp: steps (some in sub-bots), each
// streaming ten text deltas; every fifth step a replay miss (replay_stored, some with
// metadata.replay_miss), one in 97 an error, durations up to 2 s. Batches of 5,000, each
// followed by a turn of the event loop as the window's batcher does.
qint64 stream(ui::EventListModel &model, int total)
{
    qint64 bytes = 0;
    qint64 seq = 0;
    QList<Event> batch;
    const auto add = [&](Event event) {
        bytes += event.raw.size();
        batch.append(std::move(event));
        if (batch.size() == 5000) {
            model.addEvents(batch);
            batch.clear();
            QCoreApplication::processEvents();
        }
    };
    const QString words[] = {u"token "_s, u"über "_s, u"delta "_s, u"stream "_s, u"reply "_s};
    const Json miss{{"reason", "inputs_differ"}, {"summary", "parameters.query changed"}, {"nearest", nullptr},
                    {"fields", Json::array()}};
    for (int step = 0; seq < total; ++step) {
        const QString key = u"step_%1"_s.arg(step % 41);
        const QString path = step % 4 == 0 ? u"summarise/"_s + key : (step % 4 == 1 ? u"research/"_s + key : key);
        const auto stamp = [&] { return wire::Stamp{u"9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"_s, seq, seq / 4, path}; };
        add(wire::stepStarted(stamp(), key, u"llm.message"_s, Json{{"query", toStd(u"What changed in %1?"_s.arg(step))}}));
        ++seq;
        for (int d = 0; d < 10 && seq < total; ++d, ++seq)
            add(wire::messageContent(stamp(), words[(step + d) % 5], u"msg-%1"_s.arg(step), u"text"_s, true));
        if (seq >= total)
            break;
        const Source source = step % 5 == 0 ? Source::ReplayStored : Source::ReplayHit;
        add(wire::stepFinished(stamp(), key, u"llm.message"_s, step % 97 ? StepStatus::Success : StepStatus::Error,
                               Json{{"content", "done"}}, step % 97 ? QString() : u"rate limited"_s, source,
                               (step * 37) % 2000, wire::Usage{120, 30}, wire::StepVisibility::Unstated,
                               step % 10 == 0 ? miss : Json()));
        ++seq;
    }
    model.addEvents(batch);
    return bytes;
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[size_t(p * double(values.size() - 1))];
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int total = argc > 1 ? QByteArray(argv[1]).toInt() : 1'000'000;

    ui::EventListModel events;
    ui::ColouringRules rules(nullptr); // the defaults
    ui::RowColours colours(&events, &rules);
    ui::EventFilterProxy proxy;
    proxy.setSourceModel(&events);
    QTableView view;
    view.setModel(&proxy);
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.verticalHeader()->setDefaultSectionSize(view.fontMetrics().height() + 6);
    ui::ColouringDelegate::installOnEvents(&view, &proxy, &colours);
    view.resize(900, 800);
    view.show();

    QElapsedTimer tick;
    qint64 longestStall = 0;
    QTimer watchdog;
    watchdog.setInterval(1);
    QObject::connect(&watchdog, &QTimer::timeout, [&] { longestStall = qMax(longestStall, tick.restart()); });
    const auto waitWalked = [&] {
        QEventLoop loop;
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (colours.walked() == events.rowCount() && !colours.isWalking())
                loop.quit();
        });
        poll.start(5);
        loop.exec();
    };

    // 0. The same stream without colouring: what the list and the table cost alone.
    QElapsedTimer clock;
    {
        ui::EventListModel plain;
        ui::EventFilterProxy plainProxy;
        plainProxy.setSourceModel(&plain);
        QTableView plainView;
        plainView.setModel(&plainProxy);
        plainView.resize(900, 800);
        plainView.show();
        longestStall = 0;
        tick.start();
        watchdog.start();
        clock.start();
        stream(plain, total);
        watchdog.stop();
        std::printf("without colouring: streamed in %lld ms, longest GUI stall %lld ms\n", qint64(clock.elapsed()),
                    longestStall);
    }

    // 1. Streaming with colouring on.
    longestStall = 0;
    clock.start();
    tick.start();
    watchdog.start();
    const qint64 wireBytes = stream(events, total);
    const qint64 streamMs = clock.elapsed();
    clock.restart();
    waitWalked();
    const qint64 tailMs = clock.elapsed();
    watchdog.stop();
    std::printf("%d events (%.1f MB of JSON) streamed in %lld ms with colouring on; the worker finished %lld ms "
                "after the last batch; longest GUI stall %lld ms\n",
                events.rowCount(), double(wireBytes) / 1e6, streamMs, tailMs, longestStall);

    int coloured[4] = {0, 0, 0, 0};
    for (int row = 0; row < events.rowCount(); ++row) {
        const int rule = colours.ruleOfRow(row);
        ++coloured[rule < 0 ? 3 : rule];
    }
    std::printf("rows: %d errors, %d replay misses, %d slow steps, %d plain; colours held: %.1f MB (one byte a row)\n",
                coloured[0], coloured[1], coloured[2], coloured[3], double(events.rowCount()) / 1e6);

    // 2. A rules edit: every row coloured again, from scratch, by the worker.
    longestStall = 0;
    tick.start();
    watchdog.start();
    clock.restart();
    rules.setRules(rules.rules());
    waitWalked();
    const qint64 recolourMs = clock.elapsed();
    watchdog.stop();
    // 3. Screens of rows the worker has not reached (matched on the GUI thread), then of
    // rows it has; the event loop runs between two, as when the user scrolls.
    std::vector<double> coldPaints;
    std::vector<double> warmPaints;
    QScrollBar *bar = view.verticalScrollBar();
    for (std::vector<double> *paints : {&coldPaints, &warmPaints}) {
        if (paints == &coldPaints)
            rules.setRules(rules.rules()); // the worker starts over at row 0; the screens are near the end
        else
            waitWalked();
        for (int i = 0; i < 30; ++i) {
            bar->setValue(int(qint64(bar->maximum()) * (29 - i) / 30));
            QElapsedTimer paint;
            paint.start();
            view.viewport()->repaint();
            paints->push_back(double(paint.nsecsElapsed()) / 1e6);
            QCoreApplication::processEvents();
        }
    }
    std::printf("a rules edit recoloured every row in %lld ms (longest GUI stall %lld ms)\n",
                recolourMs, longestStall);
    std::printf("repaint of a screen (%d rows): before the worker p50 %.1f ms max %.1f ms; after p50 %.1f ms max %.1f ms\n",
                view.viewport()->height() / view.verticalHeader()->defaultSectionSize(), percentile(coldPaints, 0.5),
                percentile(coldPaints, 1.0), percentile(warmPaints, 0.5), percentile(warmPaints, 1.0));
    return 0;
}
