#pragma once
// A one-pass reader of an event's JSON for the readers of core/model/json/eventsax.h, in place
// of nlohmann's sax_parse: it accepts and refuses exactly the texts sax_parse does (the
// grammar, UTF-8 in strings, escapes and surrogate pairs, numbers that overflow a double,
// a leading byte-order mark, a NUL byte ending the text, the reader's depth limit) and hands the reader the same
// calls, but copies a string or a key only when the reader follows it. nlohmann's lexer
// copies every character twice; decoding and folding a stream spends most of its time
// there (tests/bench/bench_sse.cpp). Equivalence is checked on the fuzz corpora
// (tests/fuzz/fuzz_events.cpp) and by tests/core/tst_eventscan.cpp.
#include "core/model/json/eventsax.h"

#include <QtCore/QByteArrayView>

#include <string>

namespace invoke::eventscan {

// The end of the string whose opening quote is before `p`, its closing quote at the
// returned pointer; nullptr when it is not a valid JSON string. With `out`, the string
// unescaped (UTF-8) is written there.
const char *scanString(const char *p, const char *end, std::string *out);
// The end of the number starting at `p`, nullptr when it is not one or overflows a double
// (as nlohmann refuses it); `kind` 0 integer, 1 unsigned, 2 float, and its value.
struct Number
{
    int kind = 0;
    qint64 integer = 0;
    quint64 unsignedValue = 0;
    double floating = 0;
};
const char *scanNumber(const char *p, const char *end, Number *number);

inline const char *skipSpace(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        ++p;
    return p;
}

template <typename Reader>
class Scanner
{
public:
    Scanner(const char *begin, const char *end, Reader &reader) : m_p(begin), m_end(end), m_reader(reader) {}

    bool run()
    {
        // nlohmann skips a UTF-8 byte-order mark at the start (and refuses a partial one).
        if (m_p < m_end && uchar(*m_p) == 0xEF) {
            if (m_end - m_p < 3 || uchar(m_p[1]) != 0xBB || uchar(m_p[2]) != 0xBF)
                return false;
            m_p += 3;
        }
        if (!value())
            return false;
        m_p = skipSpace(m_p, m_end);
        // nlohmann's lexer takes a NUL byte for the end of the input, whatever follows it.
        return m_p == m_end || *m_p == '\0';
    }

private:
    bool value()
    {
        m_p = skipSpace(m_p, m_end);
        if (m_p == m_end)
            return false;
        switch (*m_p) {
        case '{': return object();
        case '[': return array();
        case '"': {
            std::string text;
            const bool wanted = m_reader.wantsString();
            const char *close = scanString(m_p + 1, m_end, wanted ? &text : nullptr);
            if (!close)
                return false;
            m_p = close + 1;
            return m_reader.string(text);
        }
        case 't': return literal("true", 4) && m_reader.boolean(true);
        case 'f': return literal("false", 5) && m_reader.boolean(false);
        case 'n': return literal("null", 4) && m_reader.null();
        default: {
            Number number;
            const char *after = scanNumber(m_p, m_end, &number);
            if (!after)
                return false;
            m_p = after;
            switch (number.kind) {
            case 0: return m_reader.number_integer(number.integer);
            case 1: return m_reader.number_unsigned(number.unsignedValue);
            default: return m_reader.number_float(number.floating, std::string());
            }
        }
        }
    }

    bool literal(const char *word, int size)
    {
        if (m_end - m_p < size || std::char_traits<char>::compare(m_p, word, size_t(size)) != 0)
            return false;
        m_p += size;
        return true;
    }

    bool object()
    {
        ++m_p; // '{'
        if (!m_reader.start_object(std::size_t(-1)))
            return false;
        m_p = skipSpace(m_p, m_end);
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            return m_reader.end_object();
        }
        for (;;) {
            m_p = skipSpace(m_p, m_end);
            if (m_p == m_end || *m_p != '"')
                return false;
            std::string key;
            const bool wanted = m_reader.wantsKey();
            const char *close = scanString(m_p + 1, m_end, wanted ? &key : nullptr);
            if (!close)
                return false;
            m_p = skipSpace(close + 1, m_end);
            if (m_p == m_end || *m_p != ':')
                return false;
            ++m_p;
            if (!m_reader.key(key) || !value())
                return false;
            m_p = skipSpace(m_p, m_end);
            if (m_p == m_end)
                return false;
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p != '}')
                return false;
            ++m_p;
            return m_reader.end_object();
        }
    }

    bool array()
    {
        ++m_p; // '['
        if (!m_reader.start_array(std::size_t(-1)))
            return false;
        m_p = skipSpace(m_p, m_end);
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            return m_reader.end_array();
        }
        for (;;) {
            if (!value())
                return false;
            m_p = skipSpace(m_p, m_end);
            if (m_p == m_end)
                return false;
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p != ']')
                return false;
            ++m_p;
            return m_reader.end_array();
        }
    }

    const char *m_p;
    const char *m_end;
    Reader &m_reader;
};

} // namespace invoke::eventscan

namespace invoke {

// sax_parse(bytes, &reader) for the readers of core/model/json/eventsax.h, without nlohmann's lexer.
template <typename Reader>
bool scanEvent(QByteArrayView bytes, Reader &reader)
{
    return eventscan::Scanner<Reader>(bytes.begin(), bytes.end(), reader).run();
}

} // namespace invoke
