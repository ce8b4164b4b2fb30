// Replay-cache hits with 100,000 entries, key computation included (what the action gate
// does for every cacheable step in replay mode): canonical JSON of the key's parts,
// SHA-256, a prepared point query, and parsing the stored output.
// Percentiles come from per-iteration timings. Target: p99 <= 50 us.
//   build/bin/bench_replaycache --benchmark_counters_tabular=true
#include "core/cache/sqlite/sqlitereplaycache.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTemporaryDir>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <random>

#include <time.h>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::cache;

namespace {

constexpr int Entries = 100'000;

// Rendered llm.message parameters of about 500 bytes, distinct per index.
Json parametersFor(int i)
{
    return {
        {"model", "gpt-4o-mini"},
        {"system_prompt", "You are the support assistant of ACME Tools. Answer briefly, in the user's "
                          "language, and name the knowledge-base article you relied on."},
        {"message_history", Json::array({
             {{"role", "user"}, {"content", "Hi, my drill stopped charging after the last update."}},
             {{"role", "assistant"}, {"content", "Sorry to hear that. Which model and battery do you use?"}},
             {{"role", "user"}, {"content", "Model D-" + std::to_string(i % 97) + " with the 4 Ah pack."}},
         })},
        {"query", "Ticket " + std::to_string(i) + ": how do I reset the charger firmware?"},
        {"max_tokens", 512},
        {"temperature", 0.2},
    };
}

Json outputFor(int i)
{
    return {{"content", "To reset the charger firmware, unplug it for ten seconds, then hold the mode "
                        "button while plugging it back in until the LED blinks twice. If the pack still "
                        "does not charge, see KB-" + std::to_string(1000 + i % 500) + " (battery recovery)."},
            {"usage", {{"input_tokens", 180 + i % 40}, {"output_tokens", 60 + i % 20}}},
            {"finish_reason", "stop"}};
}

CacheKeyParts partsFor(const Json &parameters)
{
    return {u"local"_s, u"support-bot"_s, u"2024-05-01T10:00:00.000Z"_s, u"llm.message"_s, parameters};
}

struct Filled
{
    QTemporaryDir dir;
    std::unique_ptr<SqliteReplayCache> cache;
    double fillSeconds = 0;
    qint64 fileBytes = 0;
};

std::unique_ptr<Filled> g_filled; // released in main(), while Qt is still up

Filled &filled()
{
    if (g_filled)
        return *g_filled;
    g_filled = std::make_unique<Filled>();
    {
        Filled &result = *g_filled;
        // INVOKE_BENCH_REPLAY_FILE keeps the filled file between runs (when profiling).
        const QString kept = qEnvironmentVariable("INVOKE_BENCH_REPLAY_FILE");
        result.cache = std::make_unique<SqliteReplayCache>(kept.isEmpty() ? result.dir.filePath(u"replay.sqlite"_s) : kept);
        QString error;
        if (!result.cache->open(&error))
            qFatal("cannot open the cache: %s", qUtf8Printable(error));
        QElapsedTimer timer;
        timer.start();
        const int first = result.cache->stats().entries == Entries ? Entries : 0;
        for (int i = first; i < Entries; ++i) {
            wire::Usage usage;
            usage.inputTokens = 180 + i % 40;
            usage.outputTokens = 60 + i % 20;
            if (!result.cache->store(partsFor(parametersFor(i)), outputFor(i), usage, &error))
                qFatal("store failed: %s", qUtf8Printable(error));
        }
        result.fillSeconds = timer.nsecsElapsed() / 1e9;
        result.fileBytes = result.cache->stats().bytes;
    }
    return *g_filled;
}

// This thread's CPU time: unlike the wall clock it does not count the time the thread sat
// descheduled, which dominates the tail on a shared, oversubscribed machine.
double threadCpuMicros()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

void reportPercentiles(benchmark::State &state, std::vector<double> &micros, const char *prefix = "")
{
    if (micros.empty())
        return;
    std::sort(micros.begin(), micros.end());
    const auto at = [&](double q) { return micros[std::min(micros.size() - 1, size_t(q * double(micros.size())))]; };
    const std::string p(prefix);
    state.counters[p + "p50_us"] = at(0.50);
    state.counters[p + "p90_us"] = at(0.90);
    state.counters[p + "p99_us"] = at(0.99);
    state.counters[p + "max_us"] = micros.back();
}

// The gate's hit path: key computation + lookup (+ output parse inside lookup).
void BM_ReplayHit(benchmark::State &state)
{
    Filled &f = filled();
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> pick(0, Entries - 1);
    std::vector<double> micros;
    std::vector<double> cpuMicros;
    micros.reserve(size_t(state.max_iterations));
    cpuMicros.reserve(size_t(state.max_iterations));
    qint64 paramBytes = 0;
    for (auto _ : state) {
        const int i = pick(rng);
        const Json parameters = parametersFor(i); // the rendered parameters the gate is handed
        const double c0 = threadCpuMicros();
        const auto t0 = std::chrono::steady_clock::now();
        // As the action gate does it.
        const QString key = CacheKeyParts::key(u"local"_s, u"support-bot"_s, u"2024-05-01T10:00:00.000Z"_s,
                                               u"llm.message"_s, parameters);
        const auto entry = f.cache->lookup(key);
        const auto t1 = std::chrono::steady_clock::now();
        cpuMicros.push_back(threadCpuMicros() - c0);
        if (!entry) {
            state.SkipWithError("a lookup missed");
            break;
        }
        benchmark::DoNotOptimize(entry->output);
        const double seconds = std::chrono::duration<double>(t1 - t0).count();
        state.SetIterationTime(seconds);
        micros.push_back(seconds * 1e6);
        paramBytes = qint64(parameters.dump().size());
    }
    reportPercentiles(state, micros);
    reportPercentiles(state, cpuMicros, "cpu_");
    state.counters["entries"] = Entries;
    state.counters["param_bytes"] = double(paramBytes);
    state.counters["fill_s"] = f.fillSeconds;
    state.counters["file_MB"] = double(f.fileBytes) / 1e6;
}
BENCHMARK(BM_ReplayHit)->UseManualTime()->Iterations(200'000)->Unit(benchmark::kMicrosecond);

// The two halves on their own, to see where the time goes.
void BM_KeyOnly(benchmark::State &state)
{
    const Json parameters = parametersFor(7);
    std::vector<double> micros;
    micros.reserve(size_t(state.max_iterations));
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        const QString key = CacheKeyParts::key(u"local"_s, u"support-bot"_s, u"2024-05-01T10:00:00.000Z"_s,
                                               u"llm.message"_s, parameters);
        const auto t1 = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(key.constData());
        const double seconds = std::chrono::duration<double>(t1 - t0).count();
        state.SetIterationTime(seconds);
        micros.push_back(seconds * 1e6);
    }
    reportPercentiles(state, micros);
}
BENCHMARK(BM_KeyOnly)->UseManualTime()->Iterations(200'000)->Unit(benchmark::kMicrosecond);

void BM_LookupOnly(benchmark::State &state)
{
    Filled &f = filled();
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> pick(0, Entries - 1);
    std::vector<double> micros;
    micros.reserve(size_t(state.max_iterations));
    for (auto _ : state) {
        const QString key = partsFor(parametersFor(pick(rng))).key();
        const auto t0 = std::chrono::steady_clock::now();
        const auto entry = f.cache->lookup(key);
        const auto t1 = std::chrono::steady_clock::now();
        if (!entry) {
            state.SkipWithError("a lookup missed");
            break;
        }
        const double seconds = std::chrono::duration<double>(t1 - t0).count();
        state.SetIterationTime(seconds);
        micros.push_back(seconds * 1e6);
    }
    reportPercentiles(state, micros);
}
BENCHMARK(BM_LookupOnly)->UseManualTime()->Iterations(200'000)->Unit(benchmark::kMicrosecond);

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv); // the SQLite driver is a plugin
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    g_filled.reset();
    return 0;
}
