#include "ui/common/banner.h"
#include "ui/common/icons.h"

#include <QtWidgets/QGridLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStyle>
#include <QtWidgets/QToolButton>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

QColor accentOf(Banner::Kind kind)
{
    switch (kind) {
    case Banner::Error: return QColor(0xd0, 0x46, 0x3b);
    case Banner::Warning: return QColor(0xe0, 0xa0, 0x26);
    case Banner::Success: return QColor(0x2e, 0x9d, 0x57);
    case Banner::Info: break;
    }
    return QColor(0x3b, 0x7d, 0xd8);
}

QString iconName(Banner::Kind kind)
{
    switch (kind) {
    case Banner::Error: return u"banner-error"_s;
    case Banner::Warning: return u"banner-warning"_s;
    case Banner::Success: return u"banner-success"_s;
    case Banner::Info: break;
    }
    return u"banner-info"_s;
}

} // namespace

Banner::Banner(QWidget *parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_text(new QLabel(this)),
      m_action(new QPushButton(this)), m_close(new QToolButton(this))
{
    setObjectName(u"banner"_s);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_action->hide();
    m_close->setAutoRaise(true);
    m_close->setText(u"✕"_s);
    m_close->setToolTip(tr("Dismiss"));

    // The action sits under the message, so a long message keeps the full width.
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->setHorizontalSpacing(10);
    layout->addWidget(m_icon, 0, 0, Qt::AlignTop);
    layout->addWidget(m_text, 0, 1);
    layout->addWidget(m_close, 0, 2, Qt::AlignTop);
    layout->addWidget(m_action, 1, 1, Qt::AlignLeft);
    layout->setColumnStretch(1, 1);

    connect(m_action, &QPushButton::clicked, this, &Banner::actionTriggered);
    connect(m_close, &QToolButton::clicked, this, &Banner::clearMessage);
    hide();
}

void Banner::showMessage(Kind kind, const QString &text, const QString &actionText)
{
    m_kind = kind;
    m_text->setText(text);
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(icon(iconName(kind)).pixmap(size + 4, size + 4));
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty());
    applyStyle();
    show();
}

void Banner::clearMessage()
{
    m_text->clear();
    m_action->hide();
    hide();
}

QString Banner::text() const
{
    return isHidden() ? QString() : m_text->text();
}

void Banner::applyStyle()
{
    // A tint of the accent over the window colour keeps the text readable on light and
    // dark palettes; the solid left edge carries the colour for the colour-blind too,
    // together with the icon.
    const QColor accent = accentOf(m_kind);
    QColor tint = accent;
    tint.setAlpha(40);
    setStyleSheet(u"QFrame#banner { background: rgba(%1,%2,%3,%4); border: 1px solid %5;"
                  " border-left: 4px solid %5; border-radius: 4px; }"_s
                      .arg(tint.red()).arg(tint.green()).arg(tint.blue()).arg(tint.alpha())
                      .arg(accent.name()));
}

} // namespace invoke::ui
