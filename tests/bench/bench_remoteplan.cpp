// What recording a remote run's plan costs invoke-cli (issue 14; run by hand):
//   build/bin/bench_remoteplan [--runs 40] [--slow-plan-ms 300]
// The real invoke-server (bundled bots, a token) and N processes of
// `invoke-cli invoke chat -m hi --mode manual --endpoint URL` (a short run: the bundled
// mock set answers), each configuration in turn:
//   A. --no-history: nothing recorded (the floor);
//   B. recorded, the kept plans removed before each run: every run asks
//      GET /bots/chat/plan beside its POST, as every run did before the plan was kept
//      (core/backend/remoteplancache.h);
//   C. recorded, the plan kept from the run before: the invoke answer's
//      Invoke-Plan-Version matches it, and no plan is asked for.
// Then D and E as B and C, through a relay that holds a GET .../plan for --slow-plan-ms
// (300) before passing it on: a server whose plan answers after the run has ended.
// For each: wall time per process (median, mean, p90) and the requests the server logged
// per run. Figures on this 2-core machine, 2026-12-07, 30 runs each (other builds running):
//   A. --no-history                              median 10.7 ms, mean 13.7 ms, 1 request/run
//   B. recorded, plan asked for on every run     median 39.0 ms, mean 41.3 ms, 2 requests/run
//   C. recorded, the kept plan used              median 39.5 ms, mean 41.2 ms, 1 request/run
//   D. as B, the plan answered after 300 ms      median 350.0 ms, mean 354.8 ms, 2 requests/run
//   E. as C, the plan answered after 300 ms      median 40.6 ms, mean 46.4 ms, 1 request/run
//   Again after invoke-server reads the bot's plan for each invoke to name its
//   Invoke-Plan-Version (the sub-bots' updated_at included), 30 runs each, same machine:
//   A 12.0, B 19.7, C 12.3, D 322.8, E 13.6 ms median; 1, 2, 1, 2, 1 requests/run (the
//   history's own cost has fallen since the figures above).
//   (the build before the plan was kept, by a shell loop of 30 runs: median 35.5 ms recorded,
//   21.6 ms --no-history, 2 requests/run.) On loopback the plan's GET runs beside the POST and
//   is back before the run ends, so C saves the request, not time; D shows the wait the run's
//   recording had whenever the plan answered after the run (RunHistory::flush waits up to
//   5 s for it), which E no longer has. What recording still costs (~25 ms against A) is the
//   history's own work (core/history: the file, its writer thread, commits synced to disk:
//   strace shows its fdatasync calls after the run's output).
#include "tests/support/cliprocess.h"
#include "tests/support/serverprocess.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

int argument(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
}

// A loopback TCP relay in front of the server that holds each connection whose first
// request is a GET .../plan for `delayMs` before passing it on: a server whose plan answer
// is slower than the run (a busy or far one). Other connections pass at once.
class SlowPlanRelay : public QTcpServer
{
public:
    SlowPlanRelay(quint16 upstream, int delayMs) : m_upstream(upstream), m_delayMs(delayMs)
    {
        listen(QHostAddress::LocalHost);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = nextPendingConnection())
                relay(client);
        });
    }

private:
    void relay(QTcpSocket *client)
    {
        auto *server = new QTcpSocket(client);
        auto *held = new QByteArray;
        auto *decided = new bool(false);
        connect(client, &QObject::destroyed, [held, decided] {
            delete held;
            delete decided;
        });
        const auto pass = [client, server, held] {
            server->write(*held);
            held->clear();
        };
        connect(client, &QTcpSocket::readyRead, client, [=, this] {
            held->append(client->readAll());
            if (*decided) {
                if (server->state() == QAbstractSocket::ConnectedState && m_delayMs >= 0)
                    pass();
                return;
            }
            if (!held->contains("\r\n"))
                return;
            *decided = true;
            const bool plan = held->startsWith("GET ") && held->left(held->indexOf("\r\n")).contains("/plan");
            const int delay = plan ? m_delayMs : 0;
            QTimer::singleShot(delay, client, [=, this] {
                server->connectToHost(QHostAddress::LocalHost, m_upstream);
                connect(server, &QTcpSocket::connected, client, pass);
            });
        });
        connect(server, &QTcpSocket::readyRead, client, [client, server] { client->write(server->readAll()); });
        connect(server, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
        connect(client, &QTcpSocket::disconnected, client, [client, server] {
            server->disconnectFromHost();
            client->deleteLater();
        });
    }

    quint16 m_upstream;
    int m_delayMs;
};

struct Figures
{
    double medianMs = 0, meanMs = 0, p90Ms = 0;
    double requestsPerRun = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int runs = argument(app.arguments(), u"--runs"_s, 40);
    QTemporaryDir home;
    // With a token: --insecure-no-auth answers only requests that name the server itself
    // as Host, which the relay below does not.
    const QString tokens = test::writeFile(home.filePath(u"tokens.txt"_s), "bench-token-0123456789abcdef bench\n");
    QFile::setPermissions(tokens, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    auto server = test::ServerProcess::launch({u"--tokens"_s, tokens, u"--cache"_s, home.filePath(u"server.sqlite"_s)},
                                              test::ServerProcess::scratchEnvironment(home.filePath(u"server"_s)));
    if (!server)
        return 1;
    QProcessEnvironment cli = test::ServerProcess::scratchEnvironment(home.filePath(u"developer"_s));
    cli.insert(u"INVOKE_AUTH_TOKEN"_s, u"bench-token-0123456789abcdef"_s);
    const QString keptPlans = cli.value(u"XDG_CACHE_HOME"_s) + u"/Invoke Studio/invoke-studio/remote-plans"_s;
    const int slowPlanMs = argument(app.arguments(), u"--slow-plan-ms"_s, 300);
    SlowPlanRelay relay(server->port(), slowPlanMs);
    const auto invokeOn = [](const QString &endpoint) {
        return QStringList{u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--mode"_s, u"manual"_s, u"--endpoint"_s, endpoint};
    };
    QStringList invoke = invokeOn(server->url({}).toString());
    const QRegularExpression request(u"^\\S+ (GET|POST) /bots/"_s, QRegularExpression::MultilineOption);

    const auto measure = [&](const QStringList &extra, bool forgetPlans) {
        // One run first, untimed: the history file and the kept plan exist from then on.
        test::runProcess(test::cliProgram(), invoke + extra, cli);
        const qsizetype requestsBefore = server->log().count(request);
        QList<double> ms;
        for (int i = 0; i < runs; ++i) {
            if (forgetPlans)
                QDir(keptPlans).removeRecursively();
            QElapsedTimer timer;
            timer.start();
            const test::CliRun run = test::runProcess(test::cliProgram(), invoke + extra, cli);
            ms.append(timer.nsecsElapsed() / 1e6);
            if (run.exitCode != 0) {
                std::fprintf(stderr, "invoke-cli failed: %s\n", qPrintable(run.err));
                return Figures{};
            }
        }
        std::sort(ms.begin(), ms.end());
        Figures f;
        f.medianMs = ms.at(ms.size() / 2);
        f.p90Ms = ms.at(qMin(ms.size() - 1, qsizetype(ms.size() * 0.9)));
        for (double m : ms)
            f.meanMs += m / ms.size();
        QCoreApplication::processEvents();
        f.requestsPerRun = double(server->log().count(request) - requestsBefore) / runs;
        return f;
    };
    const auto print = [](const char *name, const Figures &f) {
        std::printf("%-52s median %6.1f ms  mean %6.1f ms  p90 %6.1f ms  %.2f requests/run\n", name, f.medianMs,
                    f.meanMs, f.p90Ms, f.requestsPerRun);
    };
    print("A. --no-history", measure({u"--no-history"_s}, false));
    print("B. recorded, plan asked for on every run", measure({}, true));
    print("C. recorded, the kept plan used", measure({}, false));
    // The same through the relay: the plan answers slowPlanMs after it is asked for.
    invoke = invokeOn(u"http://127.0.0.1:%1"_s.arg(relay.serverPort()));
    std::printf("through a relay that holds GET .../plan for %d ms:\n", slowPlanMs);
    print("D. recorded, plan asked for on every run", measure({}, true));
    print("E. recorded, the kept plan used", measure({}, false));
    return server->terminate() == 0 ? 0 : 1;
}
