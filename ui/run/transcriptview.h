#pragma once
#include <QtCore/QTimer>
#include <QtWidgets/QTextBrowser>

namespace invoke::ui {

class TranscriptModel;

// The conversation as a document: "You" and "Assistant" turns, error turns in red. An
// answer that is still streaming is shown as plain text and grows by appending only
// the new characters; once finished it is rendered as Markdown. Model changes are
// applied at most once per frame, and the view follows the tail only when the reader
// was already at the bottom.
class TranscriptView : public QTextBrowser
{
    Q_OBJECT
public:
    explicit TranscriptView(QWidget *parent = nullptr);

    void setModel(TranscriptModel *model);

private:
    void markDirty(int firstRow);
    void update();
    void renderFrom(int row);
    void renderTurn(int row);

    TranscriptModel *m_model = nullptr;
    QList<int> m_turnStart;      // where each rendered turn begins (before its block break)
    int m_lastStreamedLength = -1; // chars of the streaming last turn already shown, -1 if none
    int m_firstDirty = -1;
    QTimer m_frame;
};

} // namespace invoke::ui
