#pragma once
// The head of an HTTP/1.x request, read strictly (RFC 9112) from the bytes received so
// far, before a byte of body is read. A pure function: no sockets, no state, so it is
// tested on its own (tests/core/tst_httphead.cpp) and can be fuzzed.
//
// Anything a second parser could read differently is refused rather than guessed at:
// line ends other than CRLF, folded header lines, a space before a colon, a missing,
// malformed or repeated Content-Length or Host, Content-Length with Transfer-Encoding,
// a transfer coding other than `chunked`, control bytes in the target or in a value.
#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include <utility>

namespace invoke::server {

struct HttpHead
{
    QByteArray method;     // as sent: "GET", "POST"
    QByteArray target;     // as sent: "/bots/chat/invoke?x=1"
    QByteArray path;       // the target without its query, still percent-encoded
    int minorVersion = 1;  // HTTP/1.0 or HTTP/1.1
    QList<std::pair<QByteArray, QByteArray>> headers; // names in lower case, values trimmed
    qint64 contentLength = 0; // 0 when there is none
    bool chunked = false;     // Transfer-Encoding: chunked
    bool keepAlive = true;    // false for HTTP/1.0 and for "Connection: close"
    bool expectContinue = false;

    // The value of the header `lowerCaseName`, or empty.
    QByteArray header(QByteArrayView lowerCaseName) const;
    bool hasHeader(QByteArrayView lowerCaseName) const;
    bool hasBody() const { return chunked || contentLength > 0; }
};

struct HeadParse
{
    enum class Outcome { Incomplete, Complete, Invalid };
    Outcome outcome = Outcome::Incomplete;
    qsizetype headBytes = 0; // Complete: the bytes of the head, its blank line included
    // Complete: the whole head. Invalid: as much as was read (method and path, for the log).
    HttpHead head;
    int status = 0; // Invalid: 400, 431 (too long), 501 (a transfer coding), 505 (a version)
    QString reason; // Invalid: what is wrong and where ("line 3: ...")
};

inline constexpr qsizetype kMaxHeadBytes = 64 * 1024;
inline constexpr int kMaxHeaderLines = 100;

// Reads the head at the start of `bytes`. Incomplete while its blank line has not come
// and nothing seen so far is wrong; Invalid as soon as something is, even before the
// head is complete (a bare LF is refused when it arrives, not at the end), or when
// `maxHeadBytes` pass without a blank line.
HeadParse parseRequestHead(QByteArrayView bytes, qsizetype maxHeadBytes = kMaxHeadBytes);

} // namespace invoke::server
