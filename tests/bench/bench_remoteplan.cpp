// What recording a remote run's plan costs invoke-cli (issue 14; run by hand):
//   build/bin/bench_remoteplan [--runs 40]
// The real invoke-server (bundled bots, --insecure-no-auth) and N processes of
// `invoke-cli invoke chat -m hi --mode manual --endpoint URL` (a short run: the bundled
// mock set answers), each configuration in turn:
//   A. --no-history: nothing recorded (the floor);
//   B. recorded, the kept plans removed before each run: every run asks
//      GET /bots/chat/plan beside its POST, as every run did before the plan was kept
//      (core/backend/remoteplancache.h);
//   C. recorded, the plan kept from the run before: the invoke answer's
//      Invoke-Bot-Updated-At matches it, and no plan is asked for.
// For each: wall time per process (median, mean, p90) and the requests the server logged
// per run. Figures on this 2-core machine, 2026-12-07, 40 runs each (other builds running):
//   A. --no-history                              median 12.8 ms, mean 15.5 ms, 1 request/run
//   B. recorded, plan asked for on every run     median 35.8 ms, mean 37.5 ms, 2 requests/run
//   C. recorded, the kept plan used              median 36.3 ms, mean 37.3 ms, 1 request/run
//   (the build before the plan was kept, by a shell loop of 30 runs: median 35.5 ms recorded,
//   21.6 ms --no-history, 2 requests/run.) On loopback the plan's GET runs beside the POST and
//   is back before the run ends, so C saves the request, not time; what recording still costs
//   (~23 ms) is the history's own work (core/history: the file, its writer thread, commits
//   synced to disk: strace shows its fdatasync calls after the run's output).
//   The time C saves is the plan's answer time whenever that outlasts the run (a busy or far
//   server; RunHistory::flush waited up to 5 s for it).
#include "tests/support/cliprocess.h"
#include "tests/support/serverprocess.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>

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
    auto server = test::ServerProcess::launch({u"--insecure-no-auth"_s, u"--cache"_s, home.filePath(u"server.sqlite"_s)},
                                              test::ServerProcess::scratchEnvironment(home.filePath(u"server"_s)));
    if (!server)
        return 1;
    const QProcessEnvironment cli = test::ServerProcess::scratchEnvironment(home.filePath(u"developer"_s));
    const QString keptPlans = cli.value(u"XDG_CACHE_HOME"_s) + u"/Invoke Studio/invoke-studio/remote-plans"_s;
    const QStringList invoke{u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--mode"_s, u"manual"_s, u"--endpoint"_s,
                             server->url({}).toString()};
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
    return server->terminate() == 0 ? 0 : 1;
}
