#include "core/filter/memberscan.h"

#include "core/model/json/eventscan.h"

#include <optional>

namespace invoke::filter {

namespace {

// The array index a path segment means when it meets an array, as the tree walk reads it
// (core/filter/eventrecord.cpp): 1 to 9 digits; -1 for anything else.
qint64 indexOf(const std::string &segment)
{
    if (segment.empty() || segment.size() > 9 || segment.find_first_not_of("0123456789") != std::string::npos)
        return -1;
    return qint64(std::stoul(segment));
}

// The reader core/model/json/eventscan.h hands every value of the text to. "On the path" are the
// top object and the containers the path walks through (a prefix of the open containers;
// m_onPath is the depth of the deepest); the value at the path's end is built as a tree,
// everything else is only validated.
class MemberReader
{
public:
    using Dom = nlohmann::detail::json_sax_dom_parser<Json>;

    MemberReader(std::string_view top, const std::vector<std::string> &path, MemberValue &out)
        : m_top(top), m_path(path), m_levels(int(path.size()) + 1), m_out(out),
          m_isArray(size_t(m_levels) + 1, false), m_next(size_t(m_levels) + 1, 0), m_want(size_t(m_levels) + 1, -1)
    {
    }

    bool wantsKey() const { return m_dom || (m_depth == m_onPath && m_depth > 0 && !m_isArray[size_t(m_depth)]); }
    bool wantsString() const
    {
        if (m_dom)
            return true;
        if (m_depth != m_onPath || m_depth != m_levels)
            return false;
        return m_isArray[size_t(m_depth)] ? m_next[size_t(m_depth)] == m_want[size_t(m_depth)] : m_keyMatched;
    }

    bool null() { return m_dom ? m_dom->null() : scalar(Json(nullptr)); }
    bool boolean(bool b) { return m_dom ? m_dom->boolean(b) : scalar(Json(b)); }
    bool number_integer(Json::number_integer_t n) { return m_dom ? m_dom->number_integer(n) : scalar(Json(n)); }
    bool number_unsigned(Json::number_unsigned_t n) { return m_dom ? m_dom->number_unsigned(n) : scalar(Json(n)); }
    bool number_float(Json::number_float_t n, const std::string &s)
    {
        return m_dom ? m_dom->number_float(n, s) : scalar(Json(n));
    }
    bool string(std::string &s)
    {
        if (m_dom)
            return m_dom->string(s);
        if (onPath() && m_depth == m_levels) { // only then was it copied (wantsString)
            m_out.found = true;
            m_out.value = Json(std::move(s));
        }
        return true;
    }

    bool start_object(std::size_t) { return open(false); }
    bool start_array(std::size_t) { return open(true); }
    bool end_object() { return close(true); }
    bool end_array() { return close(false); }

    bool key(std::string &k)
    {
        if (m_dom)
            return m_dom->key(k);
        if (m_depth == m_onPath && m_depth > 0 && !m_isArray[size_t(m_depth)] && k == segment(m_depth - 1)) {
            // This member replaces an earlier one of the same name, and whatever was found
            // under it (a tree keeps a repeated key's last value).
            m_keyMatched = true;
            m_out.found = false;
            m_out.value = Json();
        }
        return true;
    }

private:
    std::string_view segment(int level) const
    {
        return level == 0 ? m_top : std::string_view(m_path[size_t(level - 1)]);
    }

    // Whether the value starting now (at level m_depth) is on the path.
    bool onPath()
    {
        bool on = false;
        if (m_depth == 0) {
            on = true;
        } else if (m_depth == m_onPath) {
            const auto d = size_t(m_depth);
            on = m_isArray[d] ? m_next[d]++ == m_want[d] : m_keyMatched;
        }
        m_keyMatched = false;
        return on;
    }

    bool scalar(Json value)
    {
        if (onPath() && m_depth == m_levels) {
            m_out.found = true;
            m_out.value = std::move(value);
        }
        return true;
    }

    bool open(bool isArray)
    {
        if (m_depth >= kJsonMaxWireDepth)
            return false; // as parseJson(…, kJsonMaxWireDepth) refuses it
        if (m_dom) {
            ++m_depth;
            return isArray ? m_dom->start_array(std::size_t(-1)) : m_dom->start_object(std::size_t(-1));
        }
        const bool on = onPath();
        const int level = m_depth;
        ++m_depth;
        if (!on || (level == 0 && isArray)) // the top must be an object to have members
            return true;
        if (level == m_levels) {
            m_out.found = true;
            m_out.value = Json();
            m_dom.emplace(m_out.value, false);
            m_captureDepth = m_depth;
            return isArray ? m_dom->start_array(std::size_t(-1)) : m_dom->start_object(std::size_t(-1));
        }
        const auto d = size_t(m_depth);
        m_onPath = m_depth;
        m_isArray[d] = isArray;
        m_next[d] = 0;
        m_want[d] = isArray ? indexOf(std::string(segment(level))) : -1;
        return true;
    }

    bool close(bool isObject)
    {
        if (m_dom) {
            const bool ok = isObject ? m_dom->end_object() : m_dom->end_array();
            if (m_depth == m_captureDepth)
                m_dom.reset();
            --m_depth;
            return ok;
        }
        if (m_onPath == m_depth)
            --m_onPath;
        --m_depth;
        return true;
    }

    std::string_view m_top;
    const std::vector<std::string> &m_path;
    int m_levels; // the path's length, `top` included: the member is a value at this level
    MemberValue &m_out;
    int m_depth = 0;  // open containers
    int m_onPath = 0; // the depth of the deepest open container on the path, 0 when none
    std::vector<bool> m_isArray; // per depth, for the containers on the path
    std::vector<qint64> m_next;  // an array's next element index
    std::vector<qint64> m_want;  // the index the path takes in that array
    bool m_keyMatched = false;   // the last key read was the path's, at its depth
    std::optional<Dom> m_dom;    // building the member
    int m_captureDepth = 0;
};

} // namespace

MemberValue scanMember(QByteArrayView bytes, std::string_view top, const std::vector<std::string> &path)
{
    MemberValue out;
    MemberReader reader(top, path, out);
    if (!scanEvent(bytes, reader))
        return {};
    return out;
}

} // namespace invoke::filter
