#include "ui/run/transcriptview.h"
#include "ui/common/statusstyle.h"
#include "ui/run/transcriptmodel.h"

#include <QtGui/QTextBlock>
#include <QtGui/QTextCursor>
#include <QtWidgets/QScrollBar>

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
    } else {
        renderFrom(row);
    }
    if (atBottom)
        bar->setValue(bar->maximum());
}

void TranscriptView::renderFrom(int row)
{
    row = qMin(row, int(m_turnStart.size()));
    QTextCursor cursor(document());
    if (row == 0) {
        document()->clear();
        m_turnStart.clear();
    } else if (row < m_turnStart.size()) {
        // From the end of the previous turn: the block break before this turn goes too.
        cursor.setPosition(m_turnStart.at(row));
        cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
        cursor.removeSelectedText();
        m_turnStart.resize(row);
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
    const bool cancelled = index.data(TranscriptModel::CancelledRole).toBool();

    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    m_turnStart << cursor.position();
    if (row > 0)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());

    // The speaker line.
    QTextBlockFormat headerBlock;
    headerBlock.setTopMargin(row == 0 ? 0 : 10);
    cursor.setBlockFormat(headerBlock);
    QTextCharFormat header;
    header.setFontWeight(QFont::Bold);
    header.setForeground(speakerColor(speaker, palette()));
    QString who = speaker == TranscriptModel::Speaker::User ? tr("You")
                  : speaker == TranscriptModel::Speaker::Assistant ? tr("Assistant")
                                                                    : tr("The run failed");
    if (cancelled)
        who += tr(" (stopped: the answer is incomplete)");
    else if (!finished)
        who += tr(" (writing…)");
    cursor.insertText(who, header);

    // The text: Markdown once the answer is whole, plain while it streams.
    QTextBlockFormat body;
    body.setLeftMargin(12);
    cursor.insertBlock(body, QTextCharFormat());
    if (speaker == TranscriptModel::Speaker::Assistant && finished) {
        cursor.insertMarkdown(index.data(TranscriptModel::MarkdownRole).toString());
    } else {
        QTextCharFormat plain;
        if (speaker == TranscriptModel::Speaker::Error)
            plain.setForeground(speakerColor(speaker, palette()));
        cursor.insertText(m_model->textAt(row), plain);
        if (!finished && row == m_model->rowCount() - 1)
            m_lastStreamedLength = int(m_model->textAt(row).size());
    }
}

} // namespace invoke::ui
