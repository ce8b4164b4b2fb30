#pragma once
// A client connection as a bare non-blocking socket, for tests that abuse a server: it can
// hold thousands of them open without an object each, send exactly the bytes given, and
// never read (a QTcpSocket reads into its own buffer behind the test's back). Whether the
// server closed it is read from the kernel (TCP_INFO), so a client that never reads still
// sees its connection end.
#include <QtCore/QByteArray>
#include <QtCore/QtGlobal>

namespace invoke::test {

class RawConnection
{
public:
    // Starts connecting to 127.0.0.1:port. `receiveBuffer` > 0 sets SO_RCVBUF first (a
    // client that never reads then holds only that much in the kernel).
    explicit RawConnection(quint16 port, int receiveBuffer = 0);
    ~RawConnection(); // closes the socket
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    bool valid() const { return m_fd >= 0; }
    int error() const { return m_error; } // errno of a failed socket() or connect()
    // The TCP state as the kernel sees it (TCP_ESTABLISHED, TCP_CLOSE_WAIT, ...), -1 on error.
    int state() const;
    bool established() const;
    // The server ended the connection: it sent FIN (CLOSE_WAIT) or reset it (CLOSE).
    bool closedByServer() const;

    // Sends all of `bytes` within `timeoutMs` (false when the server stopped taking them);
    // the event loop runs while it waits.
    bool send(const QByteArray &bytes, int timeoutMs = 10000);
    // Ends our side of the connection (the server reads end of file).
    void shutdownWrite();
    // Reads until the server closes the connection or `timeoutMs` passes (the event loop
    // runs meanwhile); what it sent.
    QByteArray readUntilClosed(int timeoutMs);

private:
    int m_fd = -1;
    int m_error = 0;
};

// The status of an HTTP answer ("HTTP/1.1 431 ..." -> 431), 0 when there is none.
int httpStatus(const QByteArray &answer);
// The "error" text of a JSON answer's body, empty when there is none.
QString httpErrorText(const QByteArray &answer);

} // namespace invoke::test
