#pragma once
#include <QtGui/QSyntaxHighlighter>
#include <QtGui/QTextCharFormat>

namespace invoke::ui {

// Colours JSON as it is typed (keys, strings, numbers, true/false/null) and marks one
// error position with a red wavy underline from there to the end of its line, so a
// parse error shows where it is, not only in a message. It never changes the text.
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit JsonHighlighter(QTextDocument *document);

    // Marks the character at `position` (0-based, in the document); -1 clears.
    void setErrorPosition(int position);
    int errorPosition() const { return m_errorPosition; }

    // Chooses colours that read on this palette's base colour.
    void setDark(bool dark);

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_key, m_string, m_number, m_keyword, m_error;
    int m_errorPosition = -1;
};

} // namespace invoke::ui
