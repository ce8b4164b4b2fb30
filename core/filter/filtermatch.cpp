// Filter::matches: one test per field, and/or/not over them. A field the event does not
// have makes every test on it false (Wireshark's rule), "!=" included.
#include "core/filter/filter.h"
#include "core/filter/filternode.h"

#include <QtCore/QRegularExpressionMatch>

using namespace Qt::StringLiterals;

namespace invoke::filter {

namespace {

// The text a test reads from a value that is not a string: numbers, booleans and null
// as JSON spells them, objects and arrays as compact JSON.
QString textOf(const FieldValue &value)
{
    if (value.kind == FieldValue::String)
        return value.isUtf8 ? QString::fromUtf8(value.utf8.data(), qsizetype(value.utf8.size())) : value.qstring.toString();
    if (value.json)
        return QString::fromUtf8(dumpJson(*value.json));
    if (value.kind == FieldValue::Number)
        return QString::number(qint64(value.number));
    return {};
}

// -1, 0, 1: the string value against a string literal, without converting the value.
int compareText(const FieldValue &value, const Literal &literal)
{
    if (value.isUtf8) {
        const int c = value.utf8.compare(literal.utf8);
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    const int c = value.qstring.compare(literal.text);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool equals(const FieldValue &value, const Literal &literal)
{
    switch (literal.kind) {
    case Literal::Number:
        return value.kind == FieldValue::Number && value.number == literal.number;
    case Literal::Bool:
        return value.kind == FieldValue::Bool && value.boolean == literal.boolean;
    case Literal::String:
        if (value.kind == FieldValue::String)
            return compareText(value, literal) == 0;
        return textOf(value) == literal.text;
    }
    return false;
}

// <, <=, >, >=: numbers with numbers, strings with strings (code point order); any other
// pairing is false.
bool ordered(const FieldValue &value, const Literal &literal, CompareOp op)
{
    int c = 0;
    if (literal.kind == Literal::Number && value.kind == FieldValue::Number)
        c = value.number < literal.number ? -1 : (value.number > literal.number ? 1 : 0);
    else if (literal.kind == Literal::String && value.kind == FieldValue::String)
        c = compareText(value, literal);
    else
        return false;
    switch (op) {
    case CompareOp::Lt: return c < 0;
    case CompareOp::Le: return c <= 0;
    case CompareOp::Gt: return c > 0;
    case CompareOp::Ge: return c >= 0;
    default: return false;
    }
}

bool startsWith(const FieldValue &value, const Literal &literal)
{
    if (value.kind == FieldValue::String)
        return value.isUtf8 ? value.utf8.starts_with(literal.utf8) : value.qstring.startsWith(literal.text);
    return textOf(value).startsWith(literal.text);
}

bool contains(const FieldValue &value, const Literal &literal)
{
    if (value.kind == FieldValue::String)
        return value.isUtf8 ? value.utf8.find(literal.utf8) != std::string_view::npos
                            : value.qstring.contains(literal.text);
    return textOf(value).contains(literal.text);
}

class Evaluator
{
public:
    Evaluator(const EventRecord &event, MatchProblem *problem) : m_event(event), m_problem(problem) {}

    bool eval(const Node &node)
    {
        switch (node.kind) {
        case Node::And: return eval(*node.left) && eval(*node.right);
        case Node::Or: return eval(*node.left) || eval(*node.right);
        case Node::Not: return !eval(*node.left);
        case Node::Test: return test(node);
        }
        return false;
    }

private:
    bool test(const Node &node)
    {
        const FieldValue value = m_event.value(node.field);
        if (value.kind == FieldValue::Missing)
            return false;
        switch (node.op) {
        case CompareOp::Exists: return true;
        case CompareOp::Eq: return equals(value, node.values.front());
        case CompareOp::Ne: return !equals(value, node.values.front());
        case CompareOp::Lt:
        case CompareOp::Le:
        case CompareOp::Gt:
        case CompareOp::Ge: return ordered(value, node.values.front(), node.op);
        case CompareOp::StartsWith: return startsWith(value, node.values.front());
        case CompareOp::Contains: return contains(value, node.values.front());
        case CompareOp::In:
            for (const Literal &literal : node.values)
                if (equals(value, literal))
                    return true;
            return false;
        case CompareOp::Matches: return matches(node, value);
        }
        return false;
    }

    bool matches(const Node &node, const FieldValue &value)
    {
        const QRegularExpressionMatch match = node.regex.match(textOf(value));
        // An invalid match of a valid pattern is PCRE2 giving up: the pattern hit the
        // limits core/filter/filterparser.cpp wrote in front of it.
        if (!match.isValid() && m_problem && !m_problem->isSet()) {
            m_problem->position = node.position;
            m_problem->message = u"the regular expression at column %1 is too costly: it hit its match limit on "
                                 u"event #%2"_s.arg(node.position + 1).arg(m_event.seq());
        }
        return match.hasMatch();
    }

    const EventRecord &m_event;
    MatchProblem *m_problem;
};

} // namespace

bool Filter::matches(const EventRecord &event, MatchProblem *problem) const
{
    if (!m_root)
        return true;
    return Evaluator(event, problem).eval(*m_root);
}

} // namespace invoke::filter
