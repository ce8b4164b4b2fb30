#pragma once
// The words of the display-filter language (docs/filters.md): cuts a filter's text into
// tokens, each with the position it starts at, so that errors can point at it.
#include <QtCore/QList>
#include <QtCore/QString>

namespace invoke::filter {

enum class TokenKind {
    End,        // the end of the text
    Identifier, // a field name: letters, digits, '_', '.', '-' (starting with a letter or '_')
    String,     // "quoted", with \" \\ \n \t \r \uXXXX escapes; text holds the unescaped value
    Number,     // 12, -3, 1.5, 2e3
    LParen, RParen, LBrace, RBrace, Comma,
    Eq, Ne, Lt, Le, Gt, Ge, StartsWith, Contains, Matches, In,
    And, Or, Not, True, False,
};

struct Token
{
    TokenKind kind = TokenKind::End;
    qsizetype position = 0; // index into the filter's text
    qsizetype length = 0;
    QString text;           // the identifier, or a string's unescaped value
    double number = 0;
};

struct LexError
{
    qsizetype position = 0;
    QString expected; // what would have been valid there
    QString found;    // what was there instead
};

// The tokens of `text`, ending with one End token; false with `error` at the first
// character that starts no token, or a string that never closes.
bool tokenize(const QString &text, QList<Token> *tokens, LexError *error);

// How a token reads in a message: "==", "and", "\"abc\"", "the end of the filter".
QString describe(const Token &token, const QString &text);

} // namespace invoke::filter
