#include "app/server/http/guardedtcpserver.h"

#include "app/server/http/requestlog.h"

#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace invoke::server {

namespace {
constexpr int kAcceptPauseMs = 200;   // after accept() failed for lack of descriptors
constexpr int kNoteIntervalMs = 5000; // the least time between two log notes about limits
constexpr int kRefusedLingerMs = 2000;
constexpr int kAcceptBatch = 64;      // connections taken per wake-up, then other work runs

// accept(), the new descriptor non-blocking and closed on exec; -1 with errno.
int acceptOne(int listener)
{
#if defined(__linux__)
    return ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
#else
    const int descriptor = ::accept(listener, nullptr, nullptr);
    if (descriptor >= 0) {
        ::fcntl(descriptor, F_SETFD, FD_CLOEXEC);
        ::fcntl(descriptor, F_SETFL, ::fcntl(descriptor, F_GETFL) | O_NONBLOCK);
    }
    return descriptor;
#endif
}
} // namespace

GuardedTcpServer::GuardedTcpServer(const ConnectionLimits &limits, RequestHandler *handler, QObject *parent)
    : QTcpServer(parent), m_limits(limits), m_handler(handler)
{
    setListenBacklogSize(1024); // hundreds of clients may connect at once
}

bool GuardedTcpServer::start(const QHostAddress &host, quint16 port)
{
    if (!listen(host, port))
        return false;
    QTcpServer::pauseAccepting(); // for good: acceptPending() takes the connections
    m_acceptNotifier = new QSocketNotifier(socketDescriptor(), QSocketNotifier::Read, this);
    connect(m_acceptNotifier, &QSocketNotifier::activated, this, &GuardedTcpServer::acceptPending);
    return true;
}

void GuardedTcpServer::stop()
{
    delete std::exchange(m_acceptNotifier, nullptr); // before its descriptor is closed
    close();
}

void GuardedTcpServer::acceptPending()
{
    for (int taken = 0; taken < kAcceptBatch && m_acceptNotifier; ++taken) {
        const int descriptor = acceptOne(int(socketDescriptor()));
        if (descriptor >= 0) {
            takeConnection(descriptor);
            continue;
        }
        const int error = errno;
        if (error == EINTR || error == ECONNABORTED)
            continue; // a client that left before it was accepted
        if (error == EAGAIN || error == EWOULDBLOCK)
            return; // no more for now
        const bool outOfDescriptors = error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM;
        if (outOfDescriptors)
            closeLongestIdle(); // a descriptor for the next one, at the cost of the longest-idle
        pauseAccepting(outOfDescriptors ? u"out of file descriptors"_s : u"accept failed"_s, error);
        return;
    }
}

void GuardedTcpServer::pauseAccepting(const QString &why, int error)
{
    // Without a pause, the pending connection that cannot be taken would wake the event
    // loop again at once, and again.
    m_acceptNotifier->setEnabled(false);
    noteRateLimited(Note::Accept, u"%1 (%2): pausing new connections for %3 ms"_s
                                      .arg(why, QString::fromLocal8Bit(std::strerror(error))).arg(kAcceptPauseMs));
    QTimer::singleShot(kAcceptPauseMs, this, [this] {
        if (m_acceptNotifier)
            m_acceptNotifier->setEnabled(true);
    });
}

void GuardedTcpServer::noteRateLimited(Note kind, const QString &text)
{
    NoteState &state = m_notes[size_t(kind)];
    const qint64 now = ConnectionGuard::nowMs();
    if (state.lastMs >= 0 && now - state.lastMs < kNoteIntervalMs) {
        ++state.suppressed;
        return;
    }
    writeLogNote(state.suppressed > 0 ? text + u" (and %1 more like it since the last note)"_s.arg(state.suppressed) : text);
    state.lastMs = now;
    state.suppressed = 0;
}

void GuardedTcpServer::takeConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        ::close(int(descriptor));
        return;
    }
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    const bool atCeiling = m_guards.size() >= m_limits.maxConnections;
    if (atCeiling)
        noteRateLimited(Note::Ceiling, u"%1 connections, the most (--max-connections): closing the longest-idle ones "
                                       "to admit new ones"_s.arg(m_guards.size()));
    if (atCeiling && !closeLongestIdle()) {
        noteRateLimited(Note::Busy, u"%1 connections, all busy (--max-connections): a new one was refused with 503"_s
                            .arg(m_guards.size()));
        const QByteArray body = "{\"error\":\"the server has " + QByteArray::number(m_guards.size())
            + " connections busy, its most (--max-connections); try again later\"}\n";
        socket->write(responseHead(503, {{"Content-Type", "application/json"},
                                         {"Content-Length", QByteArray::number(body.size())},
                                         {"Connection", "close"}})
                      + body);
        socket->disconnectFromHost();
        QTimer::singleShot(kRefusedLingerMs, socket, [socket] { socket->abort(); });
        return;
    }
    auto *guard = new ConnectionGuard(socket, m_limits, m_handler);
    m_guards.insert(guard);
    connect(socket, &QTcpSocket::disconnected, this, [this, guard] { forget(guard); });
    connect(socket, &QObject::destroyed, this, [this, guard] { forget(guard); });
}

void GuardedTcpServer::forget(ConnectionGuard *guard)
{
    if (m_guards.remove(guard))
        m_freed.connectionClosed();
}

bool GuardedTcpServer::closeLongestIdle()
{
    ConnectionGuard *oldest = nullptr;
    for (ConnectionGuard *guard : std::as_const(m_guards))
        if (!guard->requestInFlight() && (!oldest || guard->lastActivityMs() < oldest->lastActivityMs()))
            oldest = guard;
    if (!oldest)
        return false;
    forget(oldest);
    oldest->socket()->abort();
    return true;
}

} // namespace invoke::server
