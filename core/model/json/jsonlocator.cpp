#include "core/model/json/jsonlocator.h"

#include "core/model/json/json.h"

#include <algorithm>
#include <cstring>

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

// Where the document's value starts: past a UTF-8 BOM (nlohmann reads past one: so do
// we) and white space.
qsizetype rootOffset(QByteArrayView bytes)
{
    Scanner s(bytes);
    if (bytes.startsWith("\xEF\xBB\xBF"))
        s.setPos(3);
    s.skipSpace();
    return s.pos();
}

// Offsets of each prefix of `path` that was found, outermost first.
std::vector<qsizetype> walk(QByteArrayView bytes, const JsonPath &path)
{
    std::vector<qsizetype> offsets;
    Scanner s(bytes);
    s.setPos(rootOffset(bytes));
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

JsonIndex::JsonIndex(QByteArrayView bytes) : m_bytes(bytes), m_root(rootOffset(bytes)) {}

const JsonIndex::Container *JsonIndex::containerAt(qsizetype offset)
{
    if (offset >= m_bytes.size() || (m_bytes[offset] != '{' && m_bytes[offset] != '['))
        return nullptr;
    const auto known = m_containers.find(offset);
    if (known != m_containers.end())
        return &known->second;

    // One scan of this container's members or items; a malformed one keeps what was read.
    Container c;
    c.object = m_bytes[offset] == '{';
    const char close = c.object ? '}' : ']';
    Scanner s(m_bytes);
    s.setPos(offset + 1);
    s.skipSpace();
    if (s.peek() != close) {
        for (;;) {
            Child child;
            s.skipSpace();
            std::string name;
            if (c.object) {
                child.key = s.pos();
                if (!s.readString(&name) || !s.expect(':'))
                    break;
                s.skipSpace();
            }
            child.value = s.pos();
            if (s.atEnd())
                break;
            if (c.object)
                c.named[std::move(name)] = c.children.size(); // the last of duplicates wins
            c.children.push_back(child);
            if (!s.skipValue())
                break;
            s.skipSpace();
            if (s.peek() != ',')
                break;
            s.setPos(s.pos() + 1);
        }
    }
    return &m_containers.emplace(offset, std::move(c)).first->second;
}

std::vector<qsizetype> JsonIndex::walk(const JsonPath &path, qsizetype *valueAt)
{
    std::vector<qsizetype> offsets{m_root};
    qsizetype value = m_root;
    if (valueAt)
        *valueAt = -1;
    for (const auto &item : path) {
        const Container *c = containerAt(value);
        if (!c)
            break;
        const Child *child = nullptr;
        if (const auto *name = std::get_if<std::string>(&item)) {
            const auto it = c->object ? c->named.find(*name) : c->named.end();
            if (it != c->named.end())
                child = &c->children[it->second];
        } else if (!c->object && std::get<size_t>(item) < c->children.size()) {
            child = &c->children[std::get<size_t>(item)];
        }
        if (!child)
            break;
        offsets.push_back(child->key >= 0 ? child->key : child->value);
        value = child->value;
    }
    if (valueAt && offsets.size() == path.size() + 1)
        *valueAt = value;
    return offsets;
}

std::optional<std::string> JsonIndex::stringAt(const JsonPath &path)
{
    qsizetype value = -1;
    walk(path, &value);
    if (value < 0 || value >= m_bytes.size() || m_bytes[value] != '"')
        return std::nullopt;
    Scanner s(m_bytes);
    s.setPos(value);
    std::string text;
    if (!s.readString(&text))
        return std::nullopt;
    return text;
}

qsizetype JsonIndex::locate(const JsonPath &path)
{
    const std::vector<qsizetype> offsets = walk(path);
    return offsets.size() == path.size() + 1 ? offsets.back() : -1;
}

int JsonIndex::line(const JsonPath &path)
{
    return lineAt(walk(path).back());
}

int JsonIndex::lineAt(qsizetype offset)
{
    if (m_lineStarts.empty()) {
        m_lineStarts.push_back(0);
        const char *data = m_bytes.data();
        // memchr on a null pointer is undefined even for 0 bytes (an empty view's data()).
        for (const char *p = data, *end = data + m_bytes.size();
             p != end && (p = static_cast<const char *>(memchr(p, '\n', size_t(end - p)))) != nullptr; ++p)
            m_lineStarts.push_back(p - data + 1);
    }
    const auto it = std::upper_bound(m_lineStarts.cbegin(), m_lineStarts.cend(), offset);
    return int(it - m_lineStarts.cbegin());
}

} // namespace invoke
