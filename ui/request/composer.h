#pragma once
#include <QtWidgets/QWidget>

class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace invoke::ui {

// Where the user writes the next message. Ctrl+Enter (or the Send button) asks to send;
// the text stays until the caller clears it after a successful start, so nothing typed
// is lost when the invocation cannot start.
class Composer : public QWidget
{
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

    QString text() const;
    void setText(const QString &text);
    void clear();
    void setSendEnabled(bool enabled);

    QPlainTextEdit *editor() const { return m_editor; }
    QToolButton *sendButton() const { return m_send; }

Q_SIGNALS:
    void sendRequested();
    void textChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QPlainTextEdit *m_editor;
    QToolButton *m_send;
    QLabel *m_hint;
};

} // namespace invoke::ui
