#include "ui/run/runstatuspanel.h"
#include "ui/common/statusstyle.h"

#include <QtCore/QEvent>
#include <QtGui/QFontMetrics>
#include <QtGui/QIcon>
#include <QtWidgets/QFrame>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

QFrame *separator(QWidget *parent)
{
    auto *line = new QFrame(parent);
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    return line;
}

QString elapsedString(qint64 ms)
{
    if (ms < 60'000)
        return u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', 1);
    return u"%1:%2"_s.arg(ms / 60'000).arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'));
}

constexpr int kIconSize = 14;

QChar widestOf(QStringView characters, const QFontMetrics &metrics)
{
    QChar widest = characters.front();
    for (QChar c : characters)
        if (metrics.horizontalAdvance(c) > metrics.horizontalAdvance(widest))
            widest = c;
    return widest;
}

// The width `label` needs for the widest of `texts` on one line in its font, with its
// margins. Every digit is measured as the font's widest digit: in a proportional font
// "1.1 s" is narrower than "8.8 s".
int widestTextWidth(const QLabel *label, const QStringList &texts)
{
    const QFontMetrics metrics(label->font());
    const QChar digit = widestOf(u"0123456789", metrics);
    int width = 0;
    for (QString text : texts) {
        for (QChar &c : text)
            if (c.isDigit())
                c = digit;
        // QLabel measures a line by its bounding rectangle, which a last glyph's overhang
        // can make wider than the advance.
        width = std::max({width, metrics.horizontalAdvance(text),
                          metrics.boundingRect(QRect(), Qt::AlignLeft | Qt::TextSingleLine, text).width()});
    }
    const QMargins margins = label->contentsMargins();
    return width + margins.left() + margins.right() + 2 * label->margin();
}

// An invocation id (a UUID) of the widest hex digits.
QString widestInvocationId(const QLabel *label)
{
    QString id = u"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"_s;
    id.replace(u'x', widestOf(u"0123456789abcdef", QFontMetrics(label->font())));
    return id;
}

} // namespace

RunStatusPanel::RunStatusPanel(QWidget *parent)
    : QWidget(parent), m_stateIcon(new QLabel(this)), m_state(new QLabel(this)), m_id(new QLabel(this)),
      m_elapsed(new QLabel(this)), m_events(new QLabel(this))
{
    m_stateIcon->setObjectName(u"runStateIcon"_s);
    m_stateIcon->setFixedSize(kIconSize, kIconSize);
    m_state->setObjectName(u"runState"_s);
    m_state->setTextFormat(Qt::PlainText);
    QFont bold = m_state->font();
    bold.setBold(true);
    m_state->setFont(bold);
    m_id->setTextFormat(Qt::PlainText);
    m_elapsed->setTextFormat(Qt::PlainText);
    m_events->setTextFormat(Qt::PlainText);
    m_id->setObjectName(u"invocationId"_s);
    m_id->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_id->setToolTip(tr("The invocation id (select to copy)"));
    m_elapsed->setObjectName(u"elapsed"_s);
    m_elapsed->setToolTip(tr("Elapsed time"));
    m_events->setObjectName(u"eventCount"_s);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    auto *state = new QHBoxLayout;
    state->setSpacing(4);
    state->addWidget(m_stateIcon);
    state->addWidget(m_state);
    layout->addLayout(state);
    layout->addWidget(separator(this));
    layout->addWidget(m_id);
    layout->addWidget(separator(this));
    layout->addWidget(m_elapsed);
    layout->addWidget(separator(this));
    layout->addWidget(m_events);

    m_ticker.setInterval(100);
    connect(&m_ticker, &QTimer::timeout, this, &RunStatusPanel::tick);
    reserveWidths();
    setIdle();
}

void RunStatusPanel::reserveWidths()
{
    m_state->setMinimumWidth(
        widestTextWidth(m_state, {tr("Ready"), tr("Running"), tr("Succeeded"), tr("Failed"), tr("Cancelled")}));
    m_id->setMinimumWidth(widestTextWidth(m_id, {tr("no invocation yet"), tr("starting…"), tr("no invocation id"),
                                                 widestInvocationId(m_id)}));
    m_elapsed->setMinimumWidth(widestTextWidth(m_elapsed, {elapsedString(59'900), elapsedString(99 * 60'000 + 59'000)}));
    // Up to six digits; a longer count widens the label when the bar is laid out again.
    m_events->setMinimumWidth(widestTextWidth(m_events, {tr("%n event(s)", nullptr, 999'999)}));
}

void RunStatusPanel::setIdle()
{
    m_ticker.stop();
    showState(std::nullopt, tr("Ready"));
    m_id->setText(tr("no invocation yet"));
    m_elapsed->setText(elapsedString(0));
    setEventCount(0);
}

void RunStatusPanel::setRunning()
{
    showState(StepStatus::Running, tr("Running"));
    m_id->setText(tr("starting…"));
    setEventCount(0);
    m_clock.start();
    m_ticker.start();
    tick();
}

void RunStatusPanel::setInvocationId(const QString &id)
{
    m_id->setText(id.isEmpty() ? tr("no invocation id") : id);
}

void RunStatusPanel::setEventCount(qint64 count)
{
    m_events->setText(tr("%n event(s)", nullptr, int(count)));
}

void RunStatusPanel::setFinished(const InvokeResult &result)
{
    if (m_clock.isValid())
        tick();
    m_ticker.stop();
    if (!result.invocationId.isEmpty())
        setInvocationId(result.invocationId);
    else if (m_id->text() == tr("starting…"))
        setInvocationId({});
    if (result.cancelled)
        showState(StepStatus::Cancelled, tr("Cancelled"));
    else if (result.success)
        showState(StepStatus::Success, tr("Succeeded"));
    else
        showState(StepStatus::Error, tr("Failed"));
}

QString RunStatusPanel::stateText() const { return m_statusText; }
QString RunStatusPanel::invocationIdText() const { return m_id->text(); }
QString RunStatusPanel::elapsedText() const { return m_elapsed->text(); }
QString RunStatusPanel::eventCountText() const { return m_events->text(); }

void RunStatusPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        showState(m_status, m_statusText);
    else if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        reserveWidths();
}

void RunStatusPanel::showState(std::optional<StepStatus> status, const QString &text)
{
    m_status = status;
    m_statusText = text;
    const StatusStyle style = statusStyle(status, palette());
    m_stateIcon->setPixmap(style.iconPath.isEmpty() ? QPixmap()
                                                    : QIcon(style.iconPath).pixmap(QSize(kIconSize, kIconSize)));
    QPalette colours = m_state->palette();
    colours.setColor(QPalette::WindowText, style.color);
    m_state->setPalette(colours);
    m_state->setText(text);
}

void RunStatusPanel::tick()
{
    m_elapsed->setText(elapsedString(m_clock.elapsed()));
}

} // namespace invoke::ui
