#include "ui/colouring/filterfield.h"

#include "ui/events/filterbar/fieldcompleter.h"
#include "ui/events/filterbar/filterbar.h"

#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

// The filter bar's colours (ui/events/filterbar/filterbar.cpp), tinted from the palette's base so
// the field stays light on a light theme and dark on a dark one.
const QColor kValid(0x2e, 0xa0, 0x43);
const QColor kInvalid(0xd0, 0x30, 0x30);

QColor tinted(const QColor &base, const QColor &tint, double amount)
{
    return QColor::fromRgbF(float(base.redF() * (1 - amount) + tint.redF() * amount),
                            float(base.greenF() * (1 - amount) + tint.greenF() * amount),
                            float(base.blueF() * (1 - amount) + tint.blueF() * amount));
}

} // namespace

FilterField::FilterField(QWidget *parent)
    : QWidget(parent), m_edit(new QLineEdit(this)), m_message(new QLabel(this)), m_completer(new FieldCompleter(m_edit))
{
    m_edit->setObjectName(u"ruleFilter"_s);
    m_edit->setPlaceholderText(tr("status == \"error\""));
    m_edit->setClearButtonEnabled(true);
    m_message->setObjectName(u"ruleFilterMessage"_s);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_edit);
    layout->addWidget(m_message);
    connect(m_edit, &QLineEdit::textChanged, this, [this](const QString &text) {
        check();
        emit textChanged(text);
    });
    check();
}

QString FilterField::text() const
{
    return m_edit->text();
}

void FilterField::setText(const QString &text)
{
    m_edit->setText(text);
    check(); // setText of the same text emits nothing; the colours still follow the palette
}

QString FilterField::message() const
{
    return m_message->text();
}

void FilterField::check()
{
    const QString text = m_edit->text();
    filter::ParseError error;
    const std::optional<filter::Filter> parsed = filter::Filter::parse(text, &error);
    const bool blank = text.trimmed().isEmpty();
    const bool valid = parsed.has_value() && !blank;

    QString message;
    if (blank) {
        message = tr("A rule needs a filter: the events it colours.");
    } else if (!parsed) {
        message = tr("Column %1: %2").arg(error.column()).arg(error.message);
    }
    markFilterError(m_edit, !blank && !parsed ? std::optional(error.position) : std::nullopt, kInvalid);

    QPalette palette = m_edit->palette();
    const QColor base = QWidget::palette().color(QPalette::Base);
    palette.setColor(QPalette::Base, blank ? base : tinted(base, valid ? kValid : kInvalid, 0.22));
    m_edit->setPalette(palette);
    QPalette messagePalette = m_message->palette();
    messagePalette.setColor(QPalette::WindowText, kInvalid);
    m_message->setPalette(messagePalette);
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());

    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
}

} // namespace invoke::ui
