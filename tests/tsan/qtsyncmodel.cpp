// Qt's orderings between threads, told to ThreadSanitizer (the tsan preset links this file
// into every executable; docs/hardening.md). Debian's Qt is not built with
// -fsanitize=thread: the locks and atomics inside libQt6Core that order a posted event
// before its delivery, or a thread's last work before QThread::wait() returns, are
// invisible to TSan, so it reports every hand-over through Qt as a race (the ~176 reports of
// the first run). This file adds those orderings, and only those, at the points where Qt
// makes them, through TSan's public annotations (sanitizer/tsan_interface.h):
//
//  1. A posted event (queued signals and calls, QFutureWatcher's results, QNetworkAccess-
//     Manager's thread): QCoreApplication::postEvent queues the event under the receiving
//     thread's post-event lock, then wakes that thread's glib main context
//     (QEventDispatcherGlib::wakeUp -> g_main_context_wakeup, called through the PLT, so the
//     definition below is the one that runs): release on that context. Every event the
//     thread then delivers passes QCoreApplication::notifyInternal2's
//     QInternal::EventNotifyCallback: acquire on the thread's own context. As in Qt, what a
//     thread did before posting to another thread happens before what that thread does
//     after taking its events.
//  2. A thread's end: QThreadPrivate::finish deletes the thread's event dispatcher after
//     run() and finished() (~QEventDispatcherGlib -> g_main_context_pop_thread_default,
//     through the PLT): release on the QThread. QThread::wait() returning true: acquire on
//     it.
//  3. A functor Qt calls (QMetaObject::invokeMethod: core/backend/localinvocation.cpp's
//     flush, core/history/runhistory.cpp's blocking calls; the function-pointer
//     QObject::connect): the functor is wrapped; its making is released and acquired by
//     each call, each call is released and acquired where it is freed (a blocking caller
//     frees it after the other thread ran it; a worker that disconnects frees it after the
//     owner's thread ran a queued call). This needs no wake-up, so it also holds for a
//     thread whose event loop has not started.
//  4. A task given to a QThreadPool (core/backend/localbackend.cpp): the pool's queue is a
//     QMutex inside Qt. Release when the task is handed over, acquire when it starts.
//
// Point 1 is wider than Qt in one way: a delivery acquires everything posted to its thread so
// far, not only its own event (docs/hardening.md says what that can hide). Otherwise nothing
// here orders two pieces of our code that Qt does not order: a race in our code still shows
// (tests/tsan/tsan_calibration.cpp proves it for each kind of thread).
#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtCore/QThreadPool>

#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>

namespace {

template <typename Function>
Function realFunction(const char *mangledName)
{
    void *symbol = dlsym(RTLD_NEXT, mangledName);
    if (!symbol) {
        std::fprintf(stderr, "qtsyncmodel: %s not found in Qt or glib\n", mangledName);
        std::abort();
    }
    return reinterpret_cast<Function>(symbol);
}

using ContextFunction = void *(*)();

// The glib main context that QEventDispatcherGlib pushed as this thread's default (the
// global default context for the main thread); nullptr in a thread without one.
void *currentContext()
{
    static const auto threadDefault = reinterpret_cast<ContextFunction>(dlsym(RTLD_DEFAULT, "g_main_context_get_thread_default"));
    static const auto globalDefault = reinterpret_cast<ContextFunction>(dlsym(RTLD_DEFAULT, "g_main_context_default"));
    if (!threadDefault || !globalDefault)
        return nullptr;
    void *context = threadDefault();
    return context ? context : globalDefault();
}

// 1. Delivery: every event passes here before its receiver sees it.
bool beforeDelivery(void **)
{
    if (void *context = currentContext())
        __tsan_acquire(context);
    return false; // deliver as usual
}

bool calledFromQtCore(void *returnAddress)
{
    Dl_info info{};
    return dladdr(returnAddress, &info) && info.dli_fname && std::strstr(info.dli_fname, "libQt6Core");
}

// 3. A functor Qt calls, wrapped. The wrapper is entered with `self` in a register, so each
// acquire comes before any read of what the other thread wrote. Two keys: `made` orders the
// functor's making before each call; `done` orders each call before the functor is freed,
// which Qt does wherever the slot object's last reference (an atomic inside QtCore) is
// dropped: a blocking caller after the other thread ran it, a worker disconnecting after the
// owner's thread ran a queued call. Calls are not ordered with each other, so two threads
// running one directly connected functor at once are still reported.
class OrderedSlot : public QtPrivate::QSlotObjectBase
{
public:
    explicit OrderedSlot(QtPrivate::QSlotObjectBase *inner) : QSlotObjectBase(&impl), m_inner(inner)
    {
        __tsan_release(&m_made);
    }

private:
    static void impl(int which, QSlotObjectBase *self, QObject *receiver, void **args, bool *ret)
    {
        auto *slot = static_cast<OrderedSlot *>(self);
        switch (which) {
        case Call:
            __tsan_acquire(&slot->m_made);
            slot->m_inner->call(receiver, args);
            __tsan_release(&slot->m_done);
            break;
        case Compare:
            *ret = slot->m_inner->compare(args);
            break;
        case Destroy:
            __tsan_acquire(&slot->m_made); // freed without a call: ordered after its making
            __tsan_acquire(&slot->m_done);
            slot->m_inner->destroyIfLastRef();
            delete slot;
            break;
        default:
            break;
        }
    }

    QtPrivate::QSlotObjectBase *m_inner;
    char m_made = 0; // addresses for TSan only
    char m_done = 0;
};

struct Registration
{
    Registration() { QInternal::registerCallback(QInternal::EventNotifyCallback, &beforeDelivery); }
};
const Registration registration;

} // namespace

// 1. Posting: QEventDispatcherGlib::wakeUp, after the event is queued.
extern "C" void g_main_context_wakeup(void *context)
{
    static const auto real = realFunction<void (*)(void *)>("g_main_context_wakeup");
    __tsan_release(context);
    real(context);
}

// 2. A thread's end: ~QEventDispatcherGlib in QThreadPrivate::finish.
extern "C" void g_main_context_pop_thread_default(void *context)
{
    static const auto real = realFunction<void (*)(void *)>("g_main_context_pop_thread_default");
    if (calledFromQtCore(__builtin_return_address(0)))
        __tsan_release(QThread::currentThread());
    real(context);
}

bool QThread::wait(QDeadlineTimer deadline)
{
    static const auto real = realFunction<bool (*)(QThread *, QDeadlineTimer)>("_ZN7QThread4waitE14QDeadlineTimer");
    const bool ended = real(this, deadline);
    if (ended)
        __tsan_acquire(this);
    return ended;
}

// 3. Every functor called through QMetaObject::invokeMethod (queued, blocking, or direct:
// the wrapper costs nothing there) and every functor or member-function slot connected with
// the function-pointer QObject::connect.
bool QMetaObject::invokeMethodImpl(QObject *object, QtPrivate::QSlotObjectBase *slot, Qt::ConnectionType type, void *ret)
{
    static const auto real = realFunction<bool (*)(QObject *, QtPrivate::QSlotObjectBase *, Qt::ConnectionType, void *)>(
        "_ZN11QMetaObject16invokeMethodImplEP7QObjectPN9QtPrivate15QSlotObjectBaseEN2Qt14ConnectionTypeEPv");
    return real(object, new OrderedSlot(slot), type, ret);
}

QMetaObject::Connection QObject::connectImpl(const QObject *sender, void **signal, const QObject *receiver,
                                             void **slotPointer, QtPrivate::QSlotObjectBase *slot,
                                             Qt::ConnectionType type, const int *types,
                                             const QMetaObject *senderMetaObject)
{
    static const auto real = realFunction<QMetaObject::Connection (*)(
        const QObject *, void **, const QObject *, void **, QtPrivate::QSlotObjectBase *, Qt::ConnectionType,
        const int *, const QMetaObject *)>(
        "_ZN7QObject11connectImplEPKS_PPvS1_S3_PN9QtPrivate15QSlotObjectBaseEN2Qt14ConnectionTypeEPKiPK11QMetaObject");
    return real(sender, signal, receiver, slotPointer, slot ? new OrderedSlot(slot) : nullptr, type, types,
                senderMetaObject);
}

// 4. The task is held in a functor of ours on the heap; the pool thread enters it with
// `this` in a register, so the acquire comes before any read of what the caller wrote.
namespace {
struct OrderedTask
{
    std::function<void()> task;
    void operator()()
    {
        __tsan_acquire(this);
        task();
    }
};

std::function<void()> orderedTask(std::function<void()> task)
{
    std::function<void()> ordered = OrderedTask{std::move(task)}; // too big to be stored inline
    __tsan_release(ordered.target<OrderedTask>()); // moving a std::function keeps its functor where it is
    return ordered;
}
} // namespace

void QThreadPool::start(std::function<void()> functionToRun, int priority)
{
    static const auto real = realFunction<void (*)(QThreadPool *, std::function<void()> *, int)>(
        "_ZN11QThreadPool5startESt8functionIFvvEEi");
    std::function<void()> ordered = orderedTask(std::move(functionToRun));
    real(this, &ordered, priority);
}

bool QThreadPool::tryStart(std::function<void()> functionToRun)
{
    static const auto real = realFunction<bool (*)(QThreadPool *, std::function<void()> *)>(
        "_ZN11QThreadPool8tryStartESt8functionIFvvEE");
    std::function<void()> ordered = orderedTask(std::move(functionToRun));
    return real(this, &ordered);
}
