#include "ui/request/composer.h"
#include "ui/common/icons.h"

#include <QtGui/QKeyEvent>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

Composer::Composer(QWidget *parent)
    : QWidget(parent), m_editor(new QPlainTextEdit(this)), m_send(new QToolButton(this)),
      m_hint(new QLabel(this))
{
    m_editor->setObjectName(u"composerEditor"_s);
    m_editor->setPlaceholderText(tr("Write a message to the bot…"));
    m_editor->setTabChangesFocus(true);
    m_editor->installEventFilter(this);
    // About three lines: enough for a question, small enough to leave the transcript room.
    const int line = m_editor->fontMetrics().lineSpacing();
    m_editor->setMinimumHeight(line * 3 + 12);

    m_send->setObjectName(u"sendButton"_s);
    m_send->setIcon(icon(u"send"_s));
    m_send->setText(tr("Send"));
    m_send->setToolTip(tr("Send the message and invoke the bot (Ctrl+Enter)"));
    m_send->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_send->setMinimumHeight(m_send->sizeHint().height() * 3 / 2);

    m_hint->setText(tr("Ctrl+Enter to send"));
    m_hint->setEnabled(false); // the disabled palette gives a muted colour in any theme

    auto *side = new QVBoxLayout;
    side->addStretch(1);
    side->addWidget(m_send);
    side->addWidget(m_hint, 0, Qt::AlignHCenter);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_editor, 1);
    layout->addLayout(side);

    connect(m_send, &QToolButton::clicked, this, &Composer::sendRequested);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &Composer::textChanged);
}

QString Composer::text() const
{
    return m_editor->toPlainText();
}

void Composer::setText(const QString &text)
{
    m_editor->setPlainText(text);
    m_editor->moveCursor(QTextCursor::End);
}

void Composer::clear()
{
    m_editor->clear();
}

void Composer::setSendEnabled(bool enabled)
{
    m_send->setEnabled(enabled);
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if (enter && (key->modifiers() & Qt::ControlModifier)) {
            if (m_send->isEnabled())
                Q_EMIT sendRequested();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace invoke::ui
