#pragma once
// Gives memory freed by a burst of connections back to the system. glibc's malloc keeps
// what was freed for reuse: small blocks stay on its free lists, the worker threads'
// arenas keep their heaps, and after the first large buffer is freed it serves large
// ones from the heap too. A server that held 500 streams or 5,000 connections would keep
// their hundreds of megabytes resident for good (measured by tests/hardening/
// tst_serverabuse). A moment after connections close, when enough is held free,
// malloc_trim() returns the free pages of every arena (glibc only; elsewhere nothing).
#include <QtCore/QObject>

class QTimer;

namespace invoke::server {

class FreedMemory : public QObject
{
    Q_OBJECT
public:
    explicit FreedMemory(QObject *parent = nullptr);

    // A connection closed: trim within a second, at most once a second.
    void connectionClosed();

private:
    void trimIfWorthIt();

    QTimer *m_timer;
};

} // namespace invoke::server
