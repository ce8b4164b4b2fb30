#include "core/wire/sseparser.h"

#include <cstring>
#include <limits>

namespace invoke::wire {

namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";

bool fieldIs(const char *name, qsizetype size, const char (&literal)[5])
{
    return size == 4 && std::memcmp(name, literal, 4) == 0;
}

bool fieldIs(const char *name, qsizetype size, const char (&literal)[6])
{
    return size == 5 && std::memcmp(name, literal, 5) == 0;
}

bool fieldIs(const char *name, qsizetype size, const char (&literal)[3])
{
    return size == 2 && std::memcmp(name, literal, 2) == 0;
}

// "retry" takes ASCII digits only; anything else (or a value past int) is ignored.
std::optional<int> parseRetry(const char *value, qsizetype size)
{
    if (size == 0)
        return std::nullopt;
    qint64 n = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const char c = value[i];
        if (c < '0' || c > '9')
            return std::nullopt;
        n = n * 10 + (c - '0');
        if (n > std::numeric_limits<int>::max())
            return std::nullopt;
    }
    return int(n);
}

} // namespace

void SseParser::feed(QByteArrayView bytes, QList<SseMessage> &out)
{
    if (m_bomChecked) {
        frame(bytes.data(), bytes.data() + bytes.size(), out);
        return;
    }
    // The BOM may itself arrive split: hold the first bytes until they decide.
    m_tail.append(bytes.data(), bytes.size());
    if (m_tail.size() < 3 && QByteArrayView(kBom, 3).startsWith(m_tail))
        return;
    m_bomChecked = true;
    QByteArray start = std::move(m_tail);
    m_tail = QByteArray();
    const qsizetype skip = start.startsWith(QByteArrayView(kBom, 3)) ? 3 : 0;
    frame(start.constData() + skip, start.constData() + start.size(), out);
}

void SseParser::frame(const char *p, const char *end, QList<SseMessage> &out)
{
    if (p == end)
        return;
    if (m_skipLf) {
        m_skipLf = false;
        if (*p == '\n' && ++p == end)
            return;
    }

    // Finish the line the previous chunk left unfinished.
    if (!m_tail.isEmpty()) {
        const char *lf = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        const char *stop = lf ? lf : end;
        const char *cr = static_cast<const char *>(std::memchr(p, '\r', size_t(stop - p)));
        const char *eol = cr ? cr : lf;
        if (!eol) {
            m_tail.append(p, end - p);
            return;
        }
        m_tail.append(p, eol - p);
        const QByteArray line = std::move(m_tail);
        m_tail = QByteArray();
        processLine(line.constData(), line.size(), out);
        p = eol + 1;
        if (*eol == '\r') {
            if (p == end) {
                m_skipLf = true;
                return;
            }
            if (*p == '\n')
                ++p;
        }
    }

    // The hot loop: memchr finds the LF; a CR is looked for only before it. The LF
    // found is remembered so a stream of CR-only line ends stays linear.
    const char *nextLf = nullptr;
    while (p < end) {
        if (!nextLf || nextLf < p) {
            nextLf = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
            if (!nextLf)
                nextLf = end;
        }
        const char *cr = static_cast<const char *>(std::memchr(p, '\r', size_t(nextLf - p)));
        const char *eol = cr ? cr : nextLf;
        if (eol == end) {
            m_tail = QByteArray(p, end - p);
            return;
        }
        processLine(p, eol - p, out);
        p = eol + 1;
        if (*eol == '\r') {
            if (p == end) {
                m_skipLf = true;
                return;
            }
            if (*p == '\n')
                ++p;
        }
    }
}

void SseParser::processLine(const char *line, qsizetype size, QList<SseMessage> &out)
{
    if (size == 0) {
        dispatch(out);
        return;
    }
    if (line[0] == ':') // a comment
        return;

    const char *colon = static_cast<const char *>(std::memchr(line, ':', size_t(size)));
    const qsizetype nameSize = colon ? colon - line : size;
    const char *value = colon ? colon + 1 : line + size;
    qsizetype valueSize = line + size - value;
    if (valueSize > 0 && *value == ' ') {
        ++value;
        --valueSize;
    }

    if (fieldIs(line, nameSize, "data")) {
        if (!m_hasData) {
            m_data = QByteArray(value, valueSize);
            m_hasData = true;
        } else {
            m_data.append('\n').append(value, valueSize);
        }
    } else if (fieldIs(line, nameSize, "event")) {
        m_event = QByteArray(value, valueSize);
    } else if (fieldIs(line, nameSize, "id")) {
        if (!std::memchr(value, '\0', size_t(valueSize)))
            m_idBuffer = QByteArray(value, valueSize);
    } else if (fieldIs(line, nameSize, "retry")) {
        if (const auto retry = parseRetry(value, valueSize))
            m_retry = retry;
    }
    // Any other field is ignored.
}

void SseParser::dispatch(QList<SseMessage> &out)
{
    m_lastEventId = m_idBuffer;
    if (!m_hasData) {
        m_event = QByteArray();
        return;
    }
    SseMessage &message = out.emplaceBack();
    if (!m_event.isEmpty())
        message.event = std::move(m_event);
    message.data = std::move(m_data);
    message.lastEventId = m_lastEventId;
    m_event = QByteArray();
    m_data = QByteArray();
    m_hasData = false;
}

void SseParser::reset()
{
    *this = SseParser();
}

} // namespace invoke::wire
