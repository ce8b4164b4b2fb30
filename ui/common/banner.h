#pragma once
#include <QtWidgets/QFrame>

class QLabel;
class QPushButton;
class QToolButton;

namespace invoke::ui {

// A coloured strip with an icon, a message in plain words and an optional action
// button, shown above what it is about (the transcript, a form). Hidden when empty.
class Banner : public QFrame
{
    Q_OBJECT
public:
    enum Kind { Error, Warning, Info, Success };

    explicit Banner(QWidget *parent = nullptr);

    // Shows `text`; with `actionText`, a button that emits actionTriggered().
    void showMessage(Kind kind, const QString &text, const QString &actionText = {});
    void clearMessage();

    Kind kind() const { return m_kind; }
    QString text() const;
    QPushButton *actionButton() const { return m_action; }

Q_SIGNALS:
    void actionTriggered();

private:
    void applyStyle();

    Kind m_kind = Info;
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_action;
    QToolButton *m_close;
};

} // namespace invoke::ui
