#include "core/model/json/json.h"

#include <type_traits>

using namespace Qt::StringLiterals;

namespace invoke {

QString stringField(const Json &object, const char *key, const QString &fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return fallback;
    return toQString(it->get_ref<const std::string &>());
}

qint64 intField(const Json &object, const char *key, qint64 fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number())
        return fallback;
    return it->get<qint64>();
}

bool boolField(const Json &object, const char *key, bool fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_boolean())
        return fallback;
    return it->get<bool>();
}

Json toJson(const QStringList &list)
{
    Json array = Json::array();
    for (const QString &s : list)
        array.push_back(toStd(s));
    return array;
}

QStringList stringListFromJson(const Json &array)
{
    QStringList list;
    if (!array.is_array())
        return list;
    for (const Json &item : array)
        if (item.is_string())
            list.append(toQString(item.get_ref<const std::string &>()));
    return list;
}

QString describePosition(QByteArrayView bytes, qsizetype offset)
{
    offset = qBound<qsizetype>(0, offset, bytes.size());
    qsizetype line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (bytes[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    return u"line %1, column %2"_s.arg(line).arg(offset - lineStart + 1);
}

namespace {

// nlohmann's own DOM builder behind a SAX front that counts nesting: the parse stops at the
// first container past the limit instead of building a tree too deep to walk, and a number
// overflow or syntax error is reported instead of thrown.
template <typename J>
class BoundedDomBuilder
{
public:
    using number_integer_t = typename J::number_integer_t;
    using number_unsigned_t = typename J::number_unsigned_t;
    using number_float_t = typename J::number_float_t;
    using string_t = typename J::string_t;
    using binary_t = typename J::binary_t;

    BoundedDomBuilder(J &result, int maxDepth)
        : m_dom(result, false)
        , m_maxDepth(maxDepth)
    {
    }

    bool null() { return m_dom.null(); }
    bool boolean(bool b) { return m_dom.boolean(b); }
    bool number_integer(number_integer_t n) { return m_dom.number_integer(n); }
    bool number_unsigned(number_unsigned_t n) { return m_dom.number_unsigned(n); }
    bool number_float(number_float_t n, const string_t &s) { return m_dom.number_float(n, s); }
    bool string(string_t &s) { return m_dom.string(s); }
    bool binary(binary_t &b) { return m_dom.binary(b); }
    bool key(string_t &k) { return m_dom.key(k); }
    bool start_object(std::size_t n) { return enter() && m_dom.start_object(n); }
    bool end_object()
    {
        --m_depth;
        return m_dom.end_object();
    }
    bool start_array(std::size_t n) { return enter() && m_dom.start_array(n); }
    bool end_array()
    {
        --m_depth;
        return m_dom.end_array();
    }

    // `byte` counts the bytes read: a syntax error stops on the byte after the culprit, a
    // number overflow after the whole number (which then is `token`).
    template <class Exception>
    bool parse_error(std::size_t byte, const std::string &token, const Exception &e)
    {
        const bool overflow = std::is_same_v<Exception, nlohmann::detail::out_of_range>;
        m_errorOffset = overflow ? qsizetype(byte) - qsizetype(token.size()) : qsizetype(byte) - 1;
        m_errorOffset = qMax<qsizetype>(m_errorOffset, 0);
        m_reason = QString::fromUtf8(e.what());
        return false;
    }

    // Set when the parse stopped: the offset of the culprit and why.
    qsizetype errorOffset() const { return m_errorOffset; }
    const QString &reason() const { return m_reason; }
    bool tooDeep() const { return m_tooDeep; }
    int depth() const { return m_depth; }

private:
    bool enter()
    {
        if (++m_depth > m_maxDepth) {
            m_tooDeep = true;
            return false;
        }
        return true;
    }

    nlohmann::detail::json_sax_dom_parser<J> m_dom;
    int m_maxDepth;
    int m_depth = 0;
    bool m_tooDeep = false;
    qsizetype m_errorOffset = 0;
    QString m_reason;
};

// "[json.exception.parse_error.101] parse error at line 1, column 5: <reason>" and
// "[json.exception.out_of_range.406] number overflow parsing '1e999'": keep the words
// after the tag and nlohmann's own place (we give ours); the reason itself may quote ": ".
QString plainReason(QString what)
{
    if (what.startsWith(u'[')) {
        if (const qsizetype close = what.indexOf(u"] "_s); close >= 0)
            what = what.mid(close + 2);
    }
    if (what.startsWith(u"parse error"_s)) {
        if (const qsizetype colon = what.indexOf(u": "_s); colon >= 0)
            what = what.mid(colon + 2);
    }
    return what;
}

// The first bracket that opens a container deeper than `maxDepth`.
qsizetype tooDeepOffset(QByteArrayView bytes, int maxDepth)
{
    int depth = 0;
    bool inString = false;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (++depth > maxDepth)
                return i;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return 0;
}

template <typename J>
J parseBounded(QByteArrayView bytes, JsonParseError *error, int maxDepth)
{
    J result;
    BoundedDomBuilder<J> builder(result, maxDepth);
    bool ok = false;
    try {
        ok = J::sax_parse(bytes.begin(), bytes.end(), &builder);
    } catch (const nlohmann::detail::exception &e) {
        // Not expected (the builder reports instead of throwing), but a parse never throws.
        builder.parse_error(0, {}, e);
    }
    if (ok)
        return result;
    if (error) {
        if (builder.tooDeep()) {
            error->offset = tooDeepOffset(bytes, maxDepth);
            error->reason = u"nested more than %1 levels deep (the limit for JSON here)"_s.arg(maxDepth);
        } else {
            error->offset = builder.errorOffset();
            error->reason = plainReason(builder.reason());
        }
    }
    return J(J::value_t::discarded);
}

template <typename J>
J parseWithMessage(QByteArrayView bytes, QString *error, int maxDepth)
{
    JsonParseError at;
    J result = parseBounded<J>(bytes, error ? &at : nullptr, maxDepth);
    if (error && result.is_discarded())
        *error = describePosition(bytes, at.offset) + u": "_s + at.reason;
    return result;
}

} // namespace

Json parseJson(QByteArrayView bytes, QString *error, int maxDepth)
{
    return parseWithMessage<Json>(bytes, error, maxDepth);
}

Json parseJsonAt(QByteArrayView bytes, JsonParseError *error, int maxDepth)
{
    return parseBounded<Json>(bytes, error, maxDepth);
}

nlohmann::ordered_json parseOrderedJson(QByteArrayView bytes, QString *error, int maxDepth)
{
    return parseWithMessage<nlohmann::ordered_json>(bytes, error, maxDepth);
}

QByteArray dumpJson(const Json &value, int indent)
{
    const std::string s = value.dump(indent, ' ', false, Json::error_handler_t::replace);
    return QByteArray(s.data(), qsizetype(s.size()));
}

} // namespace invoke
