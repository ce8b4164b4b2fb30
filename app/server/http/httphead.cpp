#include "app/server/http/httphead.h"

using namespace Qt::StringLiterals;

namespace invoke::server {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text)
        if (!isTokenChar(c))
            return false;
    return true;
}

// A control byte other than HT (RFC 9110 5.5: field values are VCHAR, SP, HT, obs-text).
bool hasControlByte(QByteArrayView text, bool allowTab)
{
    for (char c : text) {
        const auto u = uchar(c);
        if ((u < 0x20 && !(allowTab && u == '\t')) || u == 0x7f)
            return true;
    }
    return false;
}

QByteArrayView trimmedOws(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

// For a message: at most 40 bytes, so a reason stays short.
QString quoted(QByteArrayView text)
{
    const QString shown = QString::fromLatin1(text.first(qMin<qsizetype>(text.size(), 40)));
    return u'"' + shown + (text.size() > 40 ? u"...\""_s : u"\""_s);
}

QByteArray pathOf(QByteArrayView target);

// The method and path of a request line that is refused, so the log can still name them.
void keepForTheLog(QByteArrayView line, HttpHead &head)
{
    if (line.endsWith('\r'))
        line.chop(1);
    const qsizetype first = line.indexOf(' ');
    if (first <= 0)
        return;
    const qsizetype second = line.indexOf(' ', first + 1);
    head.method = line.first(first).toByteArray();
    head.target = line.sliced(first + 1, (second < 0 ? line.size() : second) - first - 1).toByteArray();
    head.path = pathOf(head.target);
}

QByteArray pathOf(QByteArrayView target)
{
    QByteArrayView path = target;
    if (path.startsWith("http://") || path.startsWith("https://")) { // absolute form
        const qsizetype authority = path.indexOf("//") + 2;
        const qsizetype slash = path.indexOf('/', authority);
        path = slash < 0 ? QByteArrayView("/") : path.sliced(slash);
    }
    if (const qsizetype query = path.indexOf('?'); query >= 0)
        path.truncate(query);
    return path.toByteArray();
}

} // namespace

QByteArray HttpHead::header(QByteArrayView lowerCaseName) const
{
    for (const auto &[name, value] : headers)
        if (name == lowerCaseName)
            return value;
    return {};
}

bool HttpHead::hasHeader(QByteArrayView lowerCaseName) const
{
    for (const auto &header : headers)
        if (header.first == lowerCaseName)
            return true;
    return false;
}

HeadParse parseRequestHead(QByteArrayView bytes, qsizetype maxHeadBytes)
{
    HeadParse out;
    auto invalid = [&out](int status, const QString &reason) {
        out.outcome = HeadParse::Outcome::Invalid;
        out.status = status;
        out.reason = reason;
        return out;
    };
    const QString tooLong = u"the request head is over %1 bytes"_s.arg(maxHeadBytes);

    // Empty lines before the request line are skipped (RFC 9112 section 2.2).
    qsizetype pos = 0;
    while (bytes.size() - pos >= 2 && bytes[pos] == '\r' && bytes[pos + 1] == '\n' && pos < maxHeadBytes)
        pos += 2;

    HttpHead &head = out.head;
    int lineNumber = 0;
    bool sawContentLength = false;
    bool sawTransferEncoding = false;
    bool sawHost = false;
    bool connectionClose = false;
    for (;;) {
        const qsizetype lf = bytes.indexOf('\n', pos);
        const QByteArrayView rest = bytes.sliced(pos, (lf < 0 ? bytes.size() : lf) - pos);
        // A CR must end its line: one in the middle of a line is refused at once.
        const qsizetype cr = rest.indexOf('\r');
        if (cr >= 0 && cr + 1 < rest.size()) {
            if (lineNumber == 0 && lf >= 0)
                keepForTheLog(rest, head);
            return invalid(400, u"line %1: a CR that is not followed by LF"_s.arg(lineNumber + 1));
        }
        if (lf < 0) {
            if (bytes.size() > maxHeadBytes)
                return invalid(431, tooLong);
            return out; // Incomplete
        }
        ++lineNumber;
        if (!rest.endsWith('\r')) {
            if (lineNumber == 1)
                keepForTheLog(rest, head);
            return invalid(400, u"line %1: a line that ends with a bare LF (HTTP needs CRLF)"_s.arg(lineNumber));
        }
        const QByteArrayView line = rest.chopped(1);
        pos = lf + 1;
        if (pos > maxHeadBytes)
            return invalid(431, tooLong);

        if (lineNumber == 1) {
            const QList<QByteArrayView> parts = [&] {
                QList<QByteArrayView> p;
                for (qsizetype from = 0;;) {
                    const qsizetype space = line.indexOf(' ', from);
                    p.append(line.sliced(from, (space < 0 ? line.size() : space) - from));
                    if (space < 0)
                        return p;
                    from = space + 1;
                }
            }();
            if (parts.size() != 3)
                return invalid(400, u"line 1: a request line is METHOD TARGET HTTP/1.1, with single spaces"_s);
            head.method = parts[0].toByteArray();
            head.target = parts[1].toByteArray();
            head.path = pathOf(parts[1]);
            if (!isToken(parts[0]))
                return invalid(400, u"line 1: the method %1 is not a token"_s.arg(quoted(parts[0])));
            if (parts[1].isEmpty() || hasControlByte(parts[1], false))
                return invalid(400, u"line 1: the request target holds a control byte"_s);
            if (!parts[1].startsWith('/') && !parts[1].startsWith("http://") && !parts[1].startsWith("https://"))
                return invalid(400, u"line 1: the request target must be a path starting with \"/\""_s);
            const QByteArrayView version = parts[2];
            if (version == "HTTP/1.1")
                head.minorVersion = 1;
            else if (version == "HTTP/1.0")
                head.minorVersion = 0;
            else if (version.size() == 8 && version.startsWith("HTTP/") && version[6] == '.')
                return invalid(505, u"line 1: %1 is not supported (HTTP/1.1 or HTTP/1.0)"_s.arg(quoted(version)));
            else
                return invalid(400, u"line 1: %1 is not an HTTP version"_s.arg(quoted(version)));
            continue;
        }

        if (line.isEmpty())
            break; // the end of the head
        if (line.front() == ' ' || line.front() == '\t')
            return invalid(400, u"line %1: a folded header line (obsolete, not accepted)"_s.arg(lineNumber));
        if (lineNumber - 1 > kMaxHeaderLines)
            return invalid(431, u"more than %1 header lines"_s.arg(kMaxHeaderLines));
        const qsizetype colon = line.indexOf(':');
        if (colon < 0 || !isToken(line.first(colon)))
            return invalid(400, u"line %1: a header is NAME: VALUE, with no space before the colon"_s.arg(lineNumber));
        const QByteArray name = line.first(colon).toByteArray().toLower();
        const QByteArrayView value = trimmedOws(line.sliced(colon + 1));
        if (hasControlByte(value, true))
            return invalid(400, u"line %1: the value of %2 holds a control byte"_s.arg(lineNumber).arg(QString::fromLatin1(name)));

        if (name == "content-length") {
            if (sawContentLength)
                return invalid(400, u"line %1: a second Content-Length header"_s.arg(lineNumber));
            sawContentLength = true;
            bool digits = !value.isEmpty() && value.size() <= 18;
            for (char c : value)
                digits = digits && c >= '0' && c <= '9';
            if (!digits)
                return invalid(400, u"line %1: Content-Length %2 is not a number of bytes"_s.arg(lineNumber).arg(quoted(value)));
            head.contentLength = value.toLongLong();
        } else if (name == "transfer-encoding") {
            if (sawTransferEncoding)
                return invalid(400, u"line %1: a second Transfer-Encoding header"_s.arg(lineNumber));
            sawTransferEncoding = true;
            if (value.compare("chunked", Qt::CaseInsensitive) != 0)
                return invalid(501, u"line %1: Transfer-Encoding %2 is not supported (only chunked)"_s.arg(lineNumber).arg(quoted(value)));
            head.chunked = true;
        } else if (name == "host") {
            if (sawHost)
                return invalid(400, u"line %1: a second Host header"_s.arg(lineNumber));
            sawHost = true;
        } else if (name == "connection") {
            for (const QByteArray &option : value.toByteArray().split(','))
                connectionClose = connectionClose || option.trimmed().compare("close", Qt::CaseInsensitive) == 0;
        } else if (name == "expect") {
            head.expectContinue = value.compare("100-continue", Qt::CaseInsensitive) == 0;
        }
        head.headers.append({name, value.toByteArray()});
    }

    if (sawContentLength && sawTransferEncoding)
        return invalid(400, u"both Content-Length and Transfer-Encoding: the body length is ambiguous"_s);
    if (sawTransferEncoding && head.minorVersion == 0)
        return invalid(400, u"Transfer-Encoding in an HTTP/1.0 request"_s);
    if (!sawHost && head.minorVersion == 1)
        return invalid(400, u"no Host header (HTTP/1.1 needs one)"_s);
    head.keepAlive = head.minorVersion == 1 && !connectionClose; // HTTP/1.0: one request per connection
    out.outcome = HeadParse::Outcome::Complete;
    out.headBytes = pos;
    return out;
}

} // namespace invoke::server
