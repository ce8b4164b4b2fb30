// How each path's cost grows with its work (issue 19): every path at three or more sizes,
// the cost at each size and the log-log slope (1 = linear, 2 = quadratic). Prints a
// Markdown table for docs/performance.md, with the machine it ran on.
//   build/bin/bench_scaling                 every path (about 5 minutes; the replay fill is most of it)
//   build/bin/bench_scaling --only loading  the paths whose name contains "loading"
//   build/bin/bench_scaling --large         also the replay cache at 1M entries (slow: minutes)
//   build/bin/bench_scaling --server-runs N the server's memory over N sequential runs
// invoke-server and invoke-studio are started from beside this program; both get a
// scratch HOME and XDG folders, so nothing of the user's is read or written.
#include "scaling/scalingtable.h"

#include "core/cache/sqlite/sqlitereplaycache.h"
#include "core/config/llmsettings.h"
#include "core/config/sandboxsettings.h"
#include "core/datasets/datasetstore.h"
#include "core/engine/actiongate.h"
#include "core/engine/actionregistry.h"
#include "core/engine/botcatalog.h"
#include "core/engine/botplanner.h"
#include "core/engine/executor.h"
#include "core/engine/templates.h"
#include "core/fold/runfold.h"
#include "core/mocks/mockcoverage.h"
#include "core/mocks/mockvalidation.h"
#include "core/wire/eventcodec.h"
#include "core/wire/events.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpSocket>

#include <csignal>
#include <random>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::bench;

namespace {

QTemporaryDir *g_scratch = nullptr;

QString scratch(const QString &name)
{
    const QString path = g_scratch->filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    return path;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

// A bot of `count` steps of `action`: a chain (each step uses the one before, through
// depends_on and a template) or a fan-out (independent steps), one member per line.
QByteArray botBytes(const QString &key, int count, const char *action, bool chain)
{
    Json steps = Json::array();
    for (int i = 0; i < count; ++i) {
        const std::string name = "s" + std::to_string(i);
        Json step{{"key", name}, {"action_type", action}};
        const std::string before = "s" + std::to_string(i - 1);
        if (std::string_view(action) == "utils.echo")
            step["parameters"] = {{"data", chain && i > 0 ? "{{steps." + before + "}}" : std::string("x")}};
        else
            step["parameters"] = {{"message_history", "{{system.messages}}"}};
        if (chain && i > 0)
            step["depends_on"] = Json::array({before});
        steps.push_back(std::move(step));
    }
    const Json bot{{"bot", {{"key", toStd(key)}, {"name", toStd(key)}}}, {"steps", std::move(steps)}};
    return QByteArray::fromStdString(bot.dump(1));
}

engine::BotCatalog catalogOf(const QString &folder)
{
    engine::BotCatalog catalog;
    catalog.load({folder});
    if (!catalog.problems().isEmpty())
        qFatal("bench bot did not load: %s", qPrintable(catalog.problems().first().toString()));
    return catalog;
}

Series botLoading()
{
    Series s{u"bot loading (a chain bot file, parsed)"_s, u"steps"_s, u"ms"_s, {}, {}, {}};
    for (const int n : {1000, 2000, 4000, 8000}) {
        const QString folder = scratch(u"load%1"_s.arg(n));
        writeFile(folder + u"/chain.bot.json"_s, botBytes(u"chain"_s, n, "utils.echo", true));
        s.sizes.append(n);
        s.costs.append(bestMs(5, [&] { catalogOf(folder); }));
    }
    return s;
}

Series planAndCoverage()
{
    Series s{u"plan and mock coverage"_s, u"steps"_s, u"ms"_s, {}, {}, {}};
    for (const int n : {1000, 2000, 4000, 8000, 16000}) {
        const QString folder = scratch(u"plan%1"_s.arg(n));
        writeFile(folder + u"/big.bot.json"_s, botBytes(u"big"_s, n, "llm.message", true));
        const engine::BotCatalog catalog = catalogOf(folder);
        MockSet mocks;
        for (int i = 0; i < n; i += 2) // half by step path, the rest by action type
            mocks.insert(u"s%1"_s.arg(i), MockResponse{true, Json{{"content", "ok"}}, {}});
        mocks.insert(u"llm.message"_s, MockResponse{true, Json{{"content", "any"}}, {}});
        s.sizes.append(n);
        s.costs.append(bestMs(5, [&] {
            const BotPlan plan = engine::botPlan(*catalog.find(u"big"_s), catalog);
            if (mocks::uncoveredSteps(mocks::mockCoverage(plan.steps, mocks)).size() != 0)
                qFatal("coverage is wrong");
        }));
    }
    return s;
}

Series executor(bool chain)
{
    Series s{chain ? u"executor: chain of utils.echo steps"_s : u"executor: fan-out of independent steps"_s,
             u"steps"_s, u"ms"_s, {}, {}, u"load excluded; every event built and handed on"_s};
    const QString dataFolder = scratch(u"datasets"_s);
    const auto datasets = std::make_shared<const datasets::DatasetStore>(QStringList{dataFolder},
                                                                         scratch(u"datasets.sqlite"_s));
    const engine::ActionRegistry registry = engine::ActionRegistry::standard(LlmSettings{}, datasets, SandboxSettings{});
    for (const int n : {1000, 2000, 4000, 8000}) {
        const QString folder = scratch(u"%1%2"_s.arg(chain ? u"chain"_s : u"fan"_s).arg(n));
        writeFile(folder + u"/run.bot.json"_s, botBytes(u"run"_s, n, "utils.echo", chain));
        const engine::BotCatalog catalog = catalogOf(folder);
        InvokeRequest request;
        request.botKey = u"run"_s;
        request.messages = {Message::user(u"go"_s)};
        s.sizes.append(n);
        s.costs.append(bestMs(5, [&] {
            engine::ActionGate gate(engine::ActionGate::Options{});
            engine::Executor executor(catalog, registry, gate);
            qint64 events = 0;
            const auto outcome = executor.run(request, [&](Event) { ++events; });
            if (!outcome.success() || events < 2 * n)
                qFatal("the run failed: %s", qPrintable(outcome.error));
        }));
    }
    return s;
}

Series templates()
{
    Series s{u"template rendering (one step output of N MB)"_s, u"MB"_s, u"ms"_s, {}, {}, u"whole, inside text, and an object as text"_s};
    for (const int mb : {2, 5, 10, 20}) {
        engine::TemplateScope scope;
        scope.steps["big"] = std::string(size_t(mb) << 20, 'x');
        Json rows = Json::array();
        for (int i = 0; i < (mb << 20) / 64; ++i)
            rows.push_back({{"id", i}, {"text", "a row of about sixty-four bytes"}});
        scope.steps["rows"] = std::move(rows);
        const Json parameters{{"whole", "{{steps.big}}"},
                              {"inside", "Before {{steps.big}} after"},
                              {"object", "rows: {{steps.rows}}"}};
        s.sizes.append(mb);
        s.costs.append(bestMs(5, [&] {
            if (!engine::renderTemplates(parameters, scope))
                qFatal("rendering failed");
        }));
    }
    return s;
}

Series mockValidation()
{
    Series s{u"mock validation (every 10th entry bad)"_s, u"entries"_s, u"ms"_s, {}, {}, u"against a plan of the same steps"_s};
    for (const int n : {1000, 2000, 4000, 8000, 16000}) {
        BotPlan plan;
        plan.botKey = u"big"_s;
        Json document = Json::object();
        for (int i = 0; i < n; ++i) {
            const QString key = u"s%1"_s.arg(i);
            plan.steps.append(PlannedStep{key, key, u"llm.message"_s, u"big"_s, 0, false, i + 2, {}});
            document[toStd(key)] = i % 10 == 0 ? Json{{"status", "success"}, {"output", {{"content", 42}}}}
                                               : Json{{"status", "success"}, {"output", {{"content", "an answer"}}}};
        }
        const QByteArray bytes = QByteArray::fromStdString(document.dump(2));
        s.sizes.append(n);
        s.costs.append(bestMs(5, [&] {
            if (mocks::validateMockBytes(bytes, &plan).problems.size() != n / 10)
                qFatal("wrong number of problems");
        }));
    }
    return s;
}

QList<Series> replayCache(bool large)
{
    Series fill{u"replay cache: fill (store each entry)"_s, u"entries"_s, u"ms"_s, {}, {}, u"SQLite, per-entry store()"_s};
    Series hits{u"replay cache: 10,000 lookups"_s, u"entries"_s, u"ms"_s, {}, {}, u"a constant cost means no growth (slope about 0)"_s};
    QList<int> sizes{10'000, 100'000};
    if (large)
        sizes.append(1'000'000);
    for (const int n : sizes) {
        cache::SqliteReplayCache store(scratch(u"replay%1.sqlite"_s.arg(n)));
        QString error;
        if (!store.open(&error))
            qFatal("cannot open the cache: %s", qPrintable(error));
        auto parts = [](int i) {
            return cache::CacheKeyParts{u"local"_s, u"bot"_s, u"2024-05-01T10:00:00.000Z"_s, u"llm.message"_s,
                                        Json{{"query", "question " + std::to_string(i)}, {"temperature", 0.2}}};
        };
        fill.sizes.append(n);
        fill.costs.append(bestMs(1, [&] {
            for (int i = 0; i < n; ++i)
                if (!store.store(parts(i), Json{{"content", "answer " + std::to_string(i)}}, {}, &error))
                    qFatal("store failed: %s", qPrintable(error));
        }));
        std::mt19937 rng(7);
        std::uniform_int_distribution<int> pick(0, n - 1);
        hits.sizes.append(n);
        hits.costs.append(bestMs(3, [&] {
            for (int i = 0; i < 10'000; ++i) {
                const cache::CacheKeyParts p = parts(pick(rng));
                if (!store.lookup(cache::CacheKeyParts::key(p.scope, p.botKey, p.botUpdatedAt, p.actionType, p.parameters)))
                    qFatal("a stored entry was not found");
            }
        }));
    }
    return {fill, hits};
}

Series sseDecodeAndFold()
{
    Series s{u"SSE decode and fold"_s, u"steps"_s, u"ms"_s, {}, {}, u"7 events per step, fed in 16 KiB slices"_s};
    for (const int n : {1000, 10'000, 100'000}) {
        QByteArray stream;
        qint64 seq = 0;
        for (int step = 0; step < n; ++step) {
            const QString key = u"s%1"_s.arg(step);
            auto stamp = [&] { return wire::Stamp{u"inv"_s, seq++, seq * 2, key}; };
            stream += wire::encodeSseFrame(wire::stepStarted(stamp(), key, u"llm.message"_s, Json{{"query", "q"}}));
            for (int d = 0; d < 5; ++d)
                stream += wire::encodeSseFrame(wire::messageContent(stamp(), u"a few words "_s, u"m%1"_s.arg(step),
                                                                    u"text"_s, true));
            stream += wire::encodeSseFrame(wire::stepFinished(stamp(), key, u"llm.message"_s, StepStatus::Success,
                                                              Json{{"content", "a few words"}}, {}, Source::Live, 3));
        }
        s.sizes.append(n);
        s.costs.append(bestMs(3, [&] {
            wire::EventStreamDecoder decoder;
            RunFold fold;
            QList<Event> events;
            for (qsizetype at = 0; at < stream.size(); at += 16 * 1024) {
                decoder.feed(QByteArrayView(stream).sliced(at, std::min<qsizetype>(16 * 1024, stream.size() - at)), events);
                fold.add(events);
                events.clear();
            }
            if (fold.result().steps.size() != n)
                qFatal("the fold lost steps");
        }));
    }
    return s;
}

QProcessEnvironment scratchEnvironment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOME"_s, home);
    env.insert(u"XDG_CACHE_HOME"_s, home + u"/cache"_s);
    env.insert(u"XDG_DATA_HOME"_s, home + u"/data"_s);
    env.insert(u"XDG_CONFIG_HOME"_s, home + u"/config"_s);
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s); // no keychain: the studio starts without a key
    return env;
}

qint64 rssKb(qint64 pid)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// One run over a fresh connection, read to the end of its chunked stream.
bool runOnce(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(10000))
        return false;
    socket.write(request);
    QByteArray tail;
    while (socket.waitForReadyRead(30000)) {
        tail = QByteArray(tail + socket.readAll()).right(200);
        if (tail.endsWith("0\r\n\r\n")) // the last chunk
            return true;
    }
    std::fprintf(stderr, "the run ended with: %s\n", tail.constData());
    return false;
}

Series serverMemory(int runs)
{
    Series s{u"invoke-server RSS over sequential runs"_s, u"runs"_s, u"MB"_s, {}, {}, u"a 5-step utils bot; flat memory is a slope near 0"_s};
    const QString home = scratch(u"server-home"_s);
    const QString bots = scratch(u"server-bots"_s);
    writeFile(bots + u"/small.bot.json"_s, botBytes(u"small"_s, 5, "utils.echo", true));
    QProcess server;
    server.setProcessEnvironment(scratchEnvironment(home));
    server.setStandardErrorFile(QProcess::nullDevice()); // a line per request
    server.start(QCoreApplication::applicationDirPath() + u"/invoke-server"_s,
                 {u"--listen"_s, u"127.0.0.1:0"_s, u"--insecure-no-auth"_s, u"--bots-dir"_s, bots});
    QByteArray out;
    while (!out.contains('\n') && server.waitForReadyRead(30000))
        out += server.readAllStandardOutput();
    const quint16 port = quint16(out.mid(out.lastIndexOf(':') + 1).trimmed().toUInt());
    if (port == 0)
        qFatal("invoke-server did not start: %s", out.constData());
    const QByteArray body = R"({"messages": [{"role": "user", "content": "hello"}]})";
    const QByteArray request = "POST /bots/small/invoke HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
                               + "\r\nContent-Type: application/json\r\n"
                               "Accept: text/event-stream\r\nConnection: close\r\nContent-Length: "
                               + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    QList<int> marks;
    for (int mark = runs / 10; mark <= runs; mark *= 2)
        marks.append(mark);
    if (marks.isEmpty() || marks.last() != runs)
        marks.append(runs);
    int done = 0;
    for (const int mark : std::as_const(marks)) {
        for (; done < mark; ++done)
            if (!runOnce(port, request))
                qFatal("run %d failed", done);
        s.sizes.append(mark);
        s.costs.append(rssKb(server.processId()) / 1024.0);
    }
    ::kill(pid_t(server.processId()), SIGTERM);
    server.waitForFinished(30000);
    return s;
}

Series studioStart()
{
    Series s{u"studio start until the bots are listed and drawn"_s, u"bots"_s, u"ms"_s, {},
             {}, u"offscreen; process start to the first window grab"_s};
    for (const int n : {10, 100, 1000}) {
        const QString bots = scratch(u"studio%1"_s.arg(n));
        for (int i = 0; i < n; ++i)
            writeFile(bots + u"/b%1.bot.json"_s.arg(i), botBytes(u"b%1"_s.arg(i), 5, "utils.echo", true));
        const QString home = scratch(u"studio-home%1"_s.arg(n));
        s.sizes.append(n);
        // The studio's --screenshot waits 300 ms after the bots are listed, then grabs and quits.
        s.costs.append(bestMs(3, [&] {
            QProcess studio;
            studio.setProcessEnvironment(scratchEnvironment(home));
            studio.start(QCoreApplication::applicationDirPath() + u"/invoke-studio"_s,
                         {u"--bots"_s, bots, u"--screenshot"_s, home + u"/shot.png"_s});
            if (!studio.waitForFinished(120000) || studio.exitCode() != 0)
                qFatal("invoke-studio failed: %s", studio.readAllStandardError().constData());
        }) - 300);
    }
    return s;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    const bool large = args.contains(u"--large"_s);
    const QString only = args.indexOf(u"--only"_s) >= 0 ? args.value(args.indexOf(u"--only"_s) + 1) : QString();
    const int serverRuns = args.indexOf(u"--server-runs"_s) >= 0
        ? args.value(args.indexOf(u"--server-runs"_s) + 1).toInt() : 10'000;
    QTemporaryDir scratchDir;
    g_scratch = &scratchDir;

    const QList<std::pair<QString, std::function<QList<Series>()>>> paths{
        {u"loading"_s, [] { return QList<Series>{botLoading()}; }},
        {u"plan"_s, [] { return QList<Series>{planAndCoverage()}; }},
        {u"executor"_s, [] { return QList<Series>{executor(true), executor(false)}; }},
        {u"templates"_s, [] { return QList<Series>{templates()}; }},
        {u"mocks"_s, [] { return QList<Series>{mockValidation()}; }},
        {u"replay"_s, [large] { return replayCache(large); }},
        {u"sse"_s, [] { return QList<Series>{sseDecodeAndFold()}; }},
        {u"server"_s, [serverRuns] { return QList<Series>{serverMemory(serverRuns)}; }},
        {u"studio"_s, [] { return QList<Series>{studioStart()}; }},
    };
    QList<Series> table;
    for (const auto &[name, run] : paths) {
        if (!only.isEmpty() && !name.contains(only))
            continue;
        for (const Series &s : run()) {
            printProgress(s);
            table.append(s);
        }
    }
    std::printf("Machine: %s\n", qPrintable(machineText()));
    printTable(table);
    return 0;
}
