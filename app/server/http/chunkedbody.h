#pragma once
// A `Transfer-Encoding: chunked` request body, decoded as its bytes arrive (RFC 9112
// section 7.1), strictly: CRLF line ends, hex sizes, chunk extensions ignored, trailer
// fields read and dropped. Pure (no sockets), so it is tested on its own. The body limit
// counts the decoded bytes as they come, never a size announced ahead.
#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace invoke::server {

class ChunkedBody
{
public:
    enum class Outcome { NeedMore, Done, Invalid, TooLarge };

    explicit ChunkedBody(qint64 maxBodyBytes) : m_maxBody(maxBodyBytes) {}

    // Takes what it can from `bytes` (`*consumed` says how much; after Done the rest
    // belongs to the next request) and appends the decoded data to `body`.
    Outcome feed(QByteArrayView bytes, qsizetype *consumed, QByteArray &body);
    QString reason() const { return m_reason; } // Invalid and TooLarge: what and where

private:
    enum class State { Size, Data, DataEnd, Trailer, Done };
    Outcome fail(Outcome outcome, const QString &reason);

    qint64 m_maxBody;
    State m_state = State::Size;
    QByteArray m_line;       // a size or trailer line so far
    qint64 m_chunkLeft = 0;  // data bytes of the current chunk still to come
    qint64 m_decoded = 0;
    qint64 m_trailerBytes = 0;
    QString m_reason;
};

} // namespace invoke::server
