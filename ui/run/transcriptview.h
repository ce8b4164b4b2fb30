#pragma once
#include "ui/run/markdownparser.h"

#include <QtCore/QTimer>
#include <QtWidgets/QTextBrowser>

namespace invoke::ui {

class TranscriptModel;

// The conversation as a document: "You" and "Assistant" turns, error turns in red. An
// answer that is still streaming is shown as plain text and grows by appending only
// the new characters; once finished it is rendered as Markdown. Model changes are
// applied at most once per frame, and the view follows the tail only when the reader
// was already at the bottom.
//
// A long answer's Markdown (over kInlineMarkdownChars) is parsed on a worker thread
// (MarkdownParser) and inserted in pieces of about kPieceChars, a few per frame, so the
// GUI thread never lays the whole answer out at once; the plain text it streamed stays
// below the growing rendered part until the last piece is in, then goes.
class TranscriptView : public QTextBrowser
{
    Q_OBJECT
public:
    static constexpr int kInlineMarkdownChars = 8000;
    static constexpr int kPieceChars = 4000;

    explicit TranscriptView(QWidget *parent = nullptr);

    void setModel(TranscriptModel *model);

    // Answers with more Markdown than this go through the worker (tests set it to compare
    // both ways of rendering the same answer).
    void setInlineMarkdownLimit(int chars) { m_inlineMarkdownChars = chars; }
    // True while a long answer's Markdown is still being parsed or inserted.
    bool isRenderingMarkdown() const { return m_job.row >= 0 || !m_pendingRows.isEmpty(); }

Q_SIGNALS:
    // A long answer's Markdown is all in (its plain text gone).
    void markdownRendered(int row);

private:
    void markDirty(int firstRow);
    void update();
    void renderFrom(int row);
    void renderTurn(int row);
    QString headerText(int row) const;
    QTextCharFormat headerFormat(int row) const;
    bool finishStreamedTurn(int row);
    int turnEnd(int row) const;
    void shiftTurnsAfter(int row, int delta);
    void startNextMarkdown();
    void insertMarkdownPieces();

    TranscriptModel *m_model = nullptr;
    QList<int> m_turnStart;      // where each rendered turn begins (before its block break)
    QList<int> m_bodyStart;      // where each rendered turn's text begins
    int m_lastStreamedLength = -1; // chars of the streaming last turn already shown, -1 if none
    int m_firstDirty = -1;
    int m_inlineMarkdownChars = kInlineMarkdownChars;
    QTimer m_frame;

    // Long answers waiting for their Markdown, and the one being parsed or inserted.
    QList<int> m_pendingRows;
    struct MarkdownJob
    {
        int row = -1;
        MarkdownParser::Parsed parsed; // empty while it is parsed
        int piece = 0;                 // the next of parsed.cuts to insert up to
        int insertAt = -1;             // where the next piece goes (the plain text follows it)
    } m_job;
    MarkdownParser m_parser;
    QTimer m_pieces;
};

} // namespace invoke::ui
