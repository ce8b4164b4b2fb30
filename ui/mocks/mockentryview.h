#pragma once
#include <QtWidgets/QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace invoke::ui {

class JsonHighlighter;
class MockSetDocument;

// One key of the open mock set: whether it succeeds or fails, its error text and its
// output as JSON with highlighting. What is typed goes straight into the document
// (through its undo stack: Ctrl+Z in the output undoes there too); what is wrong shows
// under the editor in words and at its place in the text.
class MockEntryView : public QWidget
{
    Q_OBJECT
public:
    explicit MockEntryView(MockSetDocument *document, QWidget *parent = nullptr);

    // The row shown; -1 shows nothing.
    void setRow(int row);
    int row() const { return m_row; }
    // What the key answers for, in one line ("llm.message answers {"content": …}").
    void setHint(const QString &hint);

    QComboBox *statusBox() const { return m_status; }
    QLineEdit *errorEdit() const { return m_error; }
    QPlainTextEdit *outputEdit() const { return m_output; }
    QLabel *problemLabel() const { return m_problem; }
    JsonHighlighter *highlighter() const { return m_highlighter; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void refresh();

    MockSetDocument *m_document;
    int m_row = -1;
    bool m_updating = false;
    QLabel *m_key;
    QComboBox *m_status;
    QLabel *m_errorLabel;
    QLineEdit *m_error;
    QPlainTextEdit *m_output;
    JsonHighlighter *m_highlighter;
    QLabel *m_problem;
    QLabel *m_hint;
};

} // namespace invoke::ui
