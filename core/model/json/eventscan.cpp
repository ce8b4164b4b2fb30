#include "core/model/json/eventscan.h"

#include <clocale>
#include <cmath>
#include <cstdlib>

namespace invoke::eventscan {

namespace {

inline bool isContinuation(uchar c, uchar low = 0x80, uchar high = 0xBF)
{
    return c >= low && c <= high;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Four hex digits at p (after "\u"), or -1.
int codeUnit(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    int value = 0;
    for (int i = 0; i < 4; ++i) {
        const int digit = hexValue(p[i]);
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

void appendUtf8(std::string &out, quint32 codePoint)
{
    if (codePoint < 0x80) {
        out.push_back(char(codePoint));
    } else if (codePoint < 0x800) {
        out.push_back(char(0xC0 | (codePoint >> 6)));
        out.push_back(char(0x80 | (codePoint & 0x3F)));
    } else if (codePoint < 0x10000) {
        out.push_back(char(0xE0 | (codePoint >> 12)));
        out.push_back(char(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(char(0x80 | (codePoint & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (codePoint >> 18)));
        out.push_back(char(0x80 | ((codePoint >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(char(0x80 | (codePoint & 0x3F)));
    }
}

// The length of the well-formed UTF-8 sequence at p (RFC 3629, as nlohmann's lexer
// checks it), or 0.
int utf8Length(const uchar *p, const uchar *end)
{
    const uchar c = p[0];
    const qsizetype left = end - p;
    if (c >= 0xC2 && c <= 0xDF)
        return left >= 2 && isContinuation(p[1]) ? 2 : 0;
    if (c == 0xE0)
        return left >= 3 && isContinuation(p[1], 0xA0) && isContinuation(p[2]) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        return left >= 3 && isContinuation(p[1]) && isContinuation(p[2]) ? 3 : 0;
    if (c == 0xED)
        return left >= 3 && isContinuation(p[1], 0x80, 0x9F) && isContinuation(p[2]) ? 3 : 0;
    if (c == 0xF0)
        return left >= 4 && isContinuation(p[1], 0x90) && isContinuation(p[2]) && isContinuation(p[3]) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3)
        return left >= 4 && isContinuation(p[1]) && isContinuation(p[2]) && isContinuation(p[3]) ? 4 : 0;
    if (c == 0xF4)
        return left >= 4 && isContinuation(p[1], 0x80, 0x8F) && isContinuation(p[2]) && isContinuation(p[3]) ? 4 : 0;
    return 0;
}

} // namespace

const char *scanString(const char *p, const char *end, std::string *out)
{
    for (;;) {
        // A run of plain ASCII, copied at once.
        const char *run = p;
        while (p < end) {
            const uchar c = uchar(*p);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80)
                break;
            ++p;
        }
        if (out && p > run)
            out->append(run, size_t(p - run));
        if (p == end)
            return nullptr;
        const uchar c = uchar(*p);
        if (c == '"')
            return p;
        if (c < 0x20)
            return nullptr; // a control character must be escaped
        if (c >= 0x80) {
            const int length = utf8Length(reinterpret_cast<const uchar *>(p), reinterpret_cast<const uchar *>(end));
            if (length == 0)
                return nullptr;
            if (out)
                out->append(p, size_t(length));
            p += length;
            continue;
        }
        // An escape.
        if (end - p < 2)
            return nullptr;
        const char kind = p[1];
        p += 2;
        char plain = 0;
        switch (kind) {
        case '"': plain = '"'; break;
        case '\\': plain = '\\'; break;
        case '/': plain = '/'; break;
        case 'b': plain = '\b'; break;
        case 'f': plain = '\f'; break;
        case 'n': plain = '\n'; break;
        case 'r': plain = '\r'; break;
        case 't': plain = '\t'; break;
        case 'u': {
            const int unit = codeUnit(p, end);
            if (unit < 0)
                return nullptr;
            p += 4;
            quint32 codePoint = quint32(unit);
            if (unit >= 0xD800 && unit <= 0xDBFF) {
                // A high surrogate must be followed by an escaped low one.
                if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
                    return nullptr;
                const int low = codeUnit(p + 2, end);
                if (low < 0xDC00 || low > 0xDFFF)
                    return nullptr;
                p += 6;
                codePoint = 0x10000 + ((quint32(unit) - 0xD800) << 10) + (quint32(low) - 0xDC00);
            } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
                return nullptr; // a low surrogate alone
            }
            if (out)
                appendUtf8(*out, codePoint);
            continue;
        }
        default:
            return nullptr;
        }
        if (out)
            out->push_back(plain);
    }
}

const char *scanNumber(const char *p, const char *end, Number *number)
{
    const char *start = p;
    const bool negative = p < end && *p == '-';
    if (negative)
        ++p;
    if (p == end || *p < '0' || *p > '9')
        return nullptr;
    // Integer part: 0, or a digit 1-9 and more digits.
    quint64 magnitude = 0;
    bool fits = true; // the digits fit a quint64
    if (*p == '0') {
        ++p;
    } else {
        while (p < end && *p >= '0' && *p <= '9') {
            const quint64 digit = quint64(*p - '0');
            if (magnitude > (~quint64(0) - digit) / 10)
                fits = false;
            else
                magnitude = magnitude * 10 + digit;
            ++p;
        }
    }
    bool isFloat = false;
    if (p < end && *p == '.') {
        ++p;
        if (p == end || *p < '0' || *p > '9')
            return nullptr;
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
        isFloat = true;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        if (p < end && (*p == '+' || *p == '-'))
            ++p;
        if (p == end || *p < '0' || *p > '9')
            return nullptr;
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
        isFloat = true;
    }
    if (!isFloat && fits) {
        if (!negative) {
            number->kind = 1;
            number->unsignedValue = magnitude;
            return p;
        }
        if (magnitude <= quint64(1) << 63) {
            number->kind = 0;
            number->integer = magnitude == quint64(1) << 63 ? std::numeric_limits<qint64>::min() : -qint64(magnitude);
            return p;
        }
    }
    // A float, or an integer too large: strtod, as nlohmann reads it (with the locale's
    // decimal point), and refused when it overflows a double.
    std::string token(start, size_t(p - start));
    if (const char point = *std::localeconv()->decimal_point; point != '.') {
        for (char &c : token)
            if (c == '.')
                c = point;
    }
    const double value = std::strtod(token.c_str(), nullptr);
    if (!std::isfinite(value))
        return nullptr;
    number->kind = 2;
    number->floating = value;
    return p;
}

} // namespace invoke::eventscan
