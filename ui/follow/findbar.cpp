#include "ui/follow/findbar.h"

#include "ui/common/icons.h"

#include <QtGui/QAction>
#include <QtGui/QKeyEvent>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QToolButton>

using namespace Qt::StringLiterals;

namespace invoke::ui {

FindBar::FindBar(QWidget *scope, QWidget *parent)
    : QWidget(parent), m_edit(new QLineEdit(this)), m_previous(new QToolButton(this)), m_next(new QToolButton(this)),
      m_result(new QLabel(this)), m_close(new QToolButton(this))
{
    setObjectName(u"findBar"_s);
    m_edit->setObjectName(u"findField"_s);
    m_edit->setPlaceholderText(tr("Find"));
    m_edit->setClearButtonEnabled(true);
    m_edit->addAction(icon(u"search"_s), QLineEdit::LeadingPosition);
    m_edit->installEventFilter(this);
    m_previous->setObjectName(u"findPrevious"_s);
    m_previous->setArrowType(Qt::UpArrow);
    m_previous->setToolTip(tr("Previous (Shift+F3)"));
    m_previous->setAutoRaise(true);
    m_next->setObjectName(u"findNext"_s);
    m_next->setArrowType(Qt::DownArrow);
    m_next->setToolTip(tr("Next (F3)"));
    m_next->setAutoRaise(true);
    m_result->setObjectName(u"findResult"_s);
    // Wide enough for what it says, so the field does not jump as the answer changes.
    m_result->setMinimumWidth(m_result->fontMetrics().horizontalAdvance(tr("Event 00000 of 00000")));
    m_close->setObjectName(u"findClose"_s);
    m_close->setText(u"✕"_s);
    m_close->setToolTip(tr("Close (Esc)"));
    m_close->setAutoRaise(true);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_result);
    layout->addWidget(m_close);

    auto *find = new QAction(tr("Find"), scope);
    find->setObjectName(u"findAction"_s);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    auto *next = new QAction(tr("Find Next"), scope);
    next->setShortcut(QKeySequence(Qt::Key_F3));
    next->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    auto *previous = new QAction(tr("Find Previous"), scope);
    previous->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3));
    previous->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    scope->addAction(find);
    scope->addAction(next);
    scope->addAction(previous);
    connect(find, &QAction::triggered, this, &FindBar::open);
    connect(next, &QAction::triggered, this, [this] { request(true, false); });
    connect(previous, &QAction::triggered, this, [this] { request(false, false); });
    connect(m_next, &QToolButton::clicked, this, [this] { request(true, false); });
    connect(m_previous, &QToolButton::clicked, this, [this] { request(false, false); });
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    connect(m_edit, &QLineEdit::textChanged, this, [this] { request(true, true); });
    hide();
}

QString FindBar::text() const
{
    return m_edit->text();
}

QString FindBar::result() const
{
    return m_result->text();
}

void FindBar::open()
{
    show();
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

void FindBar::setResult(bool found, const QString &note)
{
    m_result->setText(note);
    QPalette palette = m_edit->palette();
    palette.setColor(QPalette::Base, found || m_edit->text().isEmpty() ? QWidget::palette().color(QPalette::Base)
                                                                      : QColor(0xff, 0xd7, 0xd4));
    palette.setColor(QPalette::Text, found || m_edit->text().isEmpty() ? QWidget::palette().color(QPalette::Text)
                                                                      : QColor(0x7a, 0x0b, 0x0b));
    m_edit->setPalette(palette);
}

void FindBar::request(bool forward, bool incremental)
{
    if (!isVisible() && !incremental)
        show();
    if (m_edit->text().isEmpty()) {
        setResult(true, QString());
        return;
    }
    emit findRequested(m_edit->text(), forward, incremental);
}

bool FindBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            request(!(key->modifiers() & Qt::ShiftModifier), false);
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            hide();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace invoke::ui
