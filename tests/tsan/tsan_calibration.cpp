// Calibration of the ThreadSanitizer run (preset tsan, docs/hardening.md): proof that its
// settings (tests/tsan.supp, TSAN_OPTIONS in CMakePresets.json) still report a race in our
// own code, and do not report the ways our code hands data between threads through Qt.
//
//   tsan_calibration CASE
//
// race_* cases are real data races, made the ways our code runs on other threads (a QThread,
// the global QThreadPool, a slot called from the event loop, a QPromise's worker); their
// ctest tests pass only when TSan reports the race in this file. handoff_* cases are the
// patterns our worker-thread code uses (core/backend/localinvocation.cpp,
// core/backend/localbackend.cpp, core/history/runhistory.cpp): correct in Qt, but ordered by
// Qt's own locks, which an uninstrumented Qt hides from TSan. Their tests pass only when
// TSan says nothing.
#include <QtCore/QCoreApplication>
#include <QtCore/QFutureWatcher>
#include <QtCore/QList>
#include <QtCore/QMetaMethod>
#include <QtCore/QPromise>
#include <QtCore/QThread>
#include <QtCore/QThreadPool>
#include <QtCore/QTimer>

#include <atomic>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

// What the cases share between threads: plain members, as in our classes.
struct Shared
{
    int counter = 0;
    int after = 0;
    QString text;
};

// A spin that lets the other thread run; the atomic is not where the race is.
void waitFor(const std::atomic<bool> &flag)
{
    while (!flag.load())
        QThread::yieldCurrentThread();
}

// --- races: TSan must report each ------------------------------------------------------

// Two QThreads: one writes, the other reads, nothing orders them.
int raceBetweenThreads()
{
    Shared shared;
    std::atomic<bool> started{false};
    std::unique_ptr<QThread> writer(QThread::create([&] {
        started = true;
        for (int i = 0; i < 1000; ++i)
            shared.counter = i; // races with the read below
    }));
    writer->start();
    waitFor(started);
    int seen = 0;
    for (int i = 0; i < 1000; ++i)
        seen += shared.counter;
    writer->wait();
    return seen >= 0 ? 0 : 1;
}

// A worker keeps writing after it posted a queued call; the slot, called by the owner's
// event loop, reads what the worker writes afterwards. The queued call orders only what was
// written before it was posted. The two relaxed flags only make both sides overlap; they
// order nothing.
class Receiver : public QObject
{
public:
    Shared shared;
    int reads = 0;
    std::atomic<bool> entered{false};
    std::atomic<bool> written{false};
    void onTick()
    {
        entered.store(true, std::memory_order_relaxed);
        while (!written.load(std::memory_order_relaxed))
            QThread::yieldCurrentThread();
        reads += shared.after; // races with the write after the post
    }
};

int raceAfterQueuedCall()
{
    Receiver receiver;
    std::unique_ptr<QThread> worker(QThread::create([&] {
        QMetaObject::invokeMethod(&receiver, &Receiver::onTick, Qt::QueuedConnection);
        while (!receiver.entered.load(std::memory_order_relaxed))
            QThread::yieldCurrentThread();
        receiver.shared.after = 1;
        receiver.written.store(true, std::memory_order_relaxed);
    }));
    QObject::connect(worker.get(), &QThread::finished, qApp, &QCoreApplication::quit, Qt::QueuedConnection);
    worker->start();
    QCoreApplication::exec();
    worker->wait();
    return receiver.reads == 1 ? 0 : 1;
}

// A task on the global QThreadPool (LocalBackend's listings run there) writes what the
// main thread reads with no order between them.
int raceWithPoolTask()
{
    Shared shared;
    std::atomic<bool> started{false};
    std::atomic<bool> done{false};
    QThreadPool::globalInstance()->start([&] {
        started = true;
        for (int i = 0; i < 1000; ++i)
            shared.counter = i; // races with the read below
        done = true;
    });
    waitFor(started);
    int seen = 0;
    for (int i = 0; i < 1000; ++i)
        seen += shared.counter;
    waitFor(done);
    QThreadPool::globalInstance()->waitForDone();
    return seen >= 0 ? 0 : 1;
}

// A promise's worker writes after it finished the promise; the watcher's slot reads it.
int raceAfterPromise()
{
    auto shared = std::make_shared<Shared>();
    auto promise = std::make_shared<QPromise<int>>();
    QFutureWatcher<int> watcher;
    int result = 0;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, qApp, [&] {
        result = watcher.result() + shared->after; // races with the write after finish()
        QCoreApplication::quit();
    });
    watcher.setFuture(promise->future());
    QThreadPool::globalInstance()->start([promise, shared] {
        promise->start();
        promise->addResult(1);
        promise->finish();
        for (int i = 0; i < 1000; ++i)
            shared->after = i;
    });
    QCoreApplication::exec();
    QThreadPool::globalInstance()->waitForDone();
    return result > 0 ? 0 : 1;
}

// One functor connected directly to a signal that two threads emit at once: both run it
// concurrently (tests/tsan/qtsyncmodel.cpp wraps connected functors, and must not order one
// call after another).
int raceInDirectSlot()
{
    QObject sender;
    Shared shared;
    QObject::connect(&sender, &QObject::objectNameChanged, &sender,
                     [&shared](const QString &) { ++shared.counter; }, // races between the emitters
                     Qt::DirectConnection);
    const int signalIndex = QMetaMethod::fromSignal(&QObject::objectNameChanged).methodIndex()
                            - QObject::staticMetaObject.methodOffset();
    std::atomic<int> ready{0};
    auto emitMany = [&] {
        ready.fetch_add(1, std::memory_order_relaxed);
        while (ready.load(std::memory_order_relaxed) < 2)
            QThread::yieldCurrentThread();
        QString name = u"emitted"_s;
        void *args[] = {nullptr, &name};
        for (int i = 0; i < 200; ++i)
            QMetaObject::activate(&sender, &QObject::staticMetaObject, signalIndex, args);
    };
    std::unique_ptr<QThread> first(QThread::create(emitMany));
    std::unique_ptr<QThread> second(QThread::create(emitMany));
    first->start();
    second->start();
    first->wait();
    second->wait();
    return shared.counter > 0 ? 0 : 1;
}

// --- handoffs: correct, TSan must stay silent ------------------------------------------

// LocalInvocation::enqueue -> flush: the worker fills a batch, hands it over in a queued
// call's arguments, and never touches it again; the owner's slot reads it.
int handoffQueuedCall()
{
    Receiver receiver;
    QList<Shared> received;
    std::unique_ptr<QThread> worker(QThread::create([&] {
        for (int i = 0; i < 200; ++i) {
            QList<Shared> batch(3);
            for (Shared &item : batch) {
                item.counter = i;
                item.text = QString::number(i);
            }
            QMetaObject::invokeMethod(&receiver, [&received, batch] { received += batch; }, Qt::QueuedConnection);
        }
    }));
    QObject::connect(worker.get(), &QThread::finished, qApp, &QCoreApplication::quit, Qt::QueuedConnection);
    worker->start();
    QCoreApplication::exec();
    worker->wait();
    QCoreApplication::processEvents(); // the calls posted before the quit
    int sum = 0;
    for (const Shared &item : std::as_const(received))
        sum += item.counter + int(item.text.size());
    return received.size() == 600 && sum > 0 ? 0 : 1;
}

// EventBatcher, RemoteInvocation: a queued signal whose argument the worker wrote, copied
// by Qt into the posted event and read by the owner's slot.
int handoffQueuedSignal()
{
    QObject receiver;
    int sum = 0;
    int calls = 0;
    std::unique_ptr<QThread> worker(QThread::create([&] {
        QObject sender; // lives in the worker; its signal crosses to the receiver's thread
        QObject::connect(&sender, &QObject::objectNameChanged, &receiver, [&](const QString &name) {
            for (const QChar c : name)
                sum += c.unicode();
            ++calls;
        });
        for (int i = 0; i < 200; ++i) {
            QString name(64, Qt::Uninitialized);
            for (qsizetype k = 0; k < name.size(); ++k)
                name[k] = QChar(char16_t(u'a' + (i + k) % 26));
            sender.setObjectName(name);
        }
    }));
    QObject::connect(worker.get(), &QThread::finished, qApp, &QCoreApplication::quit, Qt::QueuedConnection);
    worker->start();
    QCoreApplication::exec();
    worker->wait();
    QCoreApplication::processEvents();
    return calls == 200 && sum > 0 ? 0 : 1;
}

// RunHistory's destructor: a call blocks until the object's thread ran it; the caller then
// frees what the call read.
class Writer : public QObject
{
public:
    std::map<int, QString> rows;
    void close() { rows.clear(); }
};

int handoffBlockingCall()
{
    QThread thread;
    auto *writer = new Writer;
    writer->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, writer, &QObject::deleteLater);
    thread.start();
    for (int i = 0; i < 50; ++i) {
        auto row = std::make_unique<QString>(QString::number(i));
        QMetaObject::invokeMethod(writer, [writer, text = row.get(), i] { writer->rows[i] = *text; },
                                  Qt::BlockingQueuedConnection);
        row.reset(); // the call has run: its thread no longer reads it
    }
    QMetaObject::invokeMethod(writer, [writer] { writer->close(); }, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
    return 0;
}

// LocalBackend's listings: a pool task computes a value, a QPromise hands it to a watcher
// in the caller's thread.
int handoffPromise()
{
    auto promise = std::make_shared<QPromise<Shared>>();
    QFutureWatcher<Shared> watcher;
    Shared got;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, qApp, [&] {
        got = watcher.result();
        QCoreApplication::quit();
    });
    watcher.setFuture(promise->future());
    QThreadPool::globalInstance()->start([promise] {
        promise->start();
        Shared value;
        value.counter = 42;
        value.text = QStringLiteral("from the pool");
        promise->addResult(value);
        promise->finish();
    });
    QCoreApplication::exec();
    QThreadPool::globalInstance()->waitForDone();
    return got.counter == 42 && got.text == QStringLiteral("from the pool") ? 0 : 1;
}

// A QThread's work is read after QThread::wait().
int handoffThreadEnd()
{
    Shared shared;
    std::unique_ptr<QThread> worker(QThread::create([&] {
        shared.counter = 7;
        shared.text = QStringLiteral("written by the worker");
    }));
    worker->start();
    worker->wait();
    return shared.counter == 7 && !shared.text.isEmpty() ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const std::map<QString, std::function<int()>> cases = {
        {u"race_threads"_s, raceBetweenThreads},
        {u"race_after_queued_call"_s, raceAfterQueuedCall},
        {u"race_pool_task"_s, raceWithPoolTask},
        {u"race_after_promise"_s, raceAfterPromise},
        {u"race_in_direct_slot"_s, raceInDirectSlot},
        {u"handoff_queued_call"_s, handoffQueuedCall},
        {u"handoff_queued_signal"_s, handoffQueuedSignal},
        {u"handoff_blocking_call"_s, handoffBlockingCall},
        {u"handoff_promise"_s, handoffPromise},
        {u"handoff_thread_end"_s, handoffThreadEnd},
    };
    const QString name = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    const auto it = cases.find(name);
    if (it == cases.end()) {
        std::fprintf(stderr, "usage: tsan_calibration CASE (race_threads, race_after_queued_call, race_pool_task, "
                             "race_after_promise, race_in_direct_slot, handoff_queued_call, handoff_queued_signal, handoff_blocking_call, handoff_promise, "
                             "handoff_thread_end)\n");
        return 2;
    }
    QTimer::singleShot(60000, [] { std::fprintf(stderr, "timed out\n"); std::_Exit(3); });
    const int status = it->second();
    std::printf("%s: %s\n", qPrintable(name), status == 0 ? "ran" : "wrong result");
    return status;
}
