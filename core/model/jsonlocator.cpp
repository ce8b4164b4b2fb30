#include "core/model/jsonlocator.h"

#include "core/model/json.h"

namespace invoke {

namespace {

class Scanner
{
public:
    explicit Scanner(QByteArrayView bytes) : m_bytes(bytes) {}

    qsizetype pos() const { return m_pos; }
    void setPos(qsizetype pos) { m_pos = pos; }
    bool atEnd() const { return m_pos >= m_bytes.size(); }
    char peek() const { return atEnd() ? '\0' : m_bytes[m_pos]; }

    void skipSpace()
    {
        while (!atEnd()) {
            const char c = m_bytes[m_pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                break;
            ++m_pos;
        }
    }

    bool expect(char c)
    {
        skipSpace();
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }

    // At an opening quote: moves past the string and returns its decoded text.
    bool readString(std::string *text)
    {
        if (peek() != '"')
            return false;
        const qsizetype start = m_pos++;
        bool escaped = false;
        while (!atEnd()) {
            const char c = m_bytes[m_pos++];
            if (c == '\\') {
                escaped = true;
                ++m_pos;
            } else if (c == '"') {
                const QByteArrayView raw = m_bytes.sliced(start, m_pos - start);
                if (!text)
                    return true;
                if (!escaped) {
                    text->assign(raw.data() + 1, size_t(raw.size() - 2));
                    return true;
                }
                const Json decoded = parseJson(raw);
                if (!decoded.is_string())
                    return false;
                *text = decoded.get<std::string>();
                return true;
            }
        }
        return false;
    }

    bool skipValue()
    {
        skipSpace();
        switch (peek()) {
        case '"':
            return readString(nullptr);
        case '{':
            return skipContainer('{', '}', true);
        case '[':
            return skipContainer('[', ']', false);
        default:
            // a number or a literal: runs until a delimiter
            while (!atEnd()) {
                const char c = m_bytes[m_pos];
                if (c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\n'
                    || c == '\r')
                    break;
                ++m_pos;
            }
            return true;
        }
    }

private:
    bool skipContainer(char open, char close, bool members)
    {
        if (!expect(open))
            return false;
        skipSpace();
        if (peek() == close) {
            ++m_pos;
            return true;
        }
        for (;;) {
            if (members) {
                skipSpace();
                if (!readString(nullptr) || !expect(':'))
                    return false;
            }
            if (!skipValue())
                return false;
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            return expect(close);
        }
    }

    QByteArrayView m_bytes;
    qsizetype m_pos = 0;
};

// Moves the scanner to the value of member `name` of the object it is at; returns the
// offset of the member's key, or -1. nlohmann keeps the last of duplicate keys: so do we.
qsizetype enterMember(Scanner &s, const std::string &name)
{
    if (!s.expect('{'))
        return -1;
    qsizetype found = -1;
    qsizetype foundValue = -1;
    s.skipSpace();
    if (s.peek() == '}')
        return -1;
    for (;;) {
        s.skipSpace();
        const qsizetype keyStart = s.pos();
        std::string key;
        if (!s.readString(&key) || !s.expect(':'))
            break;
        s.skipSpace();
        if (key == name) {
            found = keyStart;
            foundValue = s.pos();
        }
        if (!s.skipValue())
            break;
        s.skipSpace();
        if (s.peek() != ',')
            break;
        s.setPos(s.pos() + 1);
    }
    if (found >= 0)
        s.setPos(foundValue);
    return found;
}

qsizetype enterIndex(Scanner &s, size_t index)
{
    if (!s.expect('['))
        return -1;
    for (size_t i = 0;; ++i) {
        s.skipSpace();
        if (s.peek() == ']' || s.atEnd())
            return -1;
        if (i == index)
            return s.pos();
        if (!s.skipValue())
            return -1;
        if (!s.expect(','))
            return -1;
    }
}

// Offsets of each prefix of `path` that was found, outermost first.
std::vector<qsizetype> walk(QByteArrayView bytes, const JsonPath &path)
{
    std::vector<qsizetype> offsets;
    Scanner s(bytes);
    if (bytes.startsWith("\xEF\xBB\xBF")) // nlohmann reads past a UTF-8 BOM: so do we
        s.setPos(3);
    s.skipSpace();
    offsets.push_back(s.pos());
    for (const auto &item : path) {
        const qsizetype at = std::holds_alternative<std::string>(item)
            ? enterMember(s, std::get<std::string>(item))
            : enterIndex(s, std::get<size_t>(item));
        if (at < 0)
            break;
        offsets.push_back(at);
    }
    return offsets;
}

} // namespace

qsizetype locateJson(QByteArrayView bytes, const JsonPath &path)
{
    const std::vector<qsizetype> offsets = walk(bytes, path);
    return offsets.size() == path.size() + 1 ? offsets.back() : -1;
}

int lineOfJson(QByteArrayView bytes, const JsonPath &path)
{
    const qsizetype offset = walk(bytes, path).back();
    int line = 1;
    for (qsizetype i = 0; i < offset && i < bytes.size(); ++i)
        if (bytes[i] == '\n')
            ++line;
    return line;
}

} // namespace invoke
