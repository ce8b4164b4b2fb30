#include "app/server/http/chunkedbody.h"

using namespace Qt::StringLiterals;

namespace invoke::server {

namespace {
constexpr qsizetype kMaxLineBytes = 4096;     // a chunk-size line, with its extensions
constexpr qint64 kMaxTrailerBytes = 16 * 1024;
} // namespace

ChunkedBody::Outcome ChunkedBody::fail(Outcome outcome, const QString &reason)
{
    m_reason = reason;
    m_state = State::Done;
    return outcome;
}

ChunkedBody::Outcome ChunkedBody::feed(QByteArrayView bytes, qsizetype *consumed, QByteArray &body)
{
    qsizetype pos = 0;
    auto result = [&](Outcome outcome) {
        *consumed = pos;
        return outcome;
    };
    // Reads one CRLF line into m_line; false while it has not ended.
    auto readLine = [&](qsizetype limit, bool *ok) {
        *ok = true;
        while (pos < bytes.size()) {
            const char c = bytes[pos++];
            if (c == '\n') {
                if (!m_line.endsWith('\r')) {
                    *ok = false;
                    return false;
                }
                m_line.chop(1);
                return true;
            }
            if (m_line.endsWith('\r') || m_line.size() >= limit) {
                *ok = false;
                return false;
            }
            m_line += c;
        }
        return false;
    };

    while (pos < bytes.size()) {
        switch (m_state) {
        case State::Size: {
            bool ok = true;
            if (!readLine(kMaxLineBytes, &ok)) {
                if (!ok)
                    return result(fail(Outcome::Invalid, u"chunked body: a chunk-size line that is too long or does not end with CRLF"_s));
                return result(Outcome::NeedMore);
            }
            const qsizetype semicolon = m_line.indexOf(';'); // chunk extensions are ignored
            const QByteArray hex = (semicolon < 0 ? m_line : m_line.left(semicolon)).trimmed();
            bool isHex = !hex.isEmpty() && hex.size() <= 15;
            for (char c : hex)
                isHex = isHex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
            if (!isHex)
                return result(fail(Outcome::Invalid, u"chunked body: \"%1\" is not a chunk size in hex"_s.arg(QString::fromLatin1(hex.left(20)))));
            m_chunkLeft = hex.toLongLong(nullptr, 16);
            m_line.clear();
            if (m_chunkLeft == 0) {
                m_state = State::Trailer;
            } else {
                if (m_decoded + m_chunkLeft > m_maxBody)
                    return result(fail(Outcome::TooLarge, u"the body is over %1 bytes, the most this server takes (--max-body)"_s.arg(m_maxBody)));
                m_state = State::Data;
            }
            break;
        }
        case State::Data: {
            const qsizetype take = qsizetype(qMin<qint64>(m_chunkLeft, bytes.size() - pos));
            body.append(bytes.sliced(pos, take));
            pos += take;
            m_chunkLeft -= take;
            m_decoded += take;
            if (m_chunkLeft == 0)
                m_state = State::DataEnd;
            break;
        }
        case State::DataEnd: {
            bool ok = true;
            if (!readLine(2, &ok)) {
                if (!ok)
                    return result(fail(Outcome::Invalid, u"chunked body: a chunk's data is not followed by CRLF"_s));
                return result(Outcome::NeedMore);
            }
            if (!m_line.isEmpty())
                return result(fail(Outcome::Invalid, u"chunked body: a chunk's data is longer than its size"_s));
            m_state = State::Size;
            break;
        }
        case State::Trailer: {
            bool ok = true;
            const qsizetype before = pos;
            const bool ended = readLine(kMaxLineBytes, &ok);
            m_trailerBytes += pos - before;
            if (!ok || m_trailerBytes > kMaxTrailerBytes)
                return result(fail(Outcome::Invalid, u"chunked body: a trailer that is too long or does not end with CRLF"_s));
            if (!ended)
                return result(Outcome::NeedMore);
            if (m_line.isEmpty()) {
                m_state = State::Done;
                return result(Outcome::Done);
            }
            m_line.clear(); // a trailer field: read and dropped
            break;
        }
        case State::Done:
            return result(m_reason.isEmpty() ? Outcome::Done : Outcome::Invalid);
        }
    }
    return result(m_state == State::Done && m_reason.isEmpty() ? Outcome::Done : Outcome::NeedMore);
}

} // namespace invoke::server
