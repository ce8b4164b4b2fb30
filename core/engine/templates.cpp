#include "core/engine/templates.h"

#include <string_view>

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

QString inQuotes(std::string_view text)
{
    return u'"' + QString::fromUtf8(text.data(), qsizetype(text.size())) + u'"';
}

std::string_view trimmed(std::string_view text)
{
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && space(text.back()))
        text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> split(std::string_view name)
{
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (;;) {
        const size_t dot = name.find('.', start);
        parts.push_back(name.substr(start, dot == std::string_view::npos ? dot : dot - start));
        if (dot == std::string_view::npos)
            return parts;
        start = dot + 1;
    }
}

std::string join(const std::vector<std::string_view> &parts, size_t from)
{
    std::string text;
    for (size_t i = from; i < parts.size(); ++i) {
        if (i > from)
            text += '.';
        text += parts[i];
    }
    return text;
}

// Follows parts[from...] into `value`: object members by name, array items by index.
const Json *walk(const Json *value, const std::vector<std::string_view> &parts, size_t from)
{
    for (size_t i = from; i < parts.size() && value; ++i) {
        const std::string_view part = parts[i];
        if (value->is_object()) {
            const auto it = value->find(part);
            value = it == value->end() ? nullptr : &*it;
        } else if (value->is_array()) {
            size_t index = 0;
            bool digits = !part.empty() && part.size() < 10;
            for (const char c : part) {
                digits = digits && c >= '0' && c <= '9';
                index = index * 10 + size_t(c - '0');
            }
            value = digits && index < value->size() ? &(*value)[index] : nullptr;
        } else {
            value = nullptr;
        }
    }
    return value;
}

// What a name resolved to: a value (borrowed from the scope, or made here), nothing
// (missing: fine when optional), or a mistake in the template itself (always an error).
struct Resolution
{
    enum Kind { Found, Missing, Invalid };
    Kind kind = Found;
    const Json *value = nullptr;
    Json made;
    QString why;

    const Json &get() const { return value ? *value : made; }
    static Resolution missing(const QString &why) { return {Missing, nullptr, {}, why}; }
    static Resolution invalid(const QString &why) { return {Invalid, nullptr, {}, why}; }
};

class Renderer
{
public:
    explicit Renderer(const TemplateScope &scope) : m_scope(scope) {}

    bool render(const Json &in, Json *out);
    QString error;

private:
    bool renderString(const std::string &text, Json *out);
    Resolution resolve(std::string_view name) const;
    Resolution field(const Json *base, const std::vector<std::string_view> &parts, size_t from,
                     const QString &owner, const char *noun) const;
    Resolution query() const;

    const TemplateScope &m_scope;
};

bool Renderer::render(const Json &in, Json *out)
{
    switch (in.type()) {
    case Json::value_t::string:
        return renderString(in.get_ref<const std::string &>(), out);
    case Json::value_t::object:
        *out = Json::object();
        for (auto it = in.begin(); it != in.end(); ++it)
            if (!render(it.value(), &(*out)[it.key()]))
                return false;
        return true;
    case Json::value_t::array:
        *out = Json::array();
        for (const Json &item : in) {
            out->push_back(Json());
            if (!render(item, &out->back()))
                return false;
        }
        return true;
    default:
        *out = in;
        return true;
    }
}

void appendText(std::string *text, const Json &value)
{
    if (value.is_string())
        *text += value.get_ref<const std::string &>();
    else if (!value.is_null())
        *text += value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool Renderer::renderString(const std::string &text, Json *out)
{
    size_t open = text.find("{{");
    if (open == std::string::npos) {
        *out = text;
        return true;
    }
    std::string rendered;
    size_t done = 0; // text before `done` is handled
    while (open != std::string::npos) {
        const size_t close = text.find("}}", open + 2);
        if (close == std::string::npos)
            break; // unterminated: the rest is literal text
        const size_t inner = text.find("{{", open + 1);
        if (inner != std::string::npos && inner < close) {
            open = inner; // "{{a {{b}}": the first braces are text
            continue;
        }
        std::string_view name = trimmed(std::string_view(text).substr(open + 2, close - open - 2));
        const std::string_view written = name;
        const bool optional = !name.empty() && name.back() == '?';
        if (optional)
            name = trimmed(name.substr(0, name.size() - 1));
        if (name.empty()) { // "{{}}" is text
            open = text.find("{{", close + 2);
            continue;
        }
        Resolution r = resolve(name);
        if (r.kind == Resolution::Invalid || (r.kind == Resolution::Missing && !optional)) {
            error = u"template {{"_s + QString::fromUtf8(written.data(), qsizetype(written.size()))
                + u"}}: "_s + r.why;
            return false;
        }
        if (open == 0 && close + 2 == text.size()) { // exactly one template: keeps its type
            *out = r.kind == Resolution::Found ? r.get() : Json();
            return true;
        }
        rendered.append(text, done, open - done);
        if (r.kind == Resolution::Found)
            appendText(&rendered, r.get());
        done = close + 2;
        open = text.find("{{", done);
    }
    rendered.append(text, done, std::string::npos);
    *out = std::move(rendered);
    return true;
}

Resolution Renderer::resolve(std::string_view name) const
{
    const std::vector<std::string_view> parts = split(name);
    for (const std::string_view part : parts)
        if (part.empty())
            return Resolution::invalid(u"malformed name "_s + inQuotes(name));

    const std::string_view head = parts.front();
    if (head == "steps") {
        if (parts.size() < 2)
            return Resolution::invalid(u"name a step, as in {{steps.KEY}} or {{steps.KEY.field}}"_s);
        const auto step = m_scope.steps.is_object() ? m_scope.steps.find(parts[1])
                                                    : m_scope.steps.end();
        if (step == m_scope.steps.end())
            return Resolution::missing(u"step "_s + inQuotes(parts[1]) + u" has not run"_s);
        return field(&*step, parts, 2, u"step "_s + inQuotes(parts[1]), "output field");
    }
    if (head == "system") {
        if (parts.size() < 2)
            return Resolution::invalid(
                u"name a system value: system.messages, system.invocation_id or system.datasets"_s);
        Resolution r;
        if (parts[1] == "messages")
            r.made = toJson(m_scope.messages);
        else if (parts[1] == "invocation_id")
            r.made = toStd(m_scope.invocationId);
        else if (parts[1] == "datasets")
            r.made = toJson(m_scope.datasets);
        else
            return Resolution::invalid(u"unknown system value "_s + inQuotes(parts[1])
                                       + u" (known: messages, invocation_id, datasets)"_s);
        if (parts.size() == 2)
            return r;
        Resolution inner = field(&r.made, parts, 2, u"system value "_s + inQuotes(parts[1]), "field");
        if (inner.kind == Resolution::Found) { // it points into r.made, which dies here
            inner.made = *inner.value;
            inner.value = nullptr;
        }
        return inner;
    }
    if (head == "query" && parts.size() == 1)
        return query();

    const auto parameter = m_scope.parameters.is_object() ? m_scope.parameters.find(head)
                                                          : m_scope.parameters.end();
    if (parameter == m_scope.parameters.end() || parameter->is_null())
        return Resolution::missing(u"parameter "_s + inQuotes(head) + u" is not set"_s);
    return field(&*parameter, parts, 1, u"parameter "_s + inQuotes(head), "field");
}

Resolution Renderer::field(const Json *base, const std::vector<std::string_view> &parts,
                           size_t from, const QString &owner, const char *noun) const
{
    const Json *value = walk(base, parts, from);
    if (!value)
        return Resolution::missing(owner + u" has no "_s + QLatin1String(noun) + u' '
                                   + inQuotes(join(parts, from)));
    Resolution r;
    r.value = value;
    return r;
}

// A "query" parameter when the caller set one (SDK users pass it so), else the last
// user message of the conversation.
Resolution Renderer::query() const
{
    const auto parameter = m_scope.parameters.is_object() ? m_scope.parameters.find("query")
                                                          : m_scope.parameters.end();
    if (parameter != m_scope.parameters.end() && !parameter->is_null()) {
        Resolution r;
        r.value = &*parameter;
        return r;
    }
    for (auto it = m_scope.messages.crbegin(); it != m_scope.messages.crend(); ++it) {
        if (it->role == u"user"_s) {
            Resolution r;
            r.made = toStd(it->content);
            return r;
        }
    }
    return Resolution::missing(u"the conversation has no user message"_s);
}

} // namespace

std::optional<Json> renderTemplates(const Json &value, const TemplateScope &scope, QString *error)
{
    Renderer renderer(scope);
    Json out;
    if (!renderer.render(value, &out)) {
        if (error)
            *error = renderer.error;
        return std::nullopt;
    }
    return out;
}

} // namespace invoke::engine
