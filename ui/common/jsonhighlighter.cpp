#include "ui/common/jsonhighlighter.h"

#include <QtGui/QTextDocument>

using namespace Qt::StringLiterals;

namespace invoke::ui {

JsonHighlighter::JsonHighlighter(QTextDocument *document) : QSyntaxHighlighter(document)
{
    setDark(false);
}

void JsonHighlighter::setDark(bool dark)
{
    m_key.setForeground(dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x4f, 0x9c));
    m_string.setForeground(dark ? QColor(0x9c, 0xd6, 0x8c) : QColor(0x1d, 0x7a, 0x2e));
    m_number.setForeground(dark ? QColor(0xe8, 0xb0, 0x6a) : QColor(0x9a, 0x52, 0x00));
    m_keyword.setForeground(dark ? QColor(0xd0, 0x9c, 0xf0) : QColor(0x7a, 0x2e, 0x9c));
    m_keyword.setFontWeight(QFont::DemiBold);
    m_error.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    m_error.setUnderlineColor(QColor(0xd9, 0x30, 0x25));
    m_error.setBackground(dark ? QColor(0x5a, 0x1e, 0x1e) : QColor(0xfd, 0xe2, 0xe0));
    rehighlight();
}

void JsonHighlighter::setErrorPosition(int position)
{
    if (position == m_errorPosition)
        return;
    const int previous = m_errorPosition;
    m_errorPosition = position;
    // Only the blocks that held or hold the mark need new formats.
    for (int at : {previous, position}) {
        if (at >= 0)
            rehighlightBlock(document()->findBlock(qMin(at, qMax(0, document()->characterCount() - 1))));
    }
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    // Strings may not span lines in JSON, so every block starts outside a string.
    const int n = int(text.size());
    int i = 0;
    while (i < n) {
        const QChar c = text[i];
        if (c == u'"') {
            int end = i + 1;
            while (end < n && text[end] != u'"')
                end += text[end] == u'\\' ? 2 : 1;
            end = qMin(end + 1, n);
            // A string followed by ':' is a key.
            int after = end;
            while (after < n && text[after].isSpace())
                ++after;
            setFormat(i, end - i, after < n && text[after] == u':' ? m_key : m_string);
            i = end;
        } else if (c == u'-' || c.isDigit()) {
            int end = i + 1;
            while (end < n && (text[end].isDigit() || QStringView(u".eE+-").contains(text[end])))
                ++end;
            setFormat(i, end - i, m_number);
            i = end;
        } else if (c.isLetter()) {
            int end = i + 1;
            while (end < n && text[end].isLetter())
                ++end;
            const QStringView word = QStringView(text).mid(i, end - i);
            if (word == u"true" || word == u"false" || word == u"null")
                setFormat(i, end - i, m_keyword);
            i = end;
        } else {
            ++i;
        }
    }

    if (m_errorPosition >= 0) {
        const int start = currentBlock().position();
        const int local = m_errorPosition - start;
        // The mark sits in this block; an error at the very end marks the last character.
        if (local >= 0 && local <= n && (local < n || currentBlock() == document()->lastBlock())) {
            const int from = n == 0 ? 0 : qMin(local, n - 1);
            QTextCharFormat mark = m_error;
            setFormat(from, qMax(1, n - from), mark);
        }
    }
}

} // namespace invoke::ui
