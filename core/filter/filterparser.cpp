// Filter::parse: recursive descent over the tokens of core/filter/filterlexer.h.
//   filter     := or-expr | (blank)
//   or-expr    := and-expr (("or" | "||") and-expr)*
//   and-expr   := not-expr (("and" | "&&") not-expr)*
//   not-expr   := ("not" | "!") not-expr | "(" or-expr ")" | test
//   test       := field [op value | "in" "{" value ("," value)* "}"]
#include "core/filter/filter.h"
#include "core/filter/filterlexer.h"
#include "core/filter/filternode.h"

using namespace Qt::StringLiterals;

namespace invoke::filter {

namespace {

const QString kValue = u"a value (a \"quoted string\", a number, true or false)"_s;
const QString kString = u"a \"quoted string\""_s;
const QString kStart = u"a field name, \"not\" or \"(\""_s;
const QString kAfterField = u"an operator (==, !=, <, <=, >, >=, ^=, contains, matches, in), \"and\", \"or\" or the end"_s;
const QString kAfterTest = u"\"and\", \"or\" or the end of the filter"_s;

struct Failure
{
    ParseError error;
};

class Parser
{
public:
    Parser(const QString &text, const QList<Token> &tokens) : m_text(text), m_tokens(tokens) {}

    bool readsBody() const { return m_readsBody; }

    std::unique_ptr<Node> parseAll()
    {
        auto root = orExpr();
        if (peek().kind == TokenKind::RParen)
            fail(peek(), u"\"and\", \"or\" or the end of the filter (this \")\" closes nothing)"_s);
        if (peek().kind != TokenKind::End)
            fail(peek(), kAfterTest);
        return root;
    }

private:
    const Token &peek() const { return m_tokens.at(m_next); }
    const Token &take() { return m_tokens.at(m_next++); }

    [[noreturn]] void fail(const Token &at, const QString &expected)
    {
        fail(at.position, expected, describe(at, m_text));
    }
    [[noreturn]] void fail(qsizetype position, const QString &expected, const QString &found)
    {
        ParseError error;
        error.position = position;
        error.expected = expected;
        error.message = u"expected "_s + expected + u", found "_s + found;
        throw Failure{error};
    }

    std::unique_ptr<Node> binary(Node::Kind kind, std::unique_ptr<Node> left, std::unique_ptr<Node> right)
    {
        auto node = std::make_unique<Node>();
        node->kind = kind;
        node->left = std::move(left);
        node->right = std::move(right);
        return node;
    }

    std::unique_ptr<Node> orExpr()
    {
        auto left = andExpr();
        while (peek().kind == TokenKind::Or) {
            take();
            left = binary(Node::Or, std::move(left), andExpr());
        }
        return left;
    }

    std::unique_ptr<Node> andExpr()
    {
        auto left = notExpr();
        while (peek().kind == TokenKind::And) {
            take();
            left = binary(Node::And, std::move(left), notExpr());
        }
        return left;
    }

    std::unique_ptr<Node> notExpr()
    {
        // Each level of nesting is a C++ frame: a pasted "((((((..." must not blow the stack.
        if (++m_depth > kMaxNesting)
            fail(peek(), u"less nesting (at most %1 levels of not and parentheses)"_s.arg(kMaxNesting));
        std::unique_ptr<Node> node;
        if (peek().kind == TokenKind::Not) {
            take();
            node = binary(Node::Not, notExpr(), nullptr);
        } else if (peek().kind == TokenKind::LParen) {
            take();
            node = orExpr();
            if (peek().kind != TokenKind::RParen)
                fail(peek(), u"\")\", \"and\" or \"or\""_s);
            take();
        } else {
            node = test();
        }
        --m_depth;
        return node;
    }

    std::unique_ptr<Node> test()
    {
        const Token &name = peek();
        if (name.kind != TokenKind::Identifier)
            fail(name, kStart);
        const std::optional<FieldRef> field = fieldFromName(name.text);
        if (!field)
            fail(name.position, u"a field name (%1, payload.<member> or metadata.<member>)"_s
                                    .arg(u"type, step, action, source, status, seq, t_ms, duration_ms, tokens.in, tokens.out, text"_s),
                 u"\""_s + name.text + u'"');
        take();
        if (!isHeaderField(field->id))
            m_readsBody = true;
        auto node = std::make_unique<Node>();
        node->field = *field;
        node->position = name.position;
        const Token &op = peek();
        switch (op.kind) {
        case TokenKind::Eq: node->op = CompareOp::Eq; break;
        case TokenKind::Ne: node->op = CompareOp::Ne; break;
        case TokenKind::Lt: node->op = CompareOp::Lt; break;
        case TokenKind::Le: node->op = CompareOp::Le; break;
        case TokenKind::Gt: node->op = CompareOp::Gt; break;
        case TokenKind::Ge: node->op = CompareOp::Ge; break;
        case TokenKind::StartsWith: node->op = CompareOp::StartsWith; break;
        case TokenKind::Contains: node->op = CompareOp::Contains; break;
        case TokenKind::Matches: node->op = CompareOp::Matches; break;
        case TokenKind::In: node->op = CompareOp::In; break;
        case TokenKind::And: case TokenKind::Or: case TokenKind::RParen: case TokenKind::End:
            return node; // a bare field: "has this field"
        default:
            fail(op, kAfterField);
        }
        take();
        node->position = op.position;
        if (node->op == CompareOp::In) {
            if (peek().kind != TokenKind::LBrace)
                fail(peek(), u"\"{\" (in {\"a\", \"b\"})"_s);
            take();
            node->values.push_back(value(kValue));
            while (peek().kind == TokenKind::Comma) {
                take();
                node->values.push_back(value(kValue));
            }
            if (peek().kind != TokenKind::RBrace)
                fail(peek(), u"\",\" or \"}\""_s);
            take();
            return node;
        }
        const bool textOnly = node->op == CompareOp::StartsWith || node->op == CompareOp::Contains
                              || node->op == CompareOp::Matches;
        const Token &literalToken = peek();
        node->values.push_back(value(textOnly ? kString : kValue));
        if (textOnly && node->values.front().kind != Literal::String)
            fail(literalToken, kString);
        if (node->op == CompareOp::Matches)
            node->regex = compile(literalToken, node->values.front().text);
        return node;
    }

    Literal value(const QString &expected)
    {
        const Token &token = peek();
        Literal literal;
        switch (token.kind) {
        case TokenKind::String:
            literal.kind = Literal::String;
            literal.text = token.text;
            literal.utf8 = token.text.toStdString();
            break;
        case TokenKind::Number:
            literal.kind = Literal::Number;
            literal.text = token.text;
            literal.number = token.number;
            break;
        case TokenKind::True:
        case TokenKind::False:
            literal.kind = Literal::Bool;
            literal.boolean = token.kind == TokenKind::True;
            literal.text = token.kind == TokenKind::True ? u"true"_s : u"false"_s;
            break;
        case TokenKind::Identifier:
            fail(token.position, expected + u" (quote text: \""_s + token.text + u"\")"_s,
                 u"\""_s + token.text + u'"');
        default:
            fail(token, expected);
        }
        take();
        return literal;
    }

    QRegularExpression compile(const Token &at, const QString &pattern)
    {
        if (pattern.size() > kMaxPatternLength)
            fail(at.position, u"a regular expression of at most %1 characters"_s.arg(kMaxPatternLength),
                 u"%1 characters"_s.arg(pattern.size()));
        if (pattern.contains(u"(*LIMIT_"_s))
            fail(at.position, u"a regular expression without (*LIMIT_...) settings (the filter sets its own)"_s,
                 u"(*LIMIT_"_s);
        // PCRE2 reads limits written at the start of a pattern and can only lower its own:
        // a pattern that backtracks without end fails one event instead of freezing a
        // view (docs/filters.md, "Cost limits").
        const QString prefix = u"(*LIMIT_MATCH=%1)(*LIMIT_DEPTH=%2)"_s.arg(kRegexMatchLimit).arg(kRegexDepthLimit);
        // Wireshark's matches ignores case; (?-i) at the start of a pattern turns that off.
        QRegularExpression regex(prefix + pattern, QRegularExpression::CaseInsensitiveOption
                                                       | QRegularExpression::DontCaptureOption);
        if (!regex.isValid()) {
            const qsizetype offset = qMax<qsizetype>(0, regex.patternErrorOffset() - prefix.size());
            fail(at.position, u"a valid regular expression (%1 at character %2 of the pattern)"_s
                                  .arg(regex.errorString()).arg(offset + 1),
                 describe(at, m_text));
        }
        regex.optimize();
        return regex;
    }

    static constexpr int kMaxNesting = 200;

    const QString &m_text;
    const QList<Token> &m_tokens;
    qsizetype m_next = 0;
    int m_depth = 0;
    bool m_readsBody = false;
};

} // namespace

std::optional<Filter> Filter::parse(const QString &text, ParseError *error)
{
    QList<Token> tokens;
    LexError lexError;
    if (!tokenize(text, &tokens, &lexError)) {
        if (error) {
            error->position = lexError.position;
            error->expected = lexError.expected;
            error->message = u"expected "_s + lexError.expected + u", found "_s
                             + (lexError.found.startsWith(u"the end"_s) ? lexError.found : u"\""_s + lexError.found + u'"');
        }
        return std::nullopt;
    }
    Filter filter;
    filter.m_text = text;
    if (tokens.size() == 1) // only End: the blank filter
        return filter;
    try {
        Parser parser(text, tokens);
        filter.m_root = parser.parseAll();
        filter.m_readsBody = parser.readsBody();
    } catch (const Failure &failure) {
        if (error)
            *error = failure.error;
        return std::nullopt;
    }
    return filter;
}

} // namespace invoke::filter
