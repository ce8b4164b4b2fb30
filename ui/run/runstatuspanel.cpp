#include "ui/run/runstatuspanel.h"
#include "ui/common/statusstyle.h"

#include <QtCore/QEvent>
#include <QtGui/QTextDocument>
#include <QtWidgets/QFrame>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>

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

} // namespace

RunStatusPanel::RunStatusPanel(QWidget *parent)
    : QWidget(parent), m_state(new QLabel(this)), m_id(new QLabel(this)),
      m_elapsed(new QLabel(this)), m_events(new QLabel(this))
{
    m_state->setObjectName(u"runState"_s);
    m_id->setObjectName(u"invocationId"_s);
    m_id->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_id->setToolTip(tr("The invocation id (select to copy)"));
    m_elapsed->setObjectName(u"elapsed"_s);
    m_elapsed->setToolTip(tr("Elapsed time"));
    m_events->setObjectName(u"eventCount"_s);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    layout->addWidget(m_state);
    layout->addWidget(separator(this));
    layout->addWidget(m_id);
    layout->addWidget(separator(this));
    layout->addWidget(m_elapsed);
    layout->addWidget(separator(this));
    layout->addWidget(m_events);

    m_ticker.setInterval(100);
    connect(&m_ticker, &QTimer::timeout, this, &RunStatusPanel::tick);
    setIdle();
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
}

void RunStatusPanel::showState(std::optional<StepStatus> status, const QString &text)
{
    m_status = status;
    m_statusText = text;
    m_state->setText(statusHtml(status, text, palette()));
}

void RunStatusPanel::tick()
{
    m_elapsed->setText(elapsedString(m_clock.elapsed()));
}

} // namespace invoke::ui
