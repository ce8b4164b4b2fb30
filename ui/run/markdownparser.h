#pragma once
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

class QTextDocument;

namespace invoke::ui {

// Parses Markdown into a QTextDocument on a worker thread, so that a long answer's parse
// never runs on the GUI thread (ui/run/transcriptview.cpp inserts the result in pieces).
//
// The document is built without a view: it gets a layout that lays nothing out, so no
// text is shaped on the worker (QTextDocument itself is reentrant; only its layout
// needs fonts), and it is moved to the thread that asked before it is handed over.
class MarkdownParser : public QObject
{
    Q_OBJECT
public:
    struct Parsed
    {
        std::shared_ptr<QTextDocument> document;
        // Positions in `document` where it may be cut into pieces that insert one after
        // the other as the whole would: each is the end of a block (its separator) in
        // the root frame with no list or table on either side, about `pieceChars` apart.
        // The last is the document's end.
        QList<int> cuts;
    };

    explicit MarkdownParser(QObject *parent = nullptr);
    ~MarkdownParser() override;

    // Parses `markdown`; `done` runs on this object's thread, unless cancel() or another
    // parse() came first. One parse at a time: a new one cancels the one before.
    // `leftMargin` is added to the left margin of every block and table of the document's
    // top level (the transcript's body margin; a quote keeps its own on top of it, a
    // table's cells are not indented twice).
    void parse(const QString &markdown, int pieceChars, qreal leftMargin, std::function<void(Parsed)> done);
    void cancel();

    // The same, on the calling thread (for short texts and tests).
    static Parsed parseHere(const QString &markdown, int pieceChars, qreal leftMargin = 0);

private:
    QThreadPool m_pool;
    std::shared_ptr<std::atomic<bool>> m_cancelled;
};

} // namespace invoke::ui
