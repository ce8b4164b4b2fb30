#include "ui/run/transcriptview.h"
#include "ui/common/statusstyle.h"
#include "ui/run/transcriptmodel.h"

#include <QtCore/QElapsedTimer>
#include <QtGui/QTextBlock>
#include <QtGui/QTextCursor>
#include <QtGui/QTextDocumentFragment>
#include <QtWidgets/QScrollBar>

#include <climits>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

QColor speakerColor(TranscriptModel::Speaker speaker, const QPalette &palette)
{
    const bool dark = isDark(palette);
    switch (speaker) {
    case TranscriptModel::Speaker::User: return dark ? QColor(0x6a, 0xb0, 0xff) : QColor(0x1d, 0x5f, 0xb8);
    case TranscriptModel::Speaker::Assistant: return dark ? QColor(0x4c, 0xc3, 0x8a) : QColor(0x1a, 0x7f, 0x37);
    case TranscriptModel::Speaker::Error: break;
    }
    return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
}

constexpr qreal kBodyMargin = 12; // a turn's text, under its speaker line

// Inserts the part [from, to) of a parsed answer (MarkdownParser, its blocks already
// indented by kBodyMargin) at `at`. The first block of the answer lands in the block `at`
// stands in, which keeps its own format: it takes the answer's first block's format first
// (a quote's margin), without the space above it (the answer starts right under its
// speaker line, as a question does), unless that is a list item (a list starts a block of
// its own).
void insertParsed(QTextCursor &at, const QTextDocument &parsed, int from, int to)
{
    if (from == 0) {
        const QTextBlock first = parsed.begin();
        if (!first.textList() && QTextCursor(first).currentFrame() == parsed.rootFrame()) {
            QTextBlockFormat format = first.blockFormat();
            format.setTopMargin(0);
            at.setBlockFormat(format);
        }
    }
    QTextCursor piece(const_cast<QTextDocument *>(&parsed));
    piece.setPosition(from);
    piece.setPosition(to, QTextCursor::KeepAnchor);
    at.insertFragment(QTextDocumentFragment(piece));
}

} // namespace

TranscriptView::TranscriptView(QWidget *parent)
    : QTextBrowser(parent)
{
    setObjectName(u"transcript"_s);
    setOpenExternalLinks(true);
    setPlaceholderText(tr("The conversation appears here. Write a message below and press Ctrl+Enter."));
    document()->setDocumentMargin(10);
    m_frame.setSingleShot(true);
    m_frame.setInterval(16);
    connect(&m_frame, &QTimer::timeout, this, &TranscriptView::update);
    m_pieces.setSingleShot(true);
    m_pieces.setInterval(0);
    connect(&m_pieces, &QTimer::timeout, this, &TranscriptView::insertMarkdownPieces);
}

void TranscriptView::setModel(TranscriptModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int) { markDirty(first); });
    connect(model, &QAbstractItemModel::rowsRemoved, this, [this] { markDirty(0); });
    connect(model, &QAbstractItemModel::modelReset, this, [this] { markDirty(0); });
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft) { markDirty(topLeft.row()); });
    markDirty(0);
}

void TranscriptView::markDirty(int firstRow)
{
    m_firstDirty = m_firstDirty < 0 ? firstRow : qMin(m_firstDirty, firstRow);
    if (!m_frame.isActive())
        m_frame.start();
}

void TranscriptView::update()
{
    if (!m_model || m_firstDirty < 0)
        return;
    const int row = m_firstDirty;
    m_firstDirty = -1;

    QScrollBar *bar = verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 4;

    const int last = m_model->rowCount() - 1;
    const bool streaming = row == last && row == m_turnStart.size() - 1 && m_lastStreamedLength >= 0
                           && !m_model->index(row).data(TranscriptModel::FinishedRole).toBool();
    const QString text = row <= last ? m_model->textAt(row) : QString();
    if (streaming && text.size() >= m_lastStreamedLength) {
        // The common case while an answer streams: append only what is new.
        QTextCursor cursor(document());
        cursor.movePosition(QTextCursor::End);
        cursor.insertText(text.mid(m_lastStreamedLength));
        m_lastStreamedLength = int(text.size());
    } else if (!finishStreamedTurn(row)) {
        renderFrom(row);
    }
    if (atBottom)
        bar->setValue(bar->maximum());
    startNextMarkdown();
}

// A long answer that just finished as it was streamed: its plain text stays where it is
// (laying it out again would cost as much as the Markdown), only its speaker line
// changes, and its Markdown is parsed on the worker and put in above it in pieces. The
// plain text only stands in until then (the pieces replace all of it), so it need not be
// the finished text to the letter.
bool TranscriptView::finishStreamedTurn(int row)
{
    if (row != m_model->rowCount() - 1 || row != m_turnStart.size() - 1 || m_lastStreamedLength < 0
        || m_model->speakerAt(row) != TranscriptModel::Speaker::Assistant
        || !m_model->index(row).data(TranscriptModel::FinishedRole).toBool()
        || m_model->index(row).data(TranscriptModel::MarkdownRole).toString().size() <= m_inlineMarkdownChars)
        return false;
    QTextCursor header(document()->findBlock(m_turnStart.at(row) + (row > 0 ? 1 : 0)));
    header.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
    header.insertText(headerText(row), headerFormat(row));
    m_bodyStart[row] = header.block().position() + header.block().length();
    m_lastStreamedLength = -1;
    m_pendingRows << row;
    return true;
}

int TranscriptView::turnEnd(int row) const
{
    return row + 1 < m_turnStart.size() ? m_turnStart.at(row + 1) : document()->characterCount() - 1;
}

void TranscriptView::shiftTurnsAfter(int row, int delta)
{
    for (int r = row + 1; r < m_turnStart.size(); ++r) {
        m_turnStart[r] += delta;
        m_bodyStart[r] += delta;
    }
}

void TranscriptView::startNextMarkdown()
{
    if (m_job.row >= 0 || m_pendingRows.isEmpty() || !m_model)
        return;
    m_job = MarkdownJob{};
    m_job.row = m_pendingRows.takeFirst();
    const QString markdown = m_model->index(m_job.row).data(TranscriptModel::MarkdownRole).toString();
    m_parser.parse(markdown, kPieceChars, kBodyMargin, [this](MarkdownParser::Parsed parsed) {
        m_job.parsed = std::move(parsed);
        m_pieces.start();
    });
}

// Inserts pieces of the parsed answer for about 8 ms, then lets the frame be painted.
// A piece goes in as a QTextDocumentFragment, with one layout of what it added.
void TranscriptView::insertMarkdownPieces()
{
    if (m_job.row < 0 || !m_job.parsed.document)
        return;
    QScrollBar *bar = verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 4;
    const int row = m_job.row;
    if (m_job.insertAt < 0) {
        // The plain text (if any) moves into a block of its own below the pieces.
        QTextCursor at(document());
        at.setPosition(m_bodyStart.at(row));
        at.insertBlock(at.blockFormat(), at.charFormat());
        m_job.insertAt = m_bodyStart.at(row);
        shiftTurnsAfter(row, 1);
    }
    const QList<int> &cuts = m_job.parsed.cuts;
    QElapsedTimer clock;
    clock.start();
    do {
        QTextCursor at(document());
        at.setPosition(m_job.insertAt);
        const int before = document()->characterCount();
        insertParsed(at, *m_job.parsed.document, m_job.piece == 0 ? 0 : cuts.at(m_job.piece - 1),
                     cuts.at(m_job.piece));
        const int added = document()->characterCount() - before;
        m_job.insertAt += added;
        shiftTurnsAfter(row, added);
        ++m_job.piece;
    } while (m_job.piece < cuts.size() && clock.elapsed() < 8);

    if (m_job.piece < cuts.size()) {
        m_pieces.start();
    } else {
        QTextCursor plain(document());
        plain.setPosition(m_job.insertAt);
        plain.setPosition(turnEnd(row), QTextCursor::KeepAnchor);
        const int removed = plain.selectionEnd() - plain.selectionStart();
        plain.removeSelectedText();
        shiftTurnsAfter(row, -removed);
        m_job = MarkdownJob{};
        Q_EMIT markdownRendered(row);
    }
    if (atBottom)
        bar->setValue(bar->maximum());
    if (m_job.row < 0)
        startNextMarkdown();
}

void TranscriptView::renderFrom(int row)
{
    row = qMin(row, int(m_turnStart.size()));
    // Markdown still to come for the turns rendered again goes; the earlier ones' stays.
    if (m_job.row >= row) {
        m_parser.cancel();
        m_pieces.stop();
        m_job = MarkdownJob{};
    }
    m_pendingRows.removeIf([row](int pending) { return pending >= row; });
    QTextCursor cursor(document());
    if (row == 0) {
        document()->clear();
        m_turnStart.clear();
        m_bodyStart.clear();
    } else if (row < m_turnStart.size()) {
        // From the end of the previous turn: the block break before this turn goes too.
        cursor.setPosition(m_turnStart.at(row));
        cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
        cursor.removeSelectedText();
        m_turnStart.resize(row);
        m_bodyStart.resize(row);
    }
    m_lastStreamedLength = -1;
    for (int r = row; r < m_model->rowCount(); ++r)
        renderTurn(r);
}

void TranscriptView::renderTurn(int row)
{
    const QModelIndex index = m_model->index(row);
    const auto speaker = m_model->speakerAt(row);
    const bool finished = index.data(TranscriptModel::FinishedRole).toBool();

    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    m_turnStart << cursor.position();
    if (row > 0)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());

    // The speaker line.
    QTextBlockFormat headerBlock;
    headerBlock.setTopMargin(row == 0 ? 0 : 10);
    cursor.setBlockFormat(headerBlock);
    cursor.insertText(headerText(row), headerFormat(row));

    // The text: Markdown once the answer is whole, plain while it streams.
    QTextBlockFormat body;
    body.setLeftMargin(kBodyMargin);
    cursor.insertBlock(body, QTextCharFormat());
    m_bodyStart << cursor.position();
    if (speaker == TranscriptModel::Speaker::Assistant && finished) {
        const QString markdown = index.data(TranscriptModel::MarkdownRole).toString();
        if (markdown.size() <= m_inlineMarkdownChars) {
            // Every paragraph, not only the first, under the speaker line's margin.
            const MarkdownParser::Parsed parsed = MarkdownParser::parseHere(markdown, INT_MAX, kBodyMargin);
            insertParsed(cursor, *parsed.document, 0, parsed.cuts.last());
        } else {
            m_pendingRows << row; // parsed on the worker, then put in in pieces
        }
    } else {
        QTextCharFormat plain;
        if (speaker == TranscriptModel::Speaker::Error)
            plain.setForeground(speakerColor(speaker, palette()));
        cursor.insertText(m_model->textAt(row), plain);
        if (!finished && row == m_model->rowCount() - 1)
            m_lastStreamedLength = int(m_model->textAt(row).size());
    }
}

QString TranscriptView::headerText(int row) const
{
    const QModelIndex index = m_model->index(row);
    const auto speaker = m_model->speakerAt(row);
    QString who = speaker == TranscriptModel::Speaker::User ? tr("You")
                  : speaker == TranscriptModel::Speaker::Assistant ? tr("Assistant")
                                                                    : tr("The run failed");
    if (index.data(TranscriptModel::CancelledRole).toBool())
        who += tr(" (stopped: the answer is incomplete)");
    else if (!index.data(TranscriptModel::FinishedRole).toBool())
        who += tr(" (writing…)");
    return who;
}

QTextCharFormat TranscriptView::headerFormat(int row) const
{
    QTextCharFormat header;
    header.setFontWeight(QFont::Bold);
    header.setForeground(speakerColor(m_model->speakerAt(row), palette()));
    return header;
}

} // namespace invoke::ui
