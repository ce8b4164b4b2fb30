// Two invoke-server processes sharing one replay cache on a throwaway loopback PostgreSQL
// (tests/support/testpostgres.h), 250 concurrent replay streams each, the LLM a stub in
// this process (tests/support/openaistubserver.h). Cold: every stream of both servers
// asks one of 50 questions the cache does not hold yet, so the same key is missed by many
// streams in both processes at once; warm: the same again, all hits. Reported: events/s,
// time to first event p50/p99, broken streams (a lost, repeated or reordered event, or no
// final event), LLM calls, and the entries stored (one per question is the contract).
//   build/bin/bench_teamservers --benchmark_counters_tabular=true
// Measured 2026-12-07 on the 2-core development machine shared with other builds (load
// average 6-14): cold 1.4k-2.3k events/s, first event p99 1.25-1.47 s, 50 LLM calls and 50
// entries for 50 questions, no broken stream; warm 4.4k-8.3k events/s, first event p99
// 0.33-0.72 s, no LLM call, no broken stream.
#include "tests/support/openaistubserver.h"
#include "tests/support/testpostgres.h"

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
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QByteArray kToken = "bench-token-0123456789abcdef";
constexpr int Servers = 2;
constexpr int StreamsPerServer = 250;
constexpr int Questions = 50;

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

// Empty when the stream is whole: seq 0, 1, 2..., the final event last.
QString streamProblem(const StreamClient &c)
{
    if (c.status != 200 || !c.ended)
        return u"status %1, ended %2"_s.arg(c.status).arg(c.ended);
    for (qsizetype i = 0; i < c.events.size(); ++i)
        if (c.events[i].seq != i)
            return u"event %1 has seq %2"_s.arg(i).arg(c.events[i].seq);
    if (c.events.isEmpty() || c.events.last().type != u"invocation_finished"_s)
        return u"no final event"_s;
    return {};
}

QByteArray requestFor(int question)
{
    const QByteArray body = dumpJson(Json{
        {"messages", Json::array({{{"role", "user"}, {"content", "Team question number " + std::to_string(question)}}})},
        {"mode", "replay"}});
    return "POST /bots/chat/invoke HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kToken
        + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

struct Server
{
    QTemporaryDir home;
    QProcess process;
    quint16 port = 0;

    bool start(const QString &cacheUrl, const QString &llmUrl)
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
        env.insert(u"INVOKE_CACHE_URL"_s, cacheUrl);
        env.insert(u"INVOKE_LLM_BASE_URL"_s, llmUrl);
        env.insert(u"INVOKE_LLM_MODEL"_s, u"stub-model"_s);
        env.remove(u"INVOKE_LLM_API_KEY"_s);
        process.setProcessEnvironment(env);
        process.setStandardErrorFile(home.filePath(u"server.log"_s));
        process.start(QCoreApplication::applicationDirPath() + u"/invoke-server"_s,
                      {u"--listen"_s, u"127.0.0.1:0"_s, u"--tokens"_s, tokens.fileName(),
                       u"--max-streams-per-token"_s, u"1000"_s});
        QByteArray out;
        while (process.waitForReadyRead(30000)) {
            out += process.readAllStandardOutput();
            if (out.contains('\n'))
                break;
        }
        port = quint16(out.mid(out.lastIndexOf(':') + 1).trimmed().toUInt());
        return port != 0;
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

struct Setup
{
    test::TestPostgres pg;
    std::unique_ptr<test::OpenAiStubServer> llm;
    std::vector<std::unique_ptr<Server>> servers;
    QString error;
};
std::unique_ptr<Setup> g_setup; // made once, released in main() while Qt is still up

Setup &setup()
{
    if (g_setup)
        return *g_setup;
    g_setup = std::make_unique<Setup>();
    Setup &s = *g_setup;
    if (!s.pg.start(&s.error))
        return s;
    s.llm = std::make_unique<test::OpenAiStubServer>();
    if (!s.llm->listen()) {
        s.error = u"the stub LLM cannot listen"_s;
        return s;
    }
    s.llm->setReply(test::StubReply::text({u"A"_s, u" shared"_s, u" team"_s, u" answer."_s}, 20, 4));
    for (int i = 0; i < Servers; ++i) {
        s.servers.push_back(std::make_unique<Server>());
        if (!s.servers.back()->start(s.pg.url(), s.llm->baseUrl()))
            s.error = u"invoke-server did not start (build it: it sits beside this program)"_s;
    }
    return s;
}

// Entries in the shared cache, counted on a connection of our own.
qint64 storedEntries(Setup &s)
{
    qint64 count = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, u"bench-count"_s);
        db.setHostName(u"127.0.0.1"_s);
        db.setPort(s.pg.port());
        db.setDatabaseName(u"invoke"_s);
        db.setUserName(u"invoke"_s);
        db.setPassword(s.pg.password());
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"SELECT count(*) FROM invoke_replay_entries"_s) && q.next())
                count = q.value(0).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"bench-count"_s);
    return count;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5))];
}

void runStreams(benchmark::State &state)
{
    Setup &s = setup();
    if (!s.error.isEmpty()) {
        state.SkipWithError(qPrintable(s.error));
        return;
    }
    const int callsBefore = s.llm->requestCount();
    std::vector<double> ttfeMs;
    qint64 events = 0, broken = 0;
    QString firstProblem;
    double seconds = 0;
    for (auto _ : state) {
        QEventLoop loop;
        int open = Servers * StreamsPerServer;
        std::vector<std::unique_ptr<StreamClient>> streams;
        QElapsedTimer wall;
        wall.start();
        for (int i = 0; i < Servers * StreamsPerServer; ++i)
            streams.push_back(std::make_unique<StreamClient>(s.servers[size_t(i % Servers)]->port,
                                                             requestFor(i % Questions), [&] {
                                                                 if (--open == 0)
                                                                     loop.quit();
                                                             }));
        QTimer::singleShot(180000, &loop, &QEventLoop::quit); // a hung run ends as broken streams
        if (open > 0)
            loop.exec();
        const double elapsed = double(wall.nsecsElapsed()) / 1e9;
        state.SetIterationTime(elapsed);
        seconds += elapsed;
        for (const auto &c : streams) {
            const QString problem = streamProblem(*c);
            if (!problem.isEmpty() && ++broken == 1)
                firstProblem = problem;
            events += c->events.size();
            if (c->firstEventNs >= 0)
                ttfeMs.push_back(double(c->firstEventNs) / 1e6);
        }
    }
    state.counters["streams"] = Servers * StreamsPerServer;
    state.counters["events_per_s"] = double(events) / seconds;
    state.counters["ttfe_p50_ms"] = percentile(ttfeMs, 0.50);
    state.counters["ttfe_p99_ms"] = percentile(ttfeMs, 0.99);
    state.counters["broken_streams"] = double(broken);
    state.counters["llm_calls"] = s.llm->requestCount() - callsBefore;
    state.counters["questions"] = Questions;
    state.counters["entries_stored"] = double(storedEntries(s));
    if (broken > 0)
        state.SetLabel(firstProblem.toStdString());
}

// Every question missed at once by streams of both servers: one LLM call and one stored
// entry per question is the advisory lock's promise.
void BM_TwoServersCold(benchmark::State &state)
{
    runStreams(state);
}
BENCHMARK(BM_TwoServersCold)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_TwoServersWarm(benchmark::State &state)
{
    runStreams(state);
}
BENCHMARK(BM_TwoServersWarm)->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    g_setup.reset();
    return 0;
}
