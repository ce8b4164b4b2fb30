#include "tests/hardening/rawconnection.h"

#include "core/model/json/json.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace invoke::test {

RawConnection::RawConnection(quint16 port, int receiveBuffer)
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        m_error = errno;
        return;
    }
    if (receiveBuffer > 0)
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0 && errno != EINPROGRESS)
        m_error = errno;
}

RawConnection::~RawConnection()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

int RawConnection::state() const
{
    if (m_fd < 0)
        return -1;
    tcp_info info{};
    socklen_t size = sizeof info;
    if (::getsockopt(m_fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0)
        return -1;
    return info.tcpi_state;
}

bool RawConnection::established() const
{
    const int s = state();
    return s == TCP_ESTABLISHED;
}

bool RawConnection::closedByServer() const
{
    const int s = state();
    return s == TCP_CLOSE_WAIT || s == TCP_CLOSE;
}

bool RawConnection::send(const QByteArray &bytes, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    qsizetype sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(m_fd, bytes.constData() + sent, size_t(bytes.size() - sent), MSG_NOSIGNAL);
        if (n > 0) {
            sent += n;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN)
            return false;
        if (deadline.hasExpired())
            return false;
        pollfd p{m_fd, POLLOUT, 0};
        ::poll(&p, 1, 20);
        QCoreApplication::processEvents(); // e.g. a server's log read from its pipe
    }
    return true;
}

void RawConnection::shutdownWrite()
{
    ::shutdown(m_fd, SHUT_WR);
}

QByteArray RawConnection::readUntilClosed(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QByteArray received;
    char buffer[65536];
    while (!deadline.hasExpired()) {
        pollfd p{m_fd, POLLIN, 0};
        ::poll(&p, 1, int(qMin<qint64>(20, qMax<qint64>(1, deadline.remainingTime()))));
        QCoreApplication::processEvents(); // e.g. a server's log read from its pipe
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n > 0)
            received.append(buffer, n);
        else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN))
            break; // end of file, or reset
    }
    return received;
}

int httpStatus(const QByteArray &answer)
{
    if (!answer.startsWith("HTTP/1.") || answer.size() < 12)
        return 0;
    return answer.mid(9, 3).toInt();
}

QString httpErrorText(const QByteArray &answer)
{
    const qsizetype end = answer.indexOf("\r\n\r\n");
    if (end < 0)
        return {};
    return stringField(parseJson(answer.mid(end + 4)), "error");
}

} // namespace invoke::test
