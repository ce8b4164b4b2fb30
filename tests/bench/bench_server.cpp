// invoke-server on loopback with N concurrent SSE clients (N = 1, 50, 500), each running
// an example bot in manual mode (no LLM): events per second delivered, time to first
// event (p50/p99, from connect to the first decoded event; srv_ttfe: the server's own,
// from the request read to the first event written, from its log), the server's peak RSS, and
// a check that every stream carries each event once and in order (metadata.seq 0, 1, 2...,
// invocation_finished last, the same number of events in every stream).
// Targets: 500 concurrent streams with no lost or reordered event; TTFE p99 < 50 ms at 50.
//   build/bin/bench_server --benchmark_counters_tabular=true
// The clients are plain sockets in this process's one thread (HTTP/1.1, chunked decoding,
// the core's EventStreamDecoder), so the figures include their cost too.
#include "core/model/json/json.h"
#include "core/wire/eventcodec.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QByteArray kToken = "bench-token-0123456789abcdef";
const QString kBot = u"research-assistant"_s;

// One streaming invocation over a raw socket.
class StreamClient
{
public:
    StreamClient(quint16 port, const QByteArray &request, std::function<void()> onDone)
        : m_onDone(std::move(onDone))
    {
        m_clock.start();
        QObject::connect(&m_socket, &QTcpSocket::connected, &m_socket, [this, request] { m_socket.write(request); });
        QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this] { read(); });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, &m_socket, [this] { finish(); });
        QObject::connect(&m_socket, &QTcpSocket::errorOccurred, &m_socket, [this](QAbstractSocket::SocketError e) {
            if (e != QAbstractSocket::RemoteHostClosedError)
                finish();
        });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }

    qint64 firstEventNs = -1;
    QList<Event> events;
    bool ended = false;   // the last chunk arrived
    int status = 0;

private:
    void read()
    {
        m_buffer += m_socket.readAll();
        if (status == 0) {
            const qsizetype head = m_buffer.indexOf("\r\n\r\n");
            if (head < 0)
                return;
            status = m_buffer.mid(9, 3).toInt();
            m_buffer.remove(0, head + 4);
        }
        // Chunked transfer coding: hex size CRLF data CRLF ... 0 CRLF CRLF.
        for (;;) {
            const qsizetype line = m_buffer.indexOf("\r\n");
            if (line < 0)
                return;
            bool ok = false;
            const qsizetype size = m_buffer.left(line).toLongLong(&ok, 16);
            if (!ok)
                return finish();
            if (size == 0) {
                ended = true;
                return finish();
            }
            if (m_buffer.size() < line + 2 + size + 2)
                return;
            const qsizetype before = events.size();
            m_decoder.feed(QByteArrayView(m_buffer).sliced(line + 2, size), events);
            if (firstEventNs < 0 && events.size() > before)
                firstEventNs = m_clock.nsecsElapsed();
            m_buffer.remove(0, line + 2 + size + 2);
        }
    }
    void finish()
    {
        if (m_done)
            return;
        m_done = true;
        m_socket.abort();
        m_onDone();
    }

    QTcpSocket m_socket;
    QElapsedTimer m_clock;
    QByteArray m_buffer;
    wire::EventStreamDecoder m_decoder;
    std::function<void()> m_onDone;
    bool m_done = false;
};

// Empty when the stream is whole.
QString streamProblem(const StreamClient &c, qsizetype expectedEvents)
{
    if (c.status != 200 || !c.ended)
        return u"status %1, ended %2"_s.arg(c.status).arg(c.ended);
    for (qsizetype i = 0; i < c.events.size(); ++i)
        if (c.events[i].seq != i)
            return u"event %1 has seq %2"_s.arg(i).arg(c.events[i].seq);
    if (c.events.isEmpty() || c.events.last().type != u"invocation_finished"_s)
        return u"no final event"_s;
    if (expectedEvents >= 0 && c.events.size() != expectedEvents)
        return u"%1 events, expected %2"_s.arg(c.events.size()).arg(expectedEvents);
    return {};
}

struct Server
{
    QTemporaryDir home;
    QProcess process;
    quint16 port = 0;
    QByteArray request;

    bool start()
    {
        QFile tokens(home.filePath(u"tokens.txt"_s));
        if (!tokens.open(QIODevice::WriteOnly))
            return false;
        tokens.write(kToken + " bench\n");
        tokens.close();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CACHE_HOME"_s, home.filePath(u"cache"_s));
        env.insert(u"XDG_DATA_HOME"_s, home.filePath(u"data"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, home.filePath(u"config"_s));
        process.setProcessEnvironment(env);
        process.setStandardErrorFile(home.filePath(u"server.log"_s)); // one line per request
        process.start(QCoreApplication::applicationDirPath() + u"/invoke-server"_s,
                      {u"--listen"_s, u"127.0.0.1:0"_s, u"--tokens"_s, tokens.fileName(),
                       // All clients share one token; the per-token limit (64 by default,
                       // docs/server.md) is not what this measures.
                       u"--max-streams-per-token"_s, u"1000"_s});
        QByteArray out;
        while (process.waitForReadyRead(30000)) {
            out += process.readAllStandardOutput();
            if (out.contains('\n'))
                break;
        }
        port = quint16(out.mid(out.lastIndexOf(':') + 1).trimmed().toUInt());
        if (port == 0)
            return false;

        QFile mocks(u":/mocks/"_s + kBot + u".mocks.json"_s); // bundled with the core
        if (!mocks.open(QIODevice::ReadOnly))
            return false;
        const QByteArray body = dumpJson(Json{
            {"messages", Json::array({{{"role", "user"}, {"content", "How do green and black tea differ?"}}})},
            {"mode", "manual"},
            {"manual_mocks", parseJson(mocks.readAll())}});
        request = "POST /bots/" + kBot.toUtf8() + "/invoke HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  "Authorization: Bearer " + kToken + "\r\nContent-Type: application/json\r\n"
                  "Accept: text/event-stream\r\nContent-Length: " + QByteArray::number(body.size())
                  + "\r\n\r\n" + body;
        return true;
    }

    // The server's own time to first event ("first=1.23ms" in its log lines) since the
    // last call: from the request read to the first event written, without the client.
    std::vector<double> serverFirstEventMs()
    {
        QFile log(home.filePath(u"server.log"_s));
        std::vector<double> values;
        if (!log.open(QIODevice::ReadOnly) || !log.seek(logOffset))
            return values;
        const QByteArray text = log.readAll();
        logOffset += text.size();
        for (const QByteArray &line : text.split('\n')) {
            const qsizetype at = line.indexOf(" first=");
            if (at >= 0)
                values.push_back(line.mid(at + 7, line.indexOf("ms", at) - at - 7).toDouble());
        }
        return values;
    }
    qint64 logOffset = 0;

    qint64 statusKb(const char *field) const
    {
        QFile status(u"/proc/%1/status"_s.arg(process.processId()));
        if (!status.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.startsWith(field))
                return line.mid(qstrlen(field) + 1).trimmed().split(' ').value(0).toLongLong();
        return -1;
    }

    ~Server()
    {
        if (process.state() != QProcess::NotRunning) {
            ::kill(pid_t(process.processId()), SIGTERM);
            if (!process.waitForFinished(30000))
                process.kill();
        }
    }
};

std::unique_ptr<Server> g_server; // started once, stopped in main() while Qt is still up

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5))];
}

void BM_ConcurrentStreams(benchmark::State &state)
{
    if (!g_server) {
        g_server = std::make_unique<Server>();
        if (!g_server->start()) {
            state.SkipWithError("invoke-server did not start (build it: it sits beside this program)");
            return;
        }
    }
    const int clients = int(state.range(0));
    std::vector<double> ttfeMs;
    g_server->serverFirstEventMs(); // skip what earlier runs logged
    qint64 events = 0;
    qint64 broken = 0;
    qsizetype expected = -1;
    QString firstProblem;
    double seconds = 0;

    for (auto _ : state) {
        QEventLoop loop;
        int open = clients;
        std::vector<std::unique_ptr<StreamClient>> streams;
        streams.reserve(size_t(clients));
        QElapsedTimer wall;
        wall.start();
        for (int i = 0; i < clients; ++i)
            streams.push_back(std::make_unique<StreamClient>(g_server->port, g_server->request, [&] {
                if (--open == 0)
                    loop.quit();
            }));
        QTimer::singleShot(120000, &loop, &QEventLoop::quit); // a hung run ends as broken streams
        if (open > 0)
            loop.exec();
        const double elapsed = double(wall.nsecsElapsed()) / 1e9;
        state.SetIterationTime(elapsed);
        seconds += elapsed;
        for (const auto &s : streams) {
            if (expected < 0 && s->ended)
                expected = s->events.size();
            const QString problem = streamProblem(*s, expected);
            if (!problem.isEmpty()) {
                ++broken;
                if (firstProblem.isEmpty())
                    firstProblem = problem;
            }
            events += s->events.size();
            if (s->firstEventNs >= 0)
                ttfeMs.push_back(double(s->firstEventNs) / 1e6);
        }
    }
    state.counters["events_per_s"] = double(events) / seconds;
    state.counters["events_per_stream"] = double(expected);
    state.counters["ttfe_p50_ms"] = percentile(ttfeMs, 0.50);
    state.counters["ttfe_p99_ms"] = percentile(ttfeMs, 0.99);
    const std::vector<double> serverTtfe = g_server->serverFirstEventMs();
    state.counters["srv_ttfe_p50_ms"] = percentile(serverTtfe, 0.50);
    state.counters["srv_ttfe_p99_ms"] = percentile(serverTtfe, 0.99);
    state.counters["broken_streams"] = double(broken);
    state.counters["server_rss_mb"] = double(g_server->statusKb("VmRSS:")) / 1024.0;
    state.counters["server_peak_mb"] = double(g_server->statusKb("VmHWM:")) / 1024.0;
    if (broken > 0)
        state.SetLabel(firstProblem.toStdString());
}
BENCHMARK(BM_ConcurrentStreams)->Arg(1)->Arg(50)->Arg(500)->UseManualTime()->Iterations(5)
    ->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    g_server.reset();
    return 0;
}
