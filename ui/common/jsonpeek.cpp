#include "ui/common/jsonpeek.h"

#include <cstring>

namespace invoke::ui::jsonpeek {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

qsizetype skipSpace(QByteArrayView s, qsizetype i)
{
    while (i < s.size() && isSpace(s[i]))
        ++i;
    return i;
}

// `i` is at an opening quote; returns the index after the closing one, or -1.
qsizetype skipString(QByteArrayView s, qsizetype i, bool *escaped = nullptr)
{
    const char *const begin = s.data();
    const char *const end = begin + s.size();
    const char *p = begin + i + 1;
    while (p < end) {
        // memchr runs far ahead of a byte loop over the long text chunks.
        const auto *quote = static_cast<const char *>(std::memchr(p, '"', size_t(end - p)));
        if (!quote)
            return -1;
        qsizetype backslashes = 0;
        for (const char *b = quote - 1; b >= p && *b == '\\'; --b)
            ++backslashes;
        if (backslashes > 0 && escaped)
            *escaped = true;
        if (backslashes % 2 == 0) {
            // An escape further back (not right before the quote) still counts.
            if (escaped && !*escaped && std::memchr(p, '\\', size_t(quote - p)))
                *escaped = true;
            return quote - begin + 1;
        }
        p = quote + 1;
    }
    return -1;
}

// `i` is at the first character of a value; returns the index after it, or -1.
qsizetype skipValue(QByteArrayView s, qsizetype i)
{
    if (i >= s.size())
        return -1;
    const char first = s[i];
    if (first == '"')
        return skipString(s, i);
    if (first == '{' || first == '[') {
        int depth = 0;
        while (i < s.size()) {
            const char c = s[i];
            if (c == '"') {
                i = skipString(s, i);
                if (i < 0)
                    return -1;
                continue;
            }
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0)
                return i + 1;
            ++i;
        }
        return -1;
    }
    // A number, true, false or null: up to the next delimiter.
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !isSpace(s[i]))
        ++i;
    return i;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

Found members(QByteArrayView object, const QByteArrayView *keys, QByteArrayView *values, int count)
{
    for (int k = 0; k < count; ++k)
        values[k] = QByteArrayView();
    qsizetype i = skipSpace(object, 0);
    if (i >= object.size() || object[i] != '{')
        return Found::Unsure;
    bool unsure = false;
    i = skipSpace(object, i + 1);
    if (i < object.size() && object[i] == '}')
        return Found::Yes;
    while (i < object.size()) {
        if (object[i] != '"')
            return Found::Unsure;
        bool escaped = false;
        const qsizetype keyEnd = skipString(object, i, &escaped);
        if (keyEnd < 0)
            return Found::Unsure;
        const QByteArrayView name = object.sliced(i + 1, keyEnd - i - 2);
        i = skipSpace(object, keyEnd);
        if (i >= object.size() || object[i] != ':')
            return Found::Unsure;
        i = skipSpace(object, i + 1);
        const qsizetype valueEnd = skipValue(object, i);
        if (valueEnd < 0)
            return Found::Unsure;
        if (escaped) {
            unsure = true; // "\u006bey" might be a key asked for
        } else {
            // A key given twice: the last one counts, as in a parse.
            for (int k = 0; k < count; ++k) {
                if (name == keys[k]) {
                    values[k] = object.sliced(i, valueEnd - i);
                    break;
                }
            }
        }
        i = skipSpace(object, valueEnd);
        if (i < object.size() && object[i] == '}')
            return unsure ? Found::Unsure : Found::Yes;
        if (i >= object.size() || object[i] != ',')
            return Found::Unsure;
        i = skipSpace(object, i + 1);
    }
    return Found::Unsure;
}

Found member(QByteArrayView object, QByteArrayView key, QByteArrayView *value)
{
    const Found found = members(object, &key, value, 1);
    if (found == Found::Yes && value->isNull())
        return Found::No;
    return found;
}

bool stringValue(QByteArrayView literal, QString *text)
{
    if (literal.size() < 2 || literal.front() != '"' || literal.back() != '"')
        return false;
    const QByteArrayView inner = literal.sliced(1, literal.size() - 2);
    if (!inner.contains('\\')) {
        *text = QString::fromUtf8(inner);
        return true;
    }
    QString out;
    out.reserve(inner.size());
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < inner.size(); ++i) {
        if (inner[i] != '\\')
            continue;
        out += QString::fromUtf8(inner.sliced(runStart, i - runStart));
        if (++i >= inner.size())
            return false;
        switch (inner[i]) {
        case '"': out += u'"'; break;
        case '\\': out += u'\\'; break;
        case '/': out += u'/'; break;
        case 'b': out += u'\b'; break;
        case 'f': out += u'\f'; break;
        case 'n': out += u'\n'; break;
        case 'r': out += u'\r'; break;
        case 't': out += u'\t'; break;
        case 'u': {
            if (i + 4 >= inner.size())
                return false;
            int unit = 0;
            for (int k = 1; k <= 4; ++k) {
                const int digit = hexValue(inner[i + k]);
                if (digit < 0)
                    return false;
                unit = unit * 16 + digit;
            }
            // \uXXXX is a UTF-16 code unit: surrogate pairs come as two, in order.
            out += QChar(char16_t(unit));
            i += 4;
            break;
        }
        default:
            return false;
        }
        runStart = i + 1;
    }
    out += QString::fromUtf8(inner.sliced(runStart));
    *text = std::move(out);
    return true;
}

} // namespace invoke::ui::jsonpeek
