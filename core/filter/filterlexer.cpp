#include "core/filter/filterlexer.h"

#include <QtCore/QHash>

using namespace Qt::StringLiterals;

namespace invoke::filter {

namespace {

bool isIdentifierStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

bool isIdentifierPart(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'.' || c == u'-';
}

// Words that are operators, not field names. Wireshark's eq/ne/... spellings are kept
// so a filter written for it reads the same here.
const QHash<QString, TokenKind> &keywords()
{
    static const QHash<QString, TokenKind> words{
        {u"and"_s, TokenKind::And},         {u"or"_s, TokenKind::Or},
        {u"not"_s, TokenKind::Not},         {u"contains"_s, TokenKind::Contains},
        {u"matches"_s, TokenKind::Matches}, {u"in"_s, TokenKind::In},
        {u"true"_s, TokenKind::True},       {u"false"_s, TokenKind::False},
        {u"eq"_s, TokenKind::Eq},           {u"ne"_s, TokenKind::Ne},
        {u"lt"_s, TokenKind::Lt},           {u"le"_s, TokenKind::Le},
        {u"gt"_s, TokenKind::Gt},           {u"ge"_s, TokenKind::Ge},
    };
    return words;
}

// Reads a quoted string starting at text[start] == '"'; returns the index after it,
// or -1 with `error` filled.
qsizetype readString(const QString &text, qsizetype start, QString *value, LexError *error)
{
    qsizetype i = start + 1;
    while (i < text.size()) {
        const QChar c = text.at(i);
        if (c == u'"')
            return i + 1;
        if (c != u'\\') {
            value->append(c);
            ++i;
            continue;
        }
        if (i + 1 >= text.size())
            break;
        const QChar escaped = text.at(i + 1);
        switch (escaped.unicode()) {
        case '"': value->append(u'"'); break;
        case '\\': value->append(u'\\'); break;
        case '/': value->append(u'/'); break;
        case 'n': value->append(u'\n'); break;
        case 't': value->append(u'\t'); break;
        case 'r': value->append(u'\r'); break;
        case 'u': {
            bool ok = false;
            const uint code = text.mid(i + 2, 4).toUInt(&ok, 16);
            if (!ok || i + 6 > text.size()) {
                *error = {i, u"four hex digits after \\u"_s, text.mid(i, 6)};
                return -1;
            }
            value->append(QChar(char16_t(code)));
            i += 6;
            continue;
        }
        default:
            *error = {i, u"an escape: \\\" \\\\ \\/ \\n \\t \\r or \\uXXXX"_s, u"\\"_s + escaped};
            return -1;
        }
        i += 2;
    }
    *error = {text.size(), u"a closing \" (the string opened at column %1)"_s.arg(start + 1),
              u"the end of the filter"_s};
    return -1;
}

qsizetype readNumber(const QString &text, qsizetype start)
{
    qsizetype i = start;
    if (i < text.size() && text.at(i) == u'-')
        ++i;
    const auto digits = [&] {
        const qsizetype from = i;
        while (i < text.size() && text.at(i).isDigit() && text.at(i).unicode() < 128)
            ++i;
        return i > from;
    };
    if (!digits())
        return start;
    if (i + 1 < text.size() && text.at(i) == u'.' && text.at(i + 1).isDigit()) {
        ++i;
        digits();
    }
    if (i < text.size() && (text.at(i) == u'e' || text.at(i) == u'E')) {
        const qsizetype mark = i;
        ++i;
        if (i < text.size() && (text.at(i) == u'+' || text.at(i) == u'-'))
            ++i;
        if (!digits())
            i = mark;
    }
    return i;
}

} // namespace

bool tokenize(const QString &text, QList<Token> *tokens, LexError *error)
{
    tokens->clear();
    qsizetype i = 0;
    const auto push = [&](TokenKind kind, qsizetype length) {
        tokens->append(Token{kind, i, length, {}, 0});
        i += length;
    };
    while (i < text.size()) {
        const QChar c = text.at(i);
        const QChar next = i + 1 < text.size() ? text.at(i + 1) : QChar();
        if (c.isSpace()) {
            ++i;
            continue;
        }
        switch (c.unicode()) {
        case '(': push(TokenKind::LParen, 1); continue;
        case ')': push(TokenKind::RParen, 1); continue;
        case '{': push(TokenKind::LBrace, 1); continue;
        case '}': push(TokenKind::RBrace, 1); continue;
        case ',': push(TokenKind::Comma, 1); continue;
        case '~': push(TokenKind::Matches, 1); continue;
        case '=':
            if (next == u'=') {
                push(TokenKind::Eq, 2);
                continue;
            }
            *error = {i, u"== (a single = is not an operator)"_s, u"="_s};
            return false;
        case '!':
            if (next == u'=')
                push(TokenKind::Ne, 2);
            else
                push(TokenKind::Not, 1);
            continue;
        case '<': push(next == u'=' ? TokenKind::Le : TokenKind::Lt, next == u'=' ? 2 : 1); continue;
        case '>': push(next == u'=' ? TokenKind::Ge : TokenKind::Gt, next == u'=' ? 2 : 1); continue;
        case '^':
            if (next == u'=') {
                push(TokenKind::StartsWith, 2);
                continue;
            }
            *error = {i, u"^= (starts with)"_s, u"^"_s};
            return false;
        case '&':
            if (next == u'&') {
                push(TokenKind::And, 2);
                continue;
            }
            *error = {i, u"&& (and)"_s, u"&"_s};
            return false;
        case '|':
            if (next == u'|') {
                push(TokenKind::Or, 2);
                continue;
            }
            *error = {i, u"|| (or)"_s, u"|"_s};
            return false;
        case '"': {
            Token token{TokenKind::String, i, 0, {}, 0};
            const qsizetype end = readString(text, i, &token.text, error);
            if (end < 0)
                return false;
            token.length = end - i;
            tokens->append(token);
            i = end;
            continue;
        }
        default:
            break;
        }
        if (c.isDigit() || (c == u'-' && next.isDigit())) {
            const qsizetype end = readNumber(text, i);
            Token token{TokenKind::Number, i, end - i, text.mid(i, end - i), 0};
            bool ok = false;
            token.number = token.text.toDouble(&ok);
            if (!ok || (end < text.size() && isIdentifierPart(text.at(end)))) {
                qsizetype stop = end;
                while (stop < text.size() && isIdentifierPart(text.at(stop)))
                    ++stop;
                *error = {i, u"a number"_s, text.mid(i, stop - i)};
                return false;
            }
            tokens->append(token);
            i = end;
            continue;
        }
        if (isIdentifierStart(c)) {
            qsizetype end = i + 1;
            while (end < text.size() && isIdentifierPart(text.at(end)))
                ++end;
            const QString word = text.mid(i, end - i);
            const auto keyword = keywords().constFind(word);
            Token token{keyword == keywords().cend() ? TokenKind::Identifier : *keyword, i, end - i, word, 0};
            tokens->append(token);
            i = end;
            continue;
        }
        *error = {i, u"a field, an operator or a value"_s, QString(c)};
        return false;
    }
    tokens->append(Token{TokenKind::End, text.size(), 0, {}, 0});
    return true;
}

QString describe(const Token &token, const QString &text)
{
    switch (token.kind) {
    case TokenKind::End: return u"the end of the filter"_s;
    case TokenKind::String: return text.mid(token.position, token.length);
    default: return u"\""_s + text.mid(token.position, token.length) + u'"';
    }
}

} // namespace invoke::filter
