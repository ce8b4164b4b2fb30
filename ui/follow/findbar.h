#pragma once
// Find in a follow view (Ctrl+F): a field, previous and next (Shift+Enter / Enter, Shift+F3
// / F3), what was found, and Esc to close. The view does the searching: the bar asks
// (findRequested) and shows the answer (setResult).
#include <QtWidgets/QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

namespace invoke::ui {

class FindBar : public QWidget
{
    Q_OBJECT
public:
    // Installs Ctrl+F (open), F3 and Shift+F3 on `scope` and its children.
    explicit FindBar(QWidget *scope, QWidget *parent = nullptr);

    QLineEdit *edit() const { return m_edit; }
    QString text() const;
    QString result() const;
    // Shows the bar, the field focused and its text selected.
    void open();
    // What the last search found: `found`, and a short note ("3 of 12", "not found").
    void setResult(bool found, const QString &note);

signals:
    // `incremental`: the text changed; search from where the current match starts.
    void findRequested(const QString &text, bool forward, bool incremental);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void request(bool forward, bool incremental);

    QLineEdit *m_edit;
    QToolButton *m_previous;
    QToolButton *m_next;
    QLabel *m_result;
    QToolButton *m_close;
};

} // namespace invoke::ui
