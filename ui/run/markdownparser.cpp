#include "ui/run/markdownparser.h"

#include <QtCore/QThread>
#include <QtGui/QAbstractTextDocumentLayout>
#include <QtGui/QTextBlock>
#include <QtGui/QTextCursor>
#include <QtGui/QTextDocument>
#include <QtGui/QTextFrame>
#include <QtGui/QTextList>
#include <QtGui/QTextTable>

namespace invoke::ui {

namespace {

// A layout that lays nothing out: the parsed document is only read (copied into the
// transcript's own document, which has the real layout). Without it, the first
// QTextCursor on the document would create a QTextDocumentLayout that shapes the whole
// text for nothing.
class NoLayout : public QAbstractTextDocumentLayout
{
public:
    using QAbstractTextDocumentLayout::QAbstractTextDocumentLayout;
    void draw(QPainter *, const PaintContext &) override {}
    int hitTest(const QPointF &, Qt::HitTestAccuracy) const override { return -1; }
    int pageCount() const override { return 1; }
    QSizeF documentSize() const override { return {}; }
    QRectF frameBoundingRect(QTextFrame *) const override { return {}; }
    QRectF blockBoundingRect(const QTextBlock &) const override { return {}; }
    void documentChanged(int, int, int) override {}
};

bool inRootFlow(const QTextBlock &block, const QTextDocument &document)
{
    if (!block.isValid() || block.textList())
        return false;
    QTextCursor at(block);
    return at.currentFrame() == document.rootFrame();
}

QList<int> cutsOf(const QTextDocument &document, int pieceChars)
{
    QList<int> cuts;
    int pieceStart = 0;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        const int end = block.position() + block.length() - 1; // its separator
        const QTextBlock next = block.next();
        if (next.isValid() && end - pieceStart >= pieceChars && inRootFlow(block, document)
            && inRootFlow(next, document)) {
            cuts << end;
            pieceStart = end;
        }
    }
    cuts << document.characterCount() - 1;
    return cuts;
}

// Every block and child frame (a table) of the root frame moved `margin` to the right.
void indentTopLevel(QTextDocument &document, qreal margin)
{
    if (margin == 0)
        return;
    QTextCursor cursor(&document);
    for (auto it = document.rootFrame()->begin(); !it.atEnd(); ++it) {
        if (auto *table = qobject_cast<QTextTable *>(it.currentFrame())) {
            QTextTableFormat format = table->format(); // a table's through QTextTable, which keeps its columns
            format.setLeftMargin(format.leftMargin() + margin);
            table->setFormat(format);
        } else if (QTextFrame *frame = it.currentFrame()) {
            QTextFrameFormat format = frame->frameFormat();
            format.setLeftMargin(format.leftMargin() + margin);
            frame->setFrameFormat(format);
        } else {
            const QTextBlock block = it.currentBlock();
            QTextBlockFormat format = block.blockFormat();
            format.setLeftMargin(format.leftMargin() + margin);
            cursor.setPosition(block.position());
            cursor.setBlockFormat(format);
        }
    }
}

} // namespace

MarkdownParser::MarkdownParser(QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

MarkdownParser::~MarkdownParser()
{
    cancel();
    m_pool.waitForDone();
}

void MarkdownParser::cancel()
{
    if (m_cancelled)
        m_cancelled->store(true);
    m_cancelled.reset();
}

MarkdownParser::Parsed MarkdownParser::parseHere(const QString &markdown, int pieceChars, qreal leftMargin)
{
    Parsed parsed;
    parsed.document = std::make_shared<QTextDocument>();
    parsed.document->setDocumentLayout(new NoLayout(parsed.document.get()));
    parsed.document->setUndoRedoEnabled(false); // read once, never undone
    parsed.document->setMarkdown(markdown);
    indentTopLevel(*parsed.document, leftMargin);
    parsed.cuts = cutsOf(*parsed.document, pieceChars);
    return parsed;
}

void MarkdownParser::parse(const QString &markdown, int pieceChars, qreal leftMargin, std::function<void(Parsed)> done)
{
    cancel();
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    m_cancelled = cancelled;
    QThread *home = thread();
    m_pool.start([this, home, cancelled, markdown, pieceChars, leftMargin, done = std::move(done)]() mutable {
        if (cancelled->load())
            return;
        Parsed parsed = parseHere(markdown, pieceChars, leftMargin);
        if (cancelled->load())
            return; // deleted here, on the thread it was made on
        parsed.document->moveToThread(home);
        QMetaObject::invokeMethod(this, [cancelled, parsed = std::move(parsed), done = std::move(done)] {
            if (!cancelled->load())
                done(parsed);
        }, Qt::QueuedConnection);
    });
}

} // namespace invoke::ui
