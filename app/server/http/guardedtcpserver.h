#pragma once
// The listening socket of invoke-server: every connection comes with a ConnectionGuard,
// and the number of connections has a ceiling (--max-connections, by default sized to
// the process's file limit). At the ceiling the longest-idle connection without a
// request in flight is closed to admit the new one (a stream or a request being handled
// is never closed for this); when every one is busy, the newcomer gets 503. When accept()
// fails for lack of file descriptors the server frees one the same way and pauses
// accepting for a moment, instead of being woken for the same pending connection again
// and again.
//
// It accepts by itself: QTcpServer (Qt 6.4) keeps the first error its socket engine ever
// saw, so after one routine EAGAIN an EMFILE reads as "temporary", acceptError never
// comes, and the event loop spins on the pending connection at 100% CPU. QTcpServer
// only binds and listens here.
#include "app/server/http/connectionguard.h"
#include "app/server/http/freedmemory.h"

#include <QtCore/QSocketNotifier>
#include <QtNetwork/QTcpServer>

#include <QtCore/QSet>

#include <array>

namespace invoke::server {

class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    GuardedTcpServer(const ConnectionLimits &limits, RequestHandler *handler, QObject *parent = nullptr);

    // Binds and listens; false with errorString() when the address is taken or bad.
    bool start(const QHostAddress &host, quint16 port);
    // No new connections (the open ones go on).
    void stop();
    qsizetype connectionCount() const { return m_guards.size(); }

private:
    void acceptPending();
    void takeConnection(qintptr descriptor);
    void pauseAccepting(const QString &why, int error);
    bool closeLongestIdle(); // false when every connection has a request in flight
    void forget(ConnectionGuard *guard);
    enum class Note { Ceiling, Busy, Accept };
    void noteRateLimited(Note kind, const QString &text);

    ConnectionLimits m_limits;
    RequestHandler *m_handler;
    QSocketNotifier *m_acceptNotifier = nullptr;
    QSet<ConnectionGuard *> m_guards;
    FreedMemory m_freed; // what a closed connection's requests and streams held
    struct NoteState
    {
        qint64 lastMs = -1; // at most one note of a kind every few seconds
        qint64 suppressed = 0;
    };
    std::array<NoteState, 3> m_notes; // by Note
};

} // namespace invoke::server
