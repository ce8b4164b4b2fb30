// The figures issue 13 asks for, measured on the real programs (run by hand):
//   build/bin/bench_agenttests [--cases 1000] [--live 64] [--flat 10000]
// 1. N replay-hit cases in one `invoke-cli test --offline` run against N separate
//    `invoke-cli invoke --mode replay` processes (the same answers from the same cache);
// 2. with a stub LLM that answers after 200 ms, `invoke-cli test -j 16` against `-j 1`
//    on 64 live cases;
// 3. resident memory of one process while TestRunner runs 10,000 manual cases on the
//    embedded engine, sampled every 1,000 verdicts (flat: no run is kept after its verdict).
#include "core/agenttests/testfileparser.h"
#include "core/agenttests/testrunner.h"
#include "core/backend/localbackend.h"
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

QByteArray testsFile(int cases, const char *mode, const QString &prefix)
{
    Json tests = Json::array();
    for (int i = 0; i < cases; ++i)
        tests.push_back(Json{{"name", toStd(u"%1 %2"_s.arg(prefix).arg(i))},
                             {"bot", "chat"},
                             {"messages", Json::array({Json{{"role", "user"}, {"content", toStd(u"%1 %2"_s.arg(prefix).arg(i))}}})},
                             {"mode", mode},
                             {"expect", Json::array({Json{{"text_contains", "stub"}}})}});
    return dumpJson(Json{{"tests", tests}}, 1);
}

double seconds(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e9;
}

qint64 residentKiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}

int argument(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
}

void replayHits(test::OpenAiStubServer &llm, const QString &home, int cases)
{
    const QProcessEnvironment env = test::ServerProcess::scratchEnvironment(home, llm.baseUrl());
    llm.setReply(test::StubReply::text({u"a stub answer"_s}, 10, 3));
    const QString file = test::writeFile(home + u"/replay.tests.json"_s, testsFile(cases, "replay", u"question"_s));
    test::CliRun record = test::runProcess(test::cliProgram(), {u"test"_s, file, u"--json"_s}, env, home, {}, 600000);
    if (record.exitCode != 0) {
        std::printf("recording failed: %s\n", qPrintable(record.err.right(2000)));
        return;
    }
    QElapsedTimer one;
    one.start();
    const test::CliRun offline = test::runProcess(test::cliProgram(), {u"test"_s, file, u"--offline"_s, u"--json"_s},
                                                  env, home, {}, 600000);
    const double oneRun = seconds(one);
    QElapsedTimer many;
    many.start();
    int failures = 0;
    for (int i = 0; i < cases; ++i) {
        const test::CliRun r = test::runProcess(test::cliProgram(),
                                                {u"invoke"_s, u"chat"_s, u"-m"_s, u"question %1"_s.arg(i), u"--mode"_s,
                                                 u"replay"_s, u"--format"_s, u"json"_s},
                                                env, home);
        failures += r.exitCode != 0;
    }
    const double manyRuns = seconds(many);
    std::printf("1. %d replay-hit cases\n", cases);
    std::printf("   one `invoke-cli test --offline` run:      %8.2f s (exit %d)\n", oneRun, offline.exitCode);
    std::printf("   %d `invoke-cli invoke` processes:       %8.2f s (%d failed)\n", cases, manyRuns, failures);
    std::printf("   speed-up:                                 %8.1fx (target >= 20x)\n\n", manyRuns / oneRun);
}

void liveParallel(test::OpenAiStubServer &llm, const QString &home, int cases)
{
    const QProcessEnvironment env = test::ServerProcess::scratchEnvironment(home, llm.baseUrl());
    test::StubReply slow = test::StubReply::text({u"a stub answer"_s}, 10, 3);
    slow.delayMs = 200;
    llm.setReply(slow);
    const QString file = test::writeFile(home + u"/live.tests.json"_s, testsFile(cases, "live", u"live question"_s));
    const auto timed = [&](const QString &jobs) {
        QElapsedTimer t;
        t.start();
        const test::CliRun r = test::runProcess(test::cliProgram(), {u"test"_s, file, u"-j"_s, jobs, u"--json"_s}, env,
                                                home, {}, 600000);
        if (r.exitCode != 0)
            std::printf("   -j %s: exit %d: %s\n", qPrintable(jobs), r.exitCode, qPrintable(r.err.right(500)));
        return seconds(t);
    };
    const double serial = timed(u"1"_s);
    const double parallel = timed(u"16"_s);
    std::printf("2. %d live cases, the LLM answering after 200 ms\n", cases);
    std::printf("   -j 1:   %6.2f s\n   -j 16:  %6.2f s\n", serial, parallel);
    std::printf("   speed-up: %.1fx (target >= 10x)\n\n", serial / parallel);
}

void flatMemory(const QString &home, int cases)
{
    LocalBackend::Options o;
    o.botFolders = {u":/bots"_s};
    o.replayCacheFile = home + u"/flat.sqlite"_s;
    o.datasetFolders = {u":/datasets"_s};
    o.datasetIndexFile = home + u"/flat-index.sqlite"_s;
    LocalBackend backend(o);
    QList<agenttests::QueuedCase> queued;
    QString why;
    for (int i = 0; i < cases; ++i) {
        agenttests::TestCase c;
        c.name = u"case %1"_s.arg(i);
        c.request.botKey = u"chat"_s;
        c.request.messages = {Message::user(u"hello %1"_s.arg(i))};
        c.request.mode = Mode::manual();
        c.expect = {*agenttests::parseAssertion(Json{{"text_contains", "Hello"}}, &why)};
        queued.append({u"flat"_s, c});
    }
    agenttests::TestRunner runner(backend, {.jobs = 4});
    int done = 0, passed = 0;
    QList<std::pair<int, qint64>> samples{{0, residentKiB()}};
    QObject::connect(&runner, &agenttests::TestRunner::caseFinished, &runner,
                     [&](int, const agenttests::CaseResult &r) {
                         passed += r.status == agenttests::CaseStatus::Passed;
                         if (++done % 1000 == 0)
                             samples.append({done, residentKiB()});
                     });
    QEventLoop loop; // not QTest::qWaitFor, which sleeps between its looks
    QObject::connect(&runner, &agenttests::TestRunner::finished, &loop, &QEventLoop::quit);
    QElapsedTimer t;
    t.start();
    runner.start(queued);
    loop.exec();
    std::printf("3. %d manual cases in one process (TestRunner, -j 4): %d passed in %.1f s\n", cases, passed, seconds(t));
    std::printf("   verdicts   resident MiB\n");
    for (const auto &[n, kib] : samples)
        std::printf("   %8d   %8.1f\n", n, double(kib) / 1024.0);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    QTemporaryDir home;
    test::OpenAiStubServer llm;
    if (!home.isValid() || !llm.listen()) {
        std::printf("cannot set up the scratch folder or the stub LLM\n");
        return 1;
    }
    replayHits(llm, home.filePath(u"a"_s), argument(args, u"--cases"_s, 1000));
    liveParallel(llm, home.filePath(u"b"_s), argument(args, u"--live"_s, 64));
    flatMemory(home.path(), argument(args, u"--flat"_s, 10000));
    return 0;
}
